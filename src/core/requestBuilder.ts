import type { CompletionRequestBody } from './completionTypes';
import type { PromptWindow } from './promptWindow';
import type { InfillSettings } from './settings';

export interface BuiltRequest {
  body: CompletionRequestBody;
  /** Stop strings the client enforces on the stream itself (all of them; see completionClient). */
  clientStops: string[];
}

/** OpenAI accepts at most four stop strings; the rest are enforced client-side. */
export const MAX_SERVER_STOPS = 4;

/**
 * Builds the request body for one completion. Unset parameters are left out rather than sent as
 * null, because some servers (llama.cpp) fail on a parameter's mere presence.
 */
export function buildCompletionRequest(settings: InfillSettings, window: PromptWindow): BuiltRequest {
  const stops = [...new Set(settings.stop.filter((s) => s.length > 0))];
  const body: CompletionRequestBody = {
    model: settings.model,
    prompt: window.prefix,
    max_tokens: settings.maxTokens,
    temperature: settings.temperature,
    stream: true,
  };
  if (settings.fimMode !== 'off' && window.suffix.length > 0) body.suffix = window.suffix;
  if (stops.length > 0) body.stop = stops.slice(0, MAX_SERVER_STOPS);
  Object.assign(body, settings.extraBody);
  return { body, clientStops: stops };
}
