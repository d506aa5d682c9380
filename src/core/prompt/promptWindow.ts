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
  /** The document's line ending; `prefix` and `suffix` use it. */
  eol: '\n' | '\r\n';
  /** First and last document lines the window covers. */
  startLine: number;
  endLine: number;
}

/**
 * Documented estimate for code: about 3.5 characters per token for BPE tokenizers of code models
 * (Qwen, DeepSeek, StarCoder). Slightly conservative, so the budget rarely overflows the context.
 */
export const CHARS_PER_TOKEN = 3.5;
/** The prefix gets the larger share: what comes before the cursor predicts the completion best. */
export const PREFIX_SHARE = 0.75;
/**
 * Window edges snap to multiples of up to this many lines, and the cursor line's share is reserved
 * in steps of LINE_RESERVE_STEP characters. Both keep the window's first line the same while the
 * user types, so the completion cache can match the new prefix against the old one and servers with
 * a prompt cache (llama.cpp, vLLM, Ollama) reuse the work done for the previous keystroke: each move
 * of the first line makes the server evaluate the whole prompt again, so it moves in big steps.
 */
export const WINDOW_SNAP_LINES = 64;
export const LINE_RESERVE_STEP = 64;

/**
 * The suffix budget in tokens moves in steps of this size, so a small change in the measured speed
 * does not change the prompt.
 */
export const SUFFIX_BUDGET_STEP_TOKENS = 16;
/** The FIM tokens and the few typed since the last request: evaluated on every keystroke besides the suffix. */
const PER_KEYSTROKE_OVERHEAD_TOKENS = 8;

/** Snap step for a window edge: at most WINDOW_SNAP_LINES, and never more than a quarter of its lines. */
function snapStep(lines: number): number {
  let step = 1;
  while (step * 2 <= Math.min(WINDOW_SNAP_LINES, lines / 4)) step *= 2;
  return step;
}

/**
 * Reads only the lines that fit in `budgetTokens` around the cursor, never the whole document, so
 * the cost per keystroke does not grow with the file.
 */
export function readPromptWindow(
  document: TextDocumentLike,
  position: CursorPosition,
  budgetTokens: number,
): PromptWindow {
  const budgetChars = Math.max(64, Math.floor(budgetTokens * CHARS_PER_TOKEN));
  const eol = document.eol;
  const line = Math.max(0, Math.min(position.line, document.lineCount - 1));
  const current = document.lineText(line);
  const character = Math.max(0, Math.min(position.character, current.length));
  const prefixShare = Math.floor(budgetChars * PREFIX_SHARE);
  // A single enormous line (minified code) is cut too; the prefix then starts mid-line.
  const linePrefix = wholeCharacters(current, Math.max(0, character - prefixShare), character);
  const suffixShare = budgetChars - prefixShare;
  const lineSuffix = wholeCharacters(current, character, character + Math.max(suffixShare, 0));

  const reserve = Math.min(prefixShare, Math.ceil((linePrefix.length + 1) / LINE_RESERVE_STEP) * LINE_RESERVE_STEP);
  let prefixBudget = prefixShare - reserve;
  const prefixLines: string[] = [];
  let l = line - 1;
  for (; l >= 0; l--) {
    const text = document.lineText(l);
    const cost = text.length + eol.length;
    if (cost > prefixBudget) break;
    prefixBudget -= cost;
    prefixLines.push(text);
  }
  let startLine = l + 1;
  const prefixComplete = startLine === 0;
  prefixLines.reverse();
  if (!prefixComplete) {
    const step = snapStep(prefixLines.length);
    const snapped = Math.ceil(startLine / step) * step;
    if (snapped < line) {
      prefixLines.splice(0, snapped - startLine);
      startLine = snapped;
    }
  }

  // Whatever the prefix did not use goes to the suffix.
  let suffixBudget = suffixShare + Math.max(0, prefixBudget) - lineSuffix.length;
  const suffixLines: string[] = [];
  let s = line + 1;
  for (; s < document.lineCount; s++) {
    const text = document.lineText(s);
    const cost = text.length + eol.length;
    if (cost > suffixBudget) break;
    suffixBudget -= cost;
    suffixLines.push(text);
  }
  let endLine = s - 1;
  const suffixComplete = s >= document.lineCount;
  if (!suffixComplete) {
    const step = snapStep(suffixLines.length);
    const snapped = Math.floor((endLine + 1) / step) * step - 1;
    if (snapped > line) {
      suffixLines.length = snapped - line;
      endLine = snapped;
    }
  }

  const prefix = (prefixLines.length > 0 ? prefixLines.join(eol) + eol : '') + linePrefix;
  const suffix = lineSuffix + (suffixLines.length > 0 ? eol + suffixLines.join(eol) : '');
  return { prefix, suffix, linePrefix, lineSuffix, prefixComplete, suffixComplete, eol, startLine, endLine };
}

