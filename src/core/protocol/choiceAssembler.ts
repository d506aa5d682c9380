import type { CompletionUsage, ServerTimings, TokenLogprob } from './completionTypes';
import { extractServerMessage, kindForStatus } from './httpErrorMapper';
import { InfillError } from '../infillError';
import { mergeLogprobs, normalizeLogprobs, trimLogprobsToText } from './logprobs';
import type { SseEvent } from './sseDecoder';

/**
 * Turns what a completions server sends (stream chunks or one JSON body) into choices, normalizing
 * the providers' differences:
 * - choices arrive one per event, all in one event (API2D with n/best_of), or interleaved by index;
 * - `finish_reason` is null, absent until the last chunk, `stop`, `length`…;
 * - the stop string is left out (OpenAI) or kept in `text` (ppinfra): the client cuts at it either way;
 * - `logprobs` is null, the legacy shape, the chat shape (llama.cpp), or the full list on every event (API2D);
 * - `usage` comes in the last chunk (with `include_usage`, after an empty `choices`) or the body;
 * - a failure after streaming began is an `error` event (llama.cpp) or an `error` object.
 * Pure: no I/O, so every rule is tested without a server.
 */

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

export interface AssemblerOptions {
  onProgress?: (choice: ChoiceProgress) => StreamVerdict | void;
  /** Stop strings enforced here, whatever the server did with them. */
  clientStops?: readonly string[];
  /** How many choices the request asked for; the stream ends early once all of them finished. */
  expectedChoices?: number;
  /** With `echo`, the prompt the server repeats at the start of each choice: removed from the text. */
  echoedPrompt?: string;
}

export interface AssembledChoice {
  index: number;
  text: string;
  finishReason: string | null;
  logprobs?: TokenLogprob[];
}

export interface AssembledResponse {
  id?: string;
  object?: string;
  model?: string;
  created?: number;
  systemFingerprint?: string;
  choices: AssembledChoice[];
  usage?: CompletionUsage;
  moderation?: unknown;
  /** llama.cpp's prompt cost, when the stream ran to its last chunk. */
  serverTimings?: ServerTimings;
  /** The client ended the exchange itself (a stop string or the caller's `stop`), before the server did. */
  endedEarly: boolean;
  streamed: boolean;
}

/** What the reader should do after an event. */
export type AssemblerVerdict = 'more' | 'done' | 'stop';

interface ChoiceState {
  index: number;
  text: string;
  finishReason: string | null;
  logprobs?: TokenLogprob[];
  finished: boolean;
  /** Ended by one of our stop strings rather than by the server. */
  clientStopped: boolean;
  /** The server sent this choice's finish_reason: it generates nothing more for it. */
  serverFinished: boolean;
  /** What is left of the echoed prompt to remove from the start of the text. */
  echoPending: string;
}

export class ChoiceAssembler {
  private readonly choices = new Map<number, ChoiceState>();
  private readonly stops: string[];
  private readonly maxStopLength: number;
  private meta: { id?: string; object?: string; model?: string; created?: number; systemFingerprint?: string } = {};
  private usage: CompletionUsage | undefined;
  private serverTimings: ServerTimings | undefined;
  private moderation: unknown;
  private endedEarly = false;
  private streamed = false;
  /** Called once, when the first non-empty text arrives (time to first token). */
  onFirstText: (() => void) | undefined;

  constructor(private readonly options: AssemblerOptions = {}) {
    this.stops = [...new Set((options.clientStops ?? []).filter((s) => typeof s === 'string' && s.length > 0))];
    this.maxStopLength = this.stops.reduce((m, s) => Math.max(m, s.length), 0);
  }

  /** One SSE event. 'done' when the server said [DONE]; 'stop' when the client has all it needs before that. */
  onEvent(event: SseEvent): AssemblerVerdict {
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

  /** A whole (non-streamed) JSON body. */
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

  /** Returns true when every expected choice has finished by a client stop, or the caller asked to stop. */
  private onObject(value: unknown, indexOffset = 0): boolean {
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw new InfillError('protocol', 'The server sent something that is not a completion object');
    }
    const obj = value as Record<string, unknown>;
    throwIfServerError(obj);
    this.readResponseFields(obj);
    const choices = Array.isArray(obj.choices) ? (obj.choices as unknown[]) : [];
    let stopRequested = false;
    for (const raw of choices) {
      if (!raw || typeof raw !== 'object') continue;
      if (this.onChoice(raw as Record<string, unknown>, indexOffset) === 'stop') stopRequested = true;
    }
    const expected = this.options.expectedChoices ?? 1;
    const all = [...this.choices.values()];
    const finishedCount = all.filter((s) => s.finished).length;
    // Ending early pays off only while the server is still generating: when it finished too (ppinfra
    // sends the stop string with finish_reason), reading on to [DONE] keeps the connection and the usage.
    if (stopRequested || (finishedCount >= expected && all.some((s) => s.clientStopped && !s.serverFinished))) {
      this.endedEarly = true;
      return true;
    }
    return false;
  }

