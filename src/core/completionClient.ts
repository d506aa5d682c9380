import type { CompletionRequestBody, CompletionUsage, TokenLogprob } from './completionTypes';
import { errorFromResponse, extractServerMessage } from './httpErrorMapper';
import type { HttpResponse, HttpTransport } from './httpTransport';
import { InfillError } from './infillError';
import { normalizeLogprobs } from './logprobs';
import { SseDecoder, type SseEvent } from './sseDecoder';

export interface EndpointConfig {
  baseUrl: string;
  endpointPath: string;
  apiKey?: string;
  headers?: Record<string, string>;
}

export interface ChoiceProgress {
  index: number;
  /** All text of this choice so far, stop sequences already removed. */
  text: string;
  finished: boolean;
}

/**
 * The stream contract: after each update a caller says whether it still needs more. `stop` ends
 * the HTTP exchange at once, so the server stops generating what nobody will read.
 */
export type StreamVerdict = 'continue' | 'stop';

export interface CompletionCallOptions {
  signal?: AbortSignal;
  onProgress?: (choice: ChoiceProgress) => StreamVerdict | void;
  /**
   * Stop strings the client enforces itself: those beyond what the server accepts, and all of the
   * configured ones again, because some servers return the stop sequence inside `text`.
   */
  clientStops?: readonly string[];
  /** How many choices the request asked for; the stream ends early once all of them finished. */
  expectedChoices?: number;
}

export interface ResultChoice {
  index: number;
  text: string;
  finishReason: string | null;
  logprobs?: TokenLogprob[];
}

export interface CompletionTiming {
  /** Call to response headers. */
  headersMs: number;
  /** Call to the first non-empty text. */
  firstTokenMs?: number;
  totalMs: number;
}

export interface CompletionResult {
  status: number;
  id?: string;
  model?: string;
  created?: number;
  systemFingerprint?: string;
  choices: ResultChoice[];
  usage?: CompletionUsage;
  moderation?: unknown;
  timing: CompletionTiming;
  /** The client ended the stream itself (a stop rule or stop string), before the server did. */
  endedEarly: boolean;
  streamed: boolean;
}

const MAX_ERROR_BODY_BYTES = 64 * 1024;

export function completionUrl(endpoint: Pick<EndpointConfig, 'baseUrl' | 'endpointPath'>): URL {
  const base = endpoint.baseUrl.trim().replace(/\/+$/, '');
  const rawPath = endpoint.endpointPath.trim() || '/completions';
  const path = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
  let url: URL;
  try {
    url = new URL(base + path);
  } catch {
    throw new InfillError('config', `infill.baseUrl is not a valid URL: "${endpoint.baseUrl}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InfillError('config', `infill.baseUrl must start with http:// or https:// (got "${url.protocol}")`);
  }
  return url;
}

export function requestHeaders(endpoint: EndpointConfig): Record<string, string> {
  const headers: Record<string, string> = { ...(endpoint.headers ?? {}) };
  if (endpoint.apiKey) headers.authorization = `Bearer ${endpoint.apiKey}`;
  return headers;
}

/** One `POST /completions`, streamed or not, normalized across providers. */
export async function requestCompletion(
  transport: HttpTransport,
  endpoint: EndpointConfig,
  body: CompletionRequestBody,
  options: CompletionCallOptions = {},
): Promise<CompletionResult> {
  const started = performance.now();
  const url = completionUrl(endpoint);
  const response = await transport.post(url, JSON.stringify(body), requestHeaders(endpoint), options.signal);
  if (response.status < 200 || response.status >= 300) {
    const text = await readText(response, MAX_ERROR_BODY_BYTES);
    throw errorFromResponse(response.status, response.headers, text);
  }
  const accumulator = new ChoiceAccumulator(options, started);
  const contentType = response.headers['content-type'] ?? '';
  if (contentType.includes('text/event-stream')) {
    await readEventStream(response, accumulator);
  } else {
    const text = await readText(response, transport.currentOptions.maxResponseBytes);
    if (/^\s*(data|event|:)/.test(text) && !contentType.includes('json')) {
      // Some relays stream SSE under text/plain; decode it as the events it is.
      const decoder = new SseDecoder();
      const events = decoder.push(new TextEncoder().encode(text)).concat(decoder.end());
      for (const event of events) if (accumulator.onEvent(event) !== 'more') break;
    } else {
      accumulator.onJsonBody(text, contentType);
    }
  }
  return accumulator.result(response.status, response.headersMs, performance.now() - started);
}

async function readEventStream(response: HttpResponse, accumulator: ChoiceAccumulator): Promise<void> {
  const decoder = new SseDecoder();
  let verdict: 'more' | 'done' | 'stop' = 'more';
  try {
    for await (const chunk of response.body) {
      for (const event of decoder.push(chunk)) {
        verdict = accumulator.onEvent(event);
        if (verdict !== 'more') break;
      }
      if (verdict !== 'more') {
        // [DONE]: the server finished, so keep the connection; a stop of ours: close it now.
        if (verdict === 'done') await response.release();
        else response.cancel();
        break;
      }
    }
    if (verdict === 'more') {
      for (const event of decoder.end()) if (accumulator.onEvent(event) !== 'more') break;
    }
  } finally {
    response.cancel();
  }
}

async function readText(response: HttpResponse, maxBytes: number): Promise<string> {
  const parts: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of response.body) {
      parts.push(chunk);
      size += chunk.byteLength;
      if (size >= maxBytes) break;
    }
  } finally {
    response.cancel();
  }
  return Buffer.concat(parts).toString('utf8');
}

