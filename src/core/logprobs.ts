import type { ChatShapedLogprobs, LegacyLogprobs, TokenLogprob } from './completionTypes';

/** Reads either logprobs shape (legacy completions, or llama.cpp's chat shape) into one list. */
export function normalizeLogprobs(value: unknown): TokenLogprob[] | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const chat = value as ChatShapedLogprobs;
  if (Array.isArray(chat.content)) {
    return chat.content
      .filter((t) => t && typeof t.token === 'string' && typeof t.logprob === 'number')
      .map((t) => ({ token: t.token, logprob: t.logprob }));
  }
  const legacy = value as LegacyLogprobs;
  if (Array.isArray(legacy.tokens)) {
    const out: TokenLogprob[] = [];
    legacy.tokens.forEach((token, i) => {
      const lp = legacy.token_logprobs?.[i];
      if (typeof token === 'string' && typeof lp === 'number') out.push({ token, logprob: lp });
    });
    return out;
  }
  return undefined;
}

/** Mean token probability (not log) of a completion, or undefined without logprobs. */
export function meanTokenProbability(tokens: TokenLogprob[] | undefined): number | undefined {
  if (!tokens || tokens.length === 0) return undefined;
  const meanLogprob = tokens.reduce((sum, t) => sum + t.logprob, 0) / tokens.length;
  return Math.exp(meanLogprob);
}
