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

/** The fitted characters-per-token ratio moves in steps of this size, so the window does not jitter. */
const CHARS_PER_TOKEN_STEP = 0.25;

export class PromptSpeedMeter {
  private readonly speeds = new Map<string, ServerSpeed>();
  private readonly ratios = new Map<string, { chars: number; tokens: number }>();

  /**
   * Records the size of one prompt in characters and in the server's tokens (llama.cpp's
   * prompt_n + cache_n, or `usage.prompt_tokens`), to fit the tokenizer's characters per token.
   */
  noteTokens(origin: string, promptChars: number, promptTokens: number): void {
    if (!(promptTokens >= MIN_SAMPLE_TOKENS) || !(promptChars > 0)) return;
    const sum = this.ratios.get(origin) ?? { chars: 0, tokens: 0 };
    // A running total, halved now and then, so the fit follows a change of model.
    if (sum.tokens > 100_000) {
      sum.chars /= 2;
      sum.tokens /= 2;
    }
    this.ratios.set(origin, { chars: sum.chars + promptChars, tokens: sum.tokens + promptTokens });
  }

  /** Characters per token of the server's tokenizer, rounded down to a step; undefined until counted. */
  charsPerToken(origin: string): number | undefined {
    const sum = this.ratios.get(origin);
    if (!sum || sum.tokens === 0) return undefined;
    return Math.max(1, Math.floor(sum.chars / sum.tokens / CHARS_PER_TOKEN_STEP) * CHARS_PER_TOKEN_STEP);
  }

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
