import type { TokenLogprob } from '../protocol/completionTypes';

/**
 * With `n` > 1 (or `best_of`), several distinct choices become several inline items, which VS Code
 * cycles. They are ranked by mean token log probability when the server sent logprobs (the most
 * confident first), else kept in the server's order. `infill.minConfidence` hides those whose mean
 * token probability is below it; a choice without logprobs is never hidden for lack of them.
 */
export interface ChoiceToRank {
  index: number;
  text: string;
  replaceSuffixChars: number;
  /** Logprobs of the tokens that make up the shown text. */
  logprobs?: TokenLogprob[];
}

export interface RankedChoice extends ChoiceToRank {
  meanLogprob?: number;
  /** exp(meanLogprob): the geometric mean of the token probabilities. */
  meanProbability?: number;
}

export interface RankingResult {
  kept: RankedChoice[];
  /** Distinct choices hidden by `infill.minConfidence`. */
  belowConfidence: RankedChoice[];
  /** Choices dropped because another one shows the same text. */
  duplicates: number;
}

export function meanLogprob(tokens: readonly TokenLogprob[] | undefined): number | undefined {
  if (!tokens || tokens.length === 0) return undefined;
  return tokens.reduce((sum, t) => sum + t.logprob, 0) / tokens.length;
}

export function rankChoices(choices: readonly ChoiceToRank[], minConfidence: number): RankingResult {
  const seen = new Set<string>();
  const distinct: RankedChoice[] = [];
  let duplicates = 0;
  for (const c of choices) {
    const key = `${c.replaceSuffixChars}\u0000${c.text}`;
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    const mean = meanLogprob(c.logprobs);
    distinct.push(mean === undefined ? { ...c } : { ...c, meanLogprob: mean, meanProbability: Math.exp(mean) });
  }
  // Stable: without logprobs the server's order stands; with them, the most confident first.
  const order = distinct.map((c, i) => ({ c, i }));
  order.sort((a, b) => {
    const la = a.c.meanLogprob;
    const lb = b.c.meanLogprob;
    if (la !== undefined && lb !== undefined && la !== lb) return lb - la;
    if (la !== undefined && lb === undefined) return -1;
    if (la === undefined && lb !== undefined) return 1;
    return a.i - b.i;
  });
  const kept: RankedChoice[] = [];
  const belowConfidence: RankedChoice[] = [];
  for (const { c } of order) {
    if (minConfidence > 0 && c.meanProbability !== undefined && c.meanProbability < minConfidence)
      belowConfidence.push(c);
    else kept.push(c);
  }
  return { kept, belowConfidence, duplicates };
}