/** `text.slice(start, end)`, moved inward so that neither edge splits a surrogate pair. */
function wholeCharacters(text: string, start: number, end: number): string {
  const low = (i: number) =>
    i > 0 && i < text.length && /[\uDC00-\uDFFF]/.test(text[i]!) && /[\uD800-\uDBFF]/.test(text[i - 1]!);
  return text.slice(low(start) ? start + 1 : start, low(end) ? end - 1 : end);
}

/**
 * How many tokens of suffix a prompt may carry when the suffix comes after the prefix: with the
 * prefix's end changing on every keystroke, a server with a prompt cache evaluates the suffix again
 * each time, so it is sized to cost at most `budgetMs` at the server's prompt speed. Undefined (the
 * whole suffix window) when the speed is unknown (hosted servers) or the budget is 0 (off).
 */
export function promptSuffixTokens(budgetMs: number, tokensPerSecond: number | undefined): number | undefined {
  if (tokensPerSecond === undefined || !Number.isFinite(tokensPerSecond) || !(budgetMs > 0)) return undefined;
  const affordable = (tokensPerSecond * budgetMs) / 1000 - PER_KEYSTROKE_OVERHEAD_TOKENS;
  return Math.max(0, Math.floor(affordable / SUFFIX_BUDGET_STEP_TOKENS) * SUFFIX_BUDGET_STEP_TOKENS);
}

/**
 * The window's suffix cut to about `tokens` tokens (at the server's fitted characters per token,
 * when known) at a line boundary. The rest of the cursor's line
 * always stays: it costs little, and a model that does not see it writes it again.
 */
export function suffixForPrompt(
  window: Pick<PromptWindow, 'suffix' | 'lineSuffix' | 'eol'>,
  tokens?: number,
  charsPerToken = CHARS_PER_TOKEN,
): string {
  if (tokens === undefined) return window.suffix;
  let budget = Math.floor(tokens * charsPerToken) - window.lineSuffix.length;
  let end = window.lineSuffix.length;
  while (end < window.suffix.length) {
    const next = window.suffix.indexOf(window.eol, end + window.eol.length);
    const lineEnd = next === -1 ? window.suffix.length : next;
    if (lineEnd - end > budget) break;
    budget -= lineEnd - end;
    end = lineEnd;
  }
  return window.suffix.slice(0, end);
}

/** Builds a window from plain prefix and suffix strings (tests, the peer calibration set). */
export function windowFromText(prefix: string, suffix: string): PromptWindow {
  const eol: '\n' | '\r\n' = /\r\n/.test(prefix + suffix) ? '\r\n' : '\n';
  const lastBreak = prefix.lastIndexOf('\n');
  const firstBreak = suffix.search(/\r?\n/);
  return {
    prefix,
    suffix,
    linePrefix: prefix.slice(lastBreak + 1),
    lineSuffix: firstBreak === -1 ? suffix : suffix.slice(0, firstBreak),
    prefixComplete: true,
    suffixComplete: true,
    eol,
    startLine: 0,
    endLine: 0,
  };
}