interface ChoiceState {
  index: number;
  text: string;
  finishReason: string | null;
  logprobs?: TokenLogprob[];
  finished: boolean;
  /** Ended by one of our stop strings rather than by the server. */
  clientStopped?: boolean;
}

/** Collects choices from stream chunks or a whole body, enforcing stop strings on the way. */
class ChoiceAccumulator {
  private readonly choices = new Map<number, ChoiceState>();
  private readonly stops: string[];
  private readonly maxStopLength: number;
  private meta: { id?: string; model?: string; created?: number; systemFingerprint?: string } = {};
  private usage: CompletionUsage | undefined;
  private moderation: unknown;
  private firstTokenMs: number | undefined;
  private endedEarly = false;
  private streamed = false;

  constructor(
    private readonly options: CompletionCallOptions,
    private readonly started: number,
  ) {
    this.stops = [...new Set((options.clientStops ?? []).filter((s) => s.length > 0))];
    this.maxStopLength = this.stops.reduce((m, s) => Math.max(m, s.length), 0);
  }

  /** 'done' when the server said [DONE]; 'stop' when the client has all it needs before that. */
  onEvent(event: SseEvent): 'more' | 'done' | 'stop' {
    this.streamed = true;
    const data = event.data.trim();
    if (event.event === 'error') {
      // llama.cpp reports a failure after streaming began as HTTP 200 with an `error` event.
      const message = extractServerMessage(data, 'application/json').text || 'the server reported an error mid-stream';
      throw new InfillError('server', `Server error during streaming: ${message}`);
    }
    if (data === '[DONE]') return 'done';
    if (data === '') return 'more';
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch (err) {
      throw new InfillError('protocol', `Malformed event from the server: ${data.slice(0, 80)}`, { cause: err });
    }
    return this.onObject(parsed) ? 'stop' : 'more';
  }

