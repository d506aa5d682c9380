import { indentWidth, isBlank, scanCode, splitLines } from '../stream/codeShape';
import { bracketFacts, type BracketFacts } from './proseBrackets';
import { CLOSING_PUNCTUATION_ONLY } from '../stream/completionPlan';
import type { Candidate, PostprocessContext, PostprocessFilter } from './types';

const CLOSING = /[)\]}"'`]/;

/**
 * Nothing shows twice. Closing lines at the end of the completion that the document already has
 * right below the cursor are removed (unless the completion opened what they close). On the
 * cursor's line, closing brackets and quotes after the cursor that the completion also writes are
 * covered by the replace range instead of being inserted a second time.
 */
export const suffixOverlap: PostprocessFilter = {
  name: 'suffix overlap',
  apply(c, ctx) {
    const afterLines = trimRepeatedClosingLines(c, ctx);
    if (afterLines === null) return null;
    const extended = extendOverLineSuffix(afterLines, ctx);
    // A completion that only rewrites what is already there changes nothing: drop it.
    if (extended.replaceSuffixChars > 0 && extended.text === ctx.lineSuffix.slice(0, extended.replaceSuffixChars))
      return null;
    return extended;
  },
};

/** `}` and `};` are the same closing line; a closing line is compared with its indentation, which says what it
 * closes. */
function normalizeLine(line: string): string {
  const t = line.trim().replace(/[;,]$/, '');
  if (/^[)\]}]+$/.test(t)) return `${indentWidth(line)}:${t}`;
  return t;
}

function trimRepeatedClosingLines(c: Candidate, ctx: PostprocessContext): Candidate | null {
  const lines = c.text.split('\n');
  if (lines.length < 2) return c;
  const below = splitLines(ctx.suffix)
    .slice(1)
    .filter((l) => !isBlank(l))
    .slice(0, 8);
  if (below.length === 0) return c;
  const state = ctx.plan.prefixState;
  for (let m = Math.min(lines.length - 1, below.length); m >= 1; m--) {
    const tail = lines.slice(lines.length - m);
    if (tail.some((l) => isBlank(l))) continue;
    if (!tail.every((l, i) => normalizeLine(l) === normalizeLine(below[i]!))) continue;
    const kept = lines.slice(0, lines.length - m).join('\n');
    // Keep lines that close what the completion itself opened: removing them would unbalance it.
    const scan = scanCode(kept, state, ctx.languageId);
    if (scan.stack.length > scan.lowWater) continue;
    const text = kept.replace(/\s+$/, '');
    if (text.trim() === '') return null;
    return { ...c, text };
  }
  return c;
}

/**
 * How many of the brackets that open the rest of the line would close nothing once the completion
 * is in: those opened on the cursor's line still need their closers, whatever the completion closed.
 */
function spareSuffixBrackets(facts: BracketFacts, rest: string): number {
  const closedByCompletion = facts.closedOuter.filter((s) => /[)\]}]/.test(s)).length;
  const leading = (/^[)\]}"'`\s]*/.exec(rest)![0].match(/[)\]}]/g) ?? []).length;
  return Math.max(0, closedByCompletion + leading - facts.openOnLine);
}

function extendOverLineSuffix(c: Candidate, ctx: PostprocessContext): Candidate {
  const rest = ctx.lineSuffix.replace(/\s+$/, '');
  if (rest === '') return c;
  const scan = bracketFacts(c.text, ctx);
  // Closers in the suffix that the completion already wrote (it closed what the prefix opened). Only
  // as many brackets as the line then has too many: in `f([a, ` + `0]` + `])` the `]` after the cursor
  // closes the outer `[`, which is still open.
  const spare = spareSuffixBrackets(scan, rest);
  let matched = 0;
  let brackets = 0;
  for (const closer of scan.closedOuter) {
    if (!rest.startsWith(closer, matched)) break;
    if (/[)\]}]/.test(closer) && ++brackets > spare) break;
    matched += closer.length;
  }
  const lastLine = c.text.slice(c.text.lastIndexOf('\n') + 1);
  // The model wrote the rest of the line again, and it is more than closers (`) {`, `].append(x)`):
  // whatever it opens or closes, it is the same text as the line's, so it replaces it.
  if (!CLOSING_PUNCTUATION_ONLY.test(rest) && lastLine.endsWith(rest)) return { ...c, replaceSuffixChars: rest.length };
  // Brackets the completion opens and leaves open need the suffix's closers: keep them.
  if (scan.leavesOpen) return c;
  const closersLeft = (rest.slice(matched).match(/[)\]}]/g) ?? []).length;
  if (
    lastLine.endsWith(rest) &&
    // A rest of only brackets (`)]`) may be what the line still needs; one with more (`),`, `);`) written
    // again at the end of the completion is a copy of it.
    (!/^[)\]}]+$/.test(rest) || rest.length <= spare) &&
    (!CLOSING.test(rest.slice(matched).replace(/["'`]/g, '')) || scan.closedOuter.length >= closersLeft + matched)
  ) {
    // The completion ends with everything after the cursor (`/>`, `);`): replace all of it.
    return { ...c, replaceSuffixChars: rest.length };
  }
  if (matched > 0 && c.text === rest.slice(0, matched)) return { ...c, replaceSuffixChars: matched };
  if (matched > 0) return { ...c, replaceSuffixChars: matched };
  return c;
}
