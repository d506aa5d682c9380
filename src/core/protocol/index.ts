/**
 * The OpenAI-compatible Completions API on the wire: the request body and the range checks of every
 * parameter, the server-sent-event stream and the choices assembled from it, error bodies mapped to
 * typed errors, logprobs, the capability probe and the model list. A change to what is sent or how an
 * answer is read goes here.
 */
export * from './capabilityProbe';
export * from './choiceAssembler';
export * from './completionClient';
export * from './completionTypes';
export * from './httpErrorMapper';
export * from './llamaCppFields';
export * from './logprobs';
export * from './modelList';
export * from './requestBuilder';
export * from './requestParameters';
export * from './sseDecoder';
export * from './warmUp';
