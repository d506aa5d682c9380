import type { CursorPosition, TextDocumentLike } from './textDocumentLike';

export interface PromptWindow {
  /** Text before the cursor, cut at a line boundary to fit the budget. */
  prefix: string;
  /** Text after the cursor, cut at a line boundary to fit the budget. */
  suffix: string;
  /** The part of the cursor's line before/after the cursor. */
  linePrefix: string;
  lineSuffix: string;
  /** True when the prefix window reaches the start of the file. */
  prefixComplete: boolean;
  suffixComplete: boolean;
}

/**
 * Documented estimate for code: about 3.5 characters per token for BPE tokenizers of code models
 * (Qwen, DeepSeek, StarCoder). Slightly conservative, so the budget rarely overflows the context.
 */
export const CHARS_PER_TOKEN = 3.5;
/** The prefix gets the larger share: what comes before the cursor predicts the completion best. */
export const PREFIX_SHARE = 0.75;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/**
 * Reads only the lines that fit in `budgetTokens` around the cursor, never the whole document, so
 * the cost per keystroke does not grow with the file.
 */
export function readPromptWindow(document: TextDocumentLike, position: CursorPosition, budgetTokens: number): PromptWindow {
  const budgetChars = Math.max(64, Math.floor(budgetTokens * CHARS_PER_TOKEN));
  const eol = document.eol;
  const line = Math.min(position.line, document.lineCount - 1);
  const current = document.lineText(line);
  const character = Math.min(position.character, current.length);
  const linePrefix = current.slice(0, character);
  const lineSuffix = current.slice(character);

  let prefixBudget = Math.floor(budgetChars * PREFIX_SHARE) - linePrefix.length;
  const prefixLines: string[] = [];
  let l = line - 1;
  for (; l >= 0; l--) {
    const text = document.lineText(l);
    const cost = text.length + eol.length;
    if (cost > prefixBudget) break;
    prefixBudget -= cost;
    prefixLines.push(text);
  }
  const prefixComplete = l < 0;
  prefixLines.reverse();

  // Whatever the prefix did not use goes to the suffix.
  let suffixBudget = budgetChars - (budgetChars * PREFIX_SHARE - Math.max(0, prefixBudget)) - lineSuffix.length;
  const suffixLines: string[] = [];
  let s = line + 1;
  for (; s < document.lineCount; s++) {
    const text = document.lineText(s);
    const cost = text.length + eol.length;
    if (cost > suffixBudget) break;
    suffixBudget -= cost;
    suffixLines.push(text);
  }
  const suffixComplete = s >= document.lineCount;

  const prefix = (prefixLines.length > 0 ? prefixLines.join(eol) + eol : '') + linePrefix;
  const suffix = lineSuffix + (suffixLines.length > 0 ? eol + suffixLines.join(eol) : '');
  return { prefix, suffix, linePrefix, lineSuffix, prefixComplete, suffixComplete };
}