  onJsonBody(text: string, contentType: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      const message = extractServerMessage(text, contentType).text || 'empty body';
      throw new InfillError('protocol', `The server did not answer with JSON: ${message}`, { cause: err });
    }
    if (Array.isArray(parsed)) {
      // llama.cpp answers a list of prompts with a list of completion objects, each with index 0.
      parsed.forEach((item, i) => this.onObject(item, i));
    } else {
      this.onObject(parsed);
    }
  }

  /** Returns true when every expected choice has finished or the caller asked to stop. */
  private onObject(value: unknown, indexOffset = 0): boolean {
    if (!value || typeof value !== 'object') throw new InfillError('protocol', 'The server sent something that is not a completion object');
    const obj = value as Record<string, unknown>;
    if (obj.error !== undefined && obj.error !== null) {
      const message = extractServerMessage(JSON.stringify(obj), 'application/json').text;
      throw new InfillError('server', `Server error: ${message}`);
    }
    if (typeof obj.id === 'string') this.meta.id = obj.id;
    if (typeof obj.model === 'string') this.meta.model = obj.model;
    if (typeof obj.created === 'number') this.meta.created = obj.created;
    if (typeof obj.system_fingerprint === 'string') this.meta.systemFingerprint = obj.system_fingerprint;
    if (obj.usage && typeof obj.usage === 'object') this.usage = obj.usage as CompletionUsage;
    if (obj.moderation !== undefined) this.moderation = obj.moderation;
    const choices = Array.isArray(obj.choices) ? obj.choices : [];
    let stopRequested = false;
    for (const raw of choices) {
      if (!raw || typeof raw !== 'object') continue;
      const c = raw as Record<string, unknown>;
      const index = (typeof c.index === 'number' ? c.index : 0) + indexOffset;
      const state = this.stateFor(index);
      if (state.finished) continue;
      const delta = typeof c.text === 'string' ? c.text : '';
      const lp = normalizeLogprobs(c.logprobs);
      if (lp) state.logprobs = mergeLogprobs(state.logprobs, lp, state.text, delta);
      if (delta) {
        if (this.firstTokenMs === undefined) this.firstTokenMs = performance.now() - this.started;
        state.text += delta;
        this.applyStops(state, delta.length);
      }
      if (typeof c.finish_reason === 'string' && !state.finished) {
        state.finishReason = c.finish_reason;
        state.finished = true;
      }
      const verdict = this.options.onProgress?.({ index: state.index, text: state.text, finished: state.finished });
      if (verdict === 'stop') stopRequested = true;
    }
    const expected = this.options.expectedChoices ?? 1;
    const finishedCount = [...this.choices.values()].filter((s) => s.finished).length;
    if (stopRequested || (finishedCount >= expected && this.anyEndedByClient())) {
      this.endedEarly = true;
      return true;
    }
    return false;
  }

  private anyEndedByClient(): boolean {
    return [...this.choices.values()].some((s) => s.finishReason === 'stop' && s.clientStopped === true);
  }

  private stateFor(index: number): ChoiceState {
    let state = this.choices.get(index);
    if (!state) {
      state = { index, text: '', finishReason: null, finished: false };
      this.choices.set(index, state);
    }
    return state;
  }

  /** Cuts the text at the first stop string; only the tail that could contain a new match is searched. */
  private applyStops(state: ChoiceState, deltaLength: number): void {
    if (this.stops.length === 0) return;
    const from = Math.max(0, state.text.length - deltaLength - this.maxStopLength + 1);
    let cut = -1;
    for (const stop of this.stops) {
      const at = state.text.indexOf(stop, from);
      if (at !== -1 && (cut === -1 || at < cut)) cut = at;
    }
    if (cut !== -1) {
      state.text = state.text.slice(0, cut);
      state.finishReason = 'stop';
      state.finished = true;
      state.clientStopped = true;
    }
  }

  result(status: number, headersMs: number, totalMs: number): CompletionResult {
    const choices = [...this.choices.values()]
      .sort((a, b) => a.index - b.index)
      .map((s) => ({
        index: s.index,
        text: s.text,
        finishReason: s.finishReason,
        ...(s.logprobs ? { logprobs: s.logprobs } : {}),
      }));
    return {
      status,
      ...this.meta,
      choices,
      ...(this.usage ? { usage: this.usage } : {}),
      ...(this.moderation !== undefined ? { moderation: this.moderation } : {}),
      timing: { headersMs, totalMs, ...(this.firstTokenMs !== undefined ? { firstTokenMs: this.firstTokenMs } : {}) },
      endedEarly: this.endedEarly,
      streamed: this.streamed,
    };
  }
}

/**
 * Chunks normally carry the logprobs of their own tokens; API2D with `moderation` repeats the full
 * list in every event. A list whose tokens spell the whole text so far replaces, anything else appends.
 */
function mergeLogprobs(previous: TokenLogprob[] | undefined, incoming: TokenLogprob[], textBefore: string, delta: string): TokenLogprob[] {
  const spelled = incoming.map((t) => t.token).join('');
  if (previous && previous.length > 0 && spelled === textBefore + delta && spelled.length > delta.length) return incoming;
  return previous ? previous.concat(incoming) : incoming;
}