  /** What describes the whole response (id, model, usage, timings), whichever chunk carries it. */
  private readResponseFields(obj: Record<string, unknown>): void {
    if (typeof obj.id === 'string') this.meta.id = obj.id;
    if (typeof obj.object === 'string') this.meta.object = obj.object;
    if (typeof obj.model === 'string') this.meta.model = obj.model;
    if (typeof obj.created === 'number') this.meta.created = obj.created;
    if (typeof obj.system_fingerprint === 'string') this.meta.systemFingerprint = obj.system_fingerprint;
    const usage = normalizeUsage(obj.usage);
    if (usage) this.usage = usage;
    const timings = normalizeTimings(obj.timings);
    if (timings) this.serverTimings = timings;
    if (obj.moderation !== undefined) this.moderation = obj.moderation;
  }

  /** One choice's piece of text and finish reason; returns the caller's verdict on the progress. */
  private onChoice(c: Record<string, unknown>, indexOffset: number): StreamVerdict | void {
    const index =
      (typeof c.index === 'number' && Number.isSafeInteger(c.index) && c.index >= 0 ? c.index : 0) + indexOffset;
    const state = this.stateFor(index);
    if (state.finished) return;
    let delta = typeof c.text === 'string' ? c.text : '';
    const lp = normalizeLogprobs(c.logprobs);
    if (lp) state.logprobs = mergeLogprobs(state.logprobs, lp, state.text, delta);
    if (state.echoPending) delta = this.consumeEcho(state, delta);
    if (delta) {
      if (this.onFirstText) {
        this.onFirstText();
        this.onFirstText = undefined;
      }
      state.text += delta;
      this.applyStops(state, delta.length);
    }
    if (typeof c.finish_reason === 'string') {
      state.serverFinished = true;
      if (!state.finished) {
        state.finishReason = c.finish_reason;
        state.finished = true;
      }
    }
    return this.options.onProgress?.({ index: state.index, text: state.text, finished: state.finished });
  }

  /** Removes the echoed prompt from the start of a choice, across as many chunks as it spans. */
  private consumeEcho(state: ChoiceState, delta: string): string {
    const pending = state.echoPending;
    if (delta.startsWith(pending)) {
      state.echoPending = '';
      return delta.slice(pending.length);
    }
    if (pending.startsWith(delta)) {
      state.echoPending = pending.slice(delta.length);
      return '';
    }
    // The server did not echo what we sent (it normalized whitespace, say): keep its text as is.
    state.echoPending = '';
    return delta;
  }

  private stateFor(index: number): ChoiceState {
    let state = this.choices.get(index);
    if (!state) {
      state = {
        index,
        text: '',
        finishReason: null,
        finished: false,
        clientStopped: false,
        serverFinished: false,
        echoPending: this.options.echoedPrompt ?? '',
      };
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

  result(): AssembledResponse {
    const choices = [...this.choices.values()]
      .sort((a, b) => a.index - b.index)
      .map((s) => {
        const logprobs =
          s.logprobs && s.clientStopped && !this.options.echoedPrompt
            ? trimLogprobsToText(s.logprobs, s.text.length)
            : s.logprobs;
        return { index: s.index, text: s.text, finishReason: s.finishReason, ...(logprobs ? { logprobs } : {}) };
      });
    return {
      ...this.meta,
      choices,
      ...(this.usage ? { usage: this.usage } : {}),
      ...(this.serverTimings ? { serverTimings: this.serverTimings } : {}),
      ...(this.moderation !== undefined ? { moderation: this.moderation } : {}),
      endedEarly: this.endedEarly,
      streamed: this.streamed,
    };
  }
}

function normalizeTimings(value: unknown): ServerTimings | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const t = value as Record<string, unknown>;
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
  const promptTokens = count(t.prompt_n);
  const promptMs = count(t.prompt_ms);
  if (promptTokens === undefined || promptMs === undefined) return undefined;
  const cachedTokens = count(t.cache_n);
  return { promptTokens, promptMs, ...(cachedTokens !== undefined ? { cachedTokens } : {}) };
}

/** Keeps the numeric counters (API2D's `final_total` included); null (every chunk but the last) gives undefined. */
function normalizeUsage(value: unknown): CompletionUsage | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: CompletionUsage = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'number' && Number.isFinite(v)) (out as Record<string, number>)[k] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** An `error` object in place of a completion (relays, llama.cpp) is a typed error, by its code when it has one. */
function throwIfServerError(obj: Record<string, unknown>): void {
  if (obj.error === undefined || obj.error === null) return;
  const message = extractServerMessage(JSON.stringify(obj), 'application/json').text;
  const code = typeof obj.error === 'object' ? (obj.error as { code?: unknown }).code : undefined;
  const kind = typeof code === 'number' && code >= 400 && code < 600 ? kindForStatus(code) : 'server';
  throw new InfillError(kind, `Server error: ${message}`, typeof code === 'number' ? { status: code } : {});
}
