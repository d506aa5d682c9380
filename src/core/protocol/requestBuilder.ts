import type { CompletionRequestBody } from './completionTypes';
import type { PromptParts } from '../prompt/promptParts';
import type { ResolvedProvider } from '../providers/providerPresets';
import { assertValidRequestParameters } from './requestParameters';
import { llamaCppFields, type RequestPurpose } from './llamaCppFields';
import type { InfillSettings } from '../settings';

export interface BuiltRequest {
  body: CompletionRequestBody;
  /** Stop strings the client enforces on the stream itself: all of them (see completionClient). */
  clientStops: string[];
  /** Choices the server will return (`n`, or 1). */
  expectedChoices: number;
  /** Configured parameters that were not sent because this provider does not take them (for the log). */
  withheld: string[];
  /** With `echo`, the prompt the server repeats before each choice; the client removes it. */
  echoedPrompt?: string;
}

/**
 * Builds the request body for one completion: the engine's prompt parts, the configured
 * parameters (unset ones left out rather than sent as null, because llama.cpp fails on a
 * parameter's mere presence), minus those the provider does not take, plus the server's own fields
 * (llamaCppFields.ts) and `infill.extraBody` merged last. Throws a `config` InfillError naming the
 * setting when a parameter is out of range.
 */
export function buildCompletionRequest(
  settings: InfillSettings,
  parts: PromptParts,
  provider: ResolvedProvider,
  purpose: RequestPurpose = 'ghostText',
): BuiltRequest {
  assertValidRequestParameters(settings);
  const stops = [...new Set([...settings.stop, ...parts.extraStops].filter((s) => s.length > 0))];
  const wanted = wantedParameters(settings, parts, provider, stops);

  const body: CompletionRequestBody = {
    model: settings.model,
    prompt: parts.prompt,
    // Always sent: without it API2D freezes the model's maximum and llama.cpp fills the context.
    max_tokens: settings.maxTokens,
    stream: settings.stream,
  };
  const withheld: string[] = [];
  if (settings.includeUsage !== null && !settings.stream) withheld.push('stream_options');
  for (const [name, value] of Object.entries(wanted)) {
    if (value === null || value === undefined) continue;
    if (provider.unsupportedParams.has(name)) {
      withheld.push(name);
      continue;
    }
    const wireName = provider.renamedParams[name as keyof ResolvedProvider['renamedParams']] ?? name;
    body[wireName] = value;
  }
  if (provider.serverFields === 'llamacpp') Object.assign(body, llamaCppFields(parts, provider, purpose));
  for (const [name, value] of Object.entries(settings.extraBody)) {
    // null removes a field: the way to keep a default (say temperature) out of the request.
    if (value === null) delete body[name];
    else body[name] = value;
  }

  const n = typeof body.n === 'number' ? body.n : 1;
  const echoed = body.echo === true && typeof body.prompt === 'string' ? body.prompt : undefined;
  return {
    body,
    clientStops: stops,
    expectedChoices: n,
    withheld,
    ...(echoed !== undefined ? { echoedPrompt: echoed } : {}),
  };
}

/** A stop list longer than this is a configuration accident, not something to send. */
const MAX_STOPS_SANITY = 64;

/** Every optional parameter the settings ask for, by its OpenAI name; unset ones are undefined. */
function wantedParameters(
  settings: InfillSettings,
  parts: PromptParts,
  provider: ResolvedProvider,
  stops: string[],
): Partial<Record<string, unknown>> {
  return {
    suffix: parts.suffix !== undefined && parts.suffix.length > 0 ? parts.suffix : undefined,
    temperature: settings.temperature,
    top_p: settings.topP,
    top_k: settings.topK,
    min_p: settings.minP,
    n: settings.n,
    best_of: settings.bestOf,
    stream_options:
      settings.includeUsage !== null && settings.stream ? { include_usage: settings.includeUsage } : undefined,
    logprobs: settings.logprobs,
    echo: settings.echo,
    stop: stops.length > 0 ? stops.slice(0, Math.min(provider.maxStops, MAX_STOPS_SANITY)) : undefined,
    presence_penalty: settings.presencePenalty,
    frequency_penalty: settings.frequencyPenalty,
    repetition_penalty: settings.repetitionPenalty,
    seed: settings.seed,
    logit_bias: settings.logitBias,
    user: settings.user,
    moderation: settings.moderation,
    moderation_stop: settings.moderationStop,
  };
}
