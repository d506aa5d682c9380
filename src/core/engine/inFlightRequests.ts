import type { ChoiceProgress } from '../protocol/completionClient';
import { InfillError, toInfillError } from '../infillError';
import type { HttpTransport } from '../transport/httpTransport';
import { normalizeNewlines } from '../stream/streamStopper';
import { suffixKeyOf } from './completionCache';
import { executeCompletion, type CompletionOutcome, type PreparedCompletion } from './completionEngine';

/** One request streaming for a document. */
export interface InFlight {
  documentId: string;
  /** Window prefix and suffix key of the position the request was made for. */
  prefix: string;
  suffixKey: string;
  controller: AbortController;
  promise: Promise<CompletionOutcome>;
  /** Latest raw text of choice 0, LF line endings. */
  text: string;
  done: boolean;
  speculative: boolean;
  /** Positions waiting on this request, told of each streamed update. */
  watchers: Set<() => void>;
  /** Editor calls waiting for this request now; at 0 the abandonment timer runs. */
  waiters: number;
  abandonTimer?: NodeJS.Timeout;
}

/**
 * How long a request nobody waits for may go on: about one typing gap. The next keystroke joins it
 * within that time when it can use it; after it (Escape, the cursor moved, another editor) it
 * would only stream on for a bill.
 */
export const ABANDON_AFTER_MS = 1_000;

export interface InFlightHooks {
  /** A request went out. */
  onStart(flight: InFlight): void;
  /** Its outcome is in (also after an abort); what is returned is what the request's callers get. */
  onSettled(flight: InFlight, outcome: CompletionOutcome, prepared: PreparedCompletion): CompletionOutcome;
  /** A running request was aborted because nothing can use it any more. */
  onAborted(flight: InFlight): void;
}

/**
 * At most one request streaming per document, and what it has streamed so far, so that a later
 * keystroke whose position the stream can still serve waits for it instead of asking again.
 */
export class InFlightRequests {
  private readonly byDocument = new Map<string, InFlight>();

  constructor(
    private readonly transport: HttpTransport,
    private readonly hooks: InFlightHooks,
    private readonly abandonAfterMs = ABANDON_AFTER_MS,
  ) {}

  get size(): number {
    return this.byDocument.size;
  }

  get(documentId: string): InFlight | undefined {
    return this.byDocument.get(documentId);
  }

  promises(): Promise<CompletionOutcome>[] {
    return [...this.byDocument.values()].map((f) => f.promise);
  }

  /** Sends `prepared`; the caller has aborted any other request for the document. */
  start(documentId: string, prepared: PreparedCompletion, speculative: boolean): InFlight {
    const window = prepared.assembled.window;
    const flight: InFlight = {
      documentId,
      prefix: window.prefix,
      suffixKey: suffixKeyOf(window.suffix),
      controller: new AbortController(),
      text: '',
      done: false,
      speculative,
      watchers: new Set(),
      waiters: 0,
      promise: Promise.resolve(undefined as unknown as CompletionOutcome),
    };
    this.hooks.onStart(flight);
    flight.promise = executeCompletion(this.transport, prepared, {
      signal: flight.controller.signal,
      onText: (choice: ChoiceProgress) => {
        if (choice.index !== 0) return;
        flight.text = normalizeNewlines(choice.text);
        for (const watch of flight.watchers) watch();
      },
    })
      .then((outcome) => this.hooks.onSettled(flight, outcome, prepared))
      .catch((err: unknown) => failedOutcome(prepared, err))
      .finally(() => {
        // Whatever happened after the answer, the document may ask again.
        flight.done = true;
        if (flight.abandonTimer) clearTimeout(flight.abandonTimer);
        if (this.byDocument.get(documentId) === flight) this.byDocument.delete(documentId);
      });
    this.byDocument.set(documentId, flight);
    return flight;
  }

  /** An editor call waits for `flight`. */
  claim(flight: InFlight): void {
    flight.waiters++;
    if (flight.abandonTimer) clearTimeout(flight.abandonTimer);
    flight.abandonTimer = undefined;
  }

  /**
   * An editor call stopped waiting for `flight`. When it was the last one, the request is aborted
   * unless another call claims it within the abandonment time.
   */
  release(flight: InFlight): void {
    flight.waiters = Math.max(0, flight.waiters - 1);
    if (flight.waiters > 0 || flight.done || flight.speculative) return;
    if (flight.abandonTimer) clearTimeout(flight.abandonTimer);
    flight.abandonTimer = setTimeout(() => {
      flight.abandonTimer = undefined;
      if (flight.waiters === 0) this.abort(flight, 'abandoned: nothing asked for a position it can serve');
    }, this.abandonAfterMs);
    flight.abandonTimer.unref?.();
  }

  /** Aborts a request nothing can use any more. */
  abort(flight: InFlight, reason = 'superseded by a position it cannot serve'): void {
    if (flight.done) return;
    if (flight.abandonTimer) clearTimeout(flight.abandonTimer);
    this.hooks.onAborted(flight);
    flight.controller.abort(new InfillError('aborted', reason));
    if (this.byDocument.get(flight.documentId) === flight) this.byDocument.delete(flight.documentId);
  }

  abortAll(reason: string): void {
    for (const f of this.byDocument.values()) {
      if (f.abandonTimer) clearTimeout(f.abandonTimer);
      f.controller.abort(new InfillError('aborted', reason));
    }
    this.byDocument.clear();
  }
}

/** A bug after the answer came costs this one suggestion, never a rejection nobody handles. */
function failedOutcome(prepared: PreparedCompletion, err: unknown): CompletionOutcome {
  const error = toInfillError(err, 'protocol');
  const reason = `internal error: ${error.message}`;
  return { suggestions: [], decision: { ...prepared.base, outcome: 'error', reasonCode: 'error', reason, error } };
}

/**
 * The new position (prefix `prefix`) can be served by the running request when it extends the
 * request's prefix by text the stream has produced, or is still producing (what was typed is
 * consistent with the text so far).
 */
export function isReachable(flight: InFlight, prefix: string, suffixKey: string): boolean {
  if (flight.done || flight.suffixKey !== suffixKey || !prefix.startsWith(flight.prefix)) return false;
  const typed = normalizeNewlines(prefix.slice(flight.prefix.length));
  if (typed === '') return true;
  const streamed = flight.text.replace(/^[ \t]+/, '');
  return streamed.startsWith(typed) || typed.startsWith(streamed) || flight.text.startsWith(typed);
}

/** Waits for a joined request, the editor's cancellation, or the stream parting from what was typed. */
export async function raceJoin(
  flight: InFlight,
  signal: AbortSignal | undefined,
  diverged: () => boolean,
): Promise<{ value: CompletionOutcome } | 'aborted' | 'diverged'> {
  let watch: (() => void) | undefined;
  const parted = new Promise<'diverged'>((resolve) => {
    watch = () => {
      if (!flight.done && diverged()) resolve('diverged');
    };
    flight.watchers.add(watch);
  });
  try {
    return await Promise.race([raceAbort(flight.promise, signal), parted]);
  } finally {
    if (watch) flight.watchers.delete(watch);
  }
}

export async function raceAbort<T>(
  promise: Promise<T>,
  signal: AbortSignal | undefined,
): Promise<{ value: T } | 'aborted'> {
  if (!signal) return { value: await promise };
  if (signal.aborted) return 'aborted';
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve({ value });
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
