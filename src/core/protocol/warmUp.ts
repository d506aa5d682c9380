import type { CompletionRequestBody } from './completionTypes';

/**
 * A warm-up: the prompt the next keystroke would send, with one token to generate, so a local
 * server with a prompt cache holds the current file before the user types (the first real request
 * then evaluates only what changed). Sent when an editor gains focus after the user was away, at
 * most once per quiet spell per server, and only to servers on the user's machine or network.
 */

/** Away for this long before a focus counts: the server may have given its cache to something else. */
export const WARM_UP_AFTER_IDLE_MS = 60_000;

/** The body of a warm-up: one token, not streamed, none of the extras that cost more than the prompt. */
export function warmUpBody(body: CompletionRequestBody): CompletionRequestBody {
  const warm: CompletionRequestBody = { ...body, max_tokens: 1, stream: false };
  for (const field of ['n', 'best_of', 'logprobs', 'echo', 'stream_options', 't_max_predict_ms', 'n_indent'])
    delete warm[field];
  return warm;
}

/** When to warm a server up: after it has been quiet for a while, never twice in a row. */
export class WarmUpPolicy {
  private readonly lastWarmUp = new Map<string, number>();

  constructor(private readonly idleMs = WARM_UP_AFTER_IDLE_MS) {}

  /**
   * True when `origin` has had no request (`lastRequestAt`, from the transport) and no warm-up for
   * `idleMs`; the caller then sends one.
   */
  shouldWarmUp(origin: string, now: number, lastRequestAt?: number): boolean {
    const last = Math.max(lastRequestAt ?? -Infinity, this.lastWarmUp.get(origin) ?? -Infinity);
    if (now - last < this.idleMs) return false;
    this.lastWarmUp.set(origin, now);
    return true;
  }
}

/**
 * Each of Ollama's requests sets how long the model stays, and its OpenAI-compatible ones set its
 * default (5 minutes): the keep-alive is sent once typing pauses this long, after the last of them.
 */
export const OLLAMA_KEEP_ALIVE_AFTER_PAUSE_MS = 20_000;

/**
 * Ollama unloads a model after five minutes without requests, and its OpenAI-compatible endpoint
 * ignores `keep_alive`: its native `/api/generate` with no prompt loads the model and sets how long
 * it stays (`infill.ollamaKeepAlive`). The URL is the server's origin, whatever `/v1` path is set.
 */
export function ollamaKeepAliveRequest(baseUrl: string, model: string, keepAlive: string): { url: URL; body: string } {
  return {
    url: new URL('/api/generate', new URL(baseUrl).origin),
    body: JSON.stringify({ model, keep_alive: keepAlive }),
  };
}
