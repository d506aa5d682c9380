import type { Candidate, PostprocessContext, PostprocessFilter } from './types';
import { bracketBalance } from './bracketBalance';
import { codeFence } from './codeFence';
import { degenerateRepetition } from './degenerateRepetition';
import { emptyOrRepeated } from './emptyOrRepeated';
import { indentationAndLineEndings } from './indentation';
import { leadingWhitespace } from './leadingWhitespace';
import { nextLineDuplicate } from './nextLineDuplicate';
import { normalizeInput } from './normalizeInput';
import { suffixOverlap } from './suffixOverlap';
import { trailingWhitespace } from './trailingWhitespace';
import { truncateToPlan } from './truncateToPlan';

/**
 * The filters, in the order they run. Reading this list tells the behaviour: clean the input, cut
 * it where the stop rules end it, drop degenerate output, fit it to the brackets and text around
 * the cursor, drop what duplicates the document, then write it in the document's own style.
 */
export const POSTPROCESS_FILTERS: readonly PostprocessFilter[] = [
  normalizeInput,
  codeFence,
  leadingWhitespace,
  truncateToPlan,
  degenerateRepetition,
  bracketBalance,
  suffixOverlap,
  nextLineDuplicate,
  trailingWhitespace,
  emptyOrRepeated,
  indentationAndLineEndings,
];

/** What one filter did, for "Explain last suggestion". */
export interface PostprocessStep {
  filter: string;
  /** The text after this filter, or null when it dropped the completion. */
  result: string | null;
  replaceSuffixChars?: number;
}

export interface PostprocessResult {
  candidate: Candidate | null;
  /** Only the filters that changed something. */
  steps: PostprocessStep[];
  /** Name of the filter that dropped the completion. */
  droppedBy?: string;
}

export function postprocess(
  raw: string,
  context: PostprocessContext,
  filters: readonly PostprocessFilter[] = POSTPROCESS_FILTERS,
): PostprocessResult {
  let current: Candidate = { text: raw, replaceSuffixChars: 0 };
  const steps: PostprocessStep[] = [];
  for (const filter of filters) {
    const next = filter.apply(current, context);
    if (next === null) {
      steps.push({ filter: filter.name, result: null });
      return { candidate: null, steps, droppedBy: filter.name };
    }
    if (next.text !== current.text || next.replaceSuffixChars !== current.replaceSuffixChars) {
      steps.push({
        filter: filter.name,
        result: next.text,
        ...(next.replaceSuffixChars ? { replaceSuffixChars: next.replaceSuffixChars } : {}),
      });
    }
    current = next;
  }
  return { candidate: current, steps };
}
