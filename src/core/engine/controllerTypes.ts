/** The controller's inputs, options and counters, apart from its flow. */
import type { CompletionDecision, CompletionQuery } from './completionEngine';
import type { PromptContext } from '../prompt/context/contextTypes';

/** A query for the engine, plus how the editor asked. */
export interface ProvideRequest extends CompletionQuery {
  /** Typing (automatic) or an explicit request (Invoke), which asks at once. */
  trigger: 'automatic' | 'invoke';
  /**
   * The gathered context once the debounce is over: the glue started gathering with the keystroke
   * and resolves within its deadline (`infill.context.deadlineMs`) with what is ready.
   */
  resolveContext?: () => Promise<PromptContext | undefined>;
}

export interface ControllerOptions {
  /** Clock for debounce measurements (the benchmark replays typing on its own clock). */
  now?: () => number;
  /** Entries kept in the completion cache. */
  cacheSize?: number;
  /** How to wait `ms`; resolves true when the wait ran out, false when `signal` aborted it. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<boolean>;
  /**
   * Told once of every request that went out, when its answer is in: speculative ones, and those
   * whose editor call was cancelled before another call used them. Usage is counted here.
   */
  onRequestSettled?: (decision: CompletionDecision) => void;
  /** How long a request nobody waits for goes on before it is aborted (ABANDON_AFTER_MS). */
  abandonAfterMs?: number;
}

export interface ControllerStats {
  /** Completion requests sent to the server (speculative ones included). */
  requestsSent: number;
  /** Requests aborted because the user moved on to a position they cannot serve. */
  requestsAborted: number;
  /** Positions served from the cache at a position seen before (backspace, re-trigger). */
  cacheHits: number;
  /** Positions served from a stored or streaming suggestion the user typed into. */
  typedAheadHits: number;
  /** Requests that joined one already streaming instead of starting another. */
  streamJoins: number;
  speculativeRequests: number;
  /** Positions served from a speculative prefetch. */
  speculativeHits: number;
  /** Characters of raw completion text received. */
  tokensGenerated: number;
  /** Calls that waited for typing to pause, and those superseded while waiting. */
  debounceWaits: number;
  debounceSuperseded: number;
  /** Calls stopped by the mid-line gate. */
  gateSkips: number;
}
