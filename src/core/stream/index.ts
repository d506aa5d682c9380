/**
 * While tokens arrive: the stop rules that decide where a completion ends (one line or a block) and
 * close the stream the moment it is complete, the lexical code facts they share with post-processing,
 * and streaming a growing completion into a document.
 */
export * from './codeShape';
export * from './streamInsertion';
export * from './streamStopRules';
