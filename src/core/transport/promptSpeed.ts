/**
 * How fast each server evaluates prompt tokens, learned from its answers, so the prompt layout can
 * keep the part re-evaluated on every keystroke within a time budget (see promptWindow's
 * `promptSuffixTokens`). llama.cpp reports it exactly (`timings.prompt_n` / `prompt_ms`). Other
 * servers say nothing, and their time to first token cannot tell evaluated tokens from cached
 * ones, so it is only believed when it shows a server slower than assumed.
 */

/** A small model on a laptop CPU evaluates a few hundred to about a thousand prompt tokens a second. */
export const ASSUMED_LOCAL_PROMPT_TOKENS_PER_SECOND = 500;
/** Fewer evaluated tokens than this say more about the server's fixed overhead than its speed. */
const MIN_SAMPLE_TOKENS = 16;
/** Weight of a new sample: a few answers move the estimate, one odd answer does not. */
const SMOOTHING = 0.3;

export interface PromptCostSample {
  /** llama.cpp `timings`: tokens evaluated and the milliseconds they took. */
  evaluatedTokens?: number;
  promptMs?: number;
  /** Without timings: prompt size and time to first token. */
  promptTokens?: number;
  firstTokenMs?: number;
}

interface ServerSpeed {
  tokensPerSecond: number;
  /** Learned from the server's own timings (exact), or only bounded from time to first token. */
  exact: boolean;
}

export class PromptSpeedMeter {
  private readonly speeds = new Map<string, ServerSpeed>();

  /** Records one answer from `origin` (scheme://host:port). */
  note(origin: string, sample: PromptCostSample): void {
    const known = this.speeds.get(origin);
    if (sample.evaluatedTokens !== undefined && sample.promptMs !== undefined) {
      if (sample.evaluatedTokens < MIN_SAMPLE_TOKENS || sample.promptMs <= 0) return;
      const speed = (sample.evaluatedTokens / sample.promptMs) * 1000;
      const previous = known?.exact ? known.tokensPerSecond : speed;
      this.speeds.set(origin, { tokensPerSecond: previous + SMOOTHING * (speed - previous), exact: true });
      return;
    }
    if (known?.exact) return;
    if (sample.promptTokens === undefined || sample.firstTokenMs === undefined || sample.firstTokenMs <= 0) return;
    if (sample.promptTokens < MIN_SAMPLE_TOKENS) return;
    // An upper bound on the speed: the server may have evaluated fewer tokens than the prompt holds.
    const bound = (sample.promptTokens / sample.firstTokenMs) * 1000;
    const previous = known?.tokensPerSecond ?? bound;
    this.speeds.set(origin, { tokensPerSecond: previous + SMOOTHING * (bound - previous), exact: false });
  }

  /**
   * Prompt tokens per second to plan for: the learned speed, or for a server on the user's own
   * machine or network the assumed CPU speed (never more, unless the server's timings say so).
   * Undefined for other servers: hosted models evaluate prompts far faster than they cross the network.
   */
  tokensPerSecond(origin: string, local: boolean): number | undefined {
    const known = this.speeds.get(origin);
    if (known?.exact) return known.tokensPerSecond;
    if (!local) return undefined;
    return Math.min(known?.tokensPerSecond ?? Infinity, ASSUMED_LOCAL_PROMPT_TOKENS_PER_SECOND);
  }
}
