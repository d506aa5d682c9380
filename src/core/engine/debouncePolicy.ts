/**
 * How long to wait after a keystroke before asking (`infill.debounceMs`).
 *
 * A fixed number waits that long for automatic triggers. `auto` adapts:
 * - an explicit request (Invoke) asks at once;
 * - right after a trigger character (`.`, `(`, `[`, `{`, `,`, `:`, `=`, space after a word) or on a
 *   fresh line, the user is likely to pause and read: ask at once;
 * - in the middle of a word the next key usually follows within the user's typical keystroke gap,
 *   and a request sent now would be superseded. Wait about 1.5 gaps, scaled by how slow the server
 *   is compared with that gap: a fast local server costs little to ask, a slow or paid one is worth
 *   waiting for. Never more than MAX_AUTO_MS.
 *
 * The keystroke gap and server latency are exponentially weighted averages of what was observed.
 * No timer lives here: the caller sleeps.
 */
export const MAX_AUTO_MS = 350;
/** Before anything is measured: a typical 150 ms gap and a 400 ms server. */
export const INITIAL_GAP_MS = 150;
export const INITIAL_LATENCY_MS = 400;
/** Gaps longer than this are pauses, not typing speed. */
const PAUSE_MS = 1500;
const ALPHA = 0.3;

export type DebounceSetting = number | 'auto';

export interface DebounceContext {
  trigger: 'automatic' | 'invoke';
  linePrefix: string;
  lineSuffix: string;
  /** The provider bills per request or token: wasted requests cost money. */
  paid: boolean;
}

export interface DebounceDecision {
  ms: number;
  why: string;
}

/** Reads `infill.debounceMs` as a number of milliseconds or 'auto'; anything else is 'auto'. */
export function parseDebounceSetting(value: unknown): DebounceSetting {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, Math.min(5000, value));
  if (typeof value === 'string' && value.trim() !== '' && value.trim() !== 'auto' && Number.isFinite(Number(value)))
    return Math.max(0, Math.min(5000, Number(value)));
  return 'auto';
}

export class DebouncePolicy {
  private lastKeystroke: number | undefined;
  private gapMs = INITIAL_GAP_MS;
  private latencyMs = INITIAL_LATENCY_MS;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** A keystroke (an automatic trigger) happened now. */
  noteKeystroke(): void {
    const t = this.now();
    if (this.lastKeystroke !== undefined) {
      const gap = t - this.lastKeystroke;
      if (gap > 0 && gap < PAUSE_MS) this.gapMs = ALPHA * gap + (1 - ALPHA) * this.gapMs;
    }
    this.lastKeystroke = t;
  }

  /** A request took this long to its first token (or to its end when nothing streamed). */
  noteLatency(ms: number): void {
    if (ms > 0 && Number.isFinite(ms)) this.latencyMs = ALPHA * ms + (1 - ALPHA) * this.latencyMs;
  }

  get typingGapMs(): number {
    return this.gapMs;
  }

  get serverLatencyMs(): number {
    return this.latencyMs;
  }

  delayFor(setting: DebounceSetting, ctx: DebounceContext): DebounceDecision {
    if (ctx.trigger === 'invoke') return { ms: 0, why: 'explicit request' };
    if (setting !== 'auto') return { ms: setting, why: 'infill.debounceMs' };
    if (ctx.linePrefix.trim() === '') return { ms: 0, why: 'a fresh line' };
    if (/[.([{,:=]\s*$|[A-Za-z0-9_)\]]\s$/.test(ctx.linePrefix) || /^\s*(=>|->)$/.test(ctx.linePrefix.slice(-2)))
      return { ms: 0, why: 'after a trigger character' };
    const scale = this.latencyMs / (this.latencyMs + this.gapMs);
    let ms = 1.5 * this.gapMs * scale;
    if (ctx.paid) ms = Math.max(ms, this.gapMs);
    ms = Math.round(Math.min(MAX_AUTO_MS, ms));
    return { ms, why: `mid-word: typing gap ${Math.round(this.gapMs)} ms, server ${Math.round(this.latencyMs)} ms` };
  }
}
