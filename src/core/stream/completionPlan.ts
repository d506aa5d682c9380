import { indentWidth, isBlank, leadingWhitespace, nextNonBlankLine, stateAfter, type ScanState } from './codeShape';

/**
 * The plan: before any token arrives, the cursor's context decides whether the completion is one
 * line or a block, and what scope a block has.
 *
 * - One line: in the middle of a line, right after a suggestion was partly accepted, or at the end
 *   of a line that does not open a block (unless the completion's own first line opens one).
 * - A block: on an empty line, or after a block opener (see blockEnd.ts for where it ends).
 */

export type CompletionShape = 'line' | 'block';

export interface StopRuleContext {
  languageId: string;
  /** Text before the cursor (the window; only its last lines are read). */
  prefix: string;
  /** Text after the cursor (the window). */
  suffix: string;
  linePrefix: string;
  lineSuffix: string;
  maxLines: number;
  multiline: 'auto' | 'never' | 'always';
  /** The user just accepted part of a suggestion (a word or a line): continue that line only. */
  afterPartialAccept?: boolean;
  tabSize?: number;
  /** Strings and comments open at the window's first line (see lexicalState.ts); outside all when absent. */
  windowStartState?: ScanState;
}

export interface CompletionPlan {
  shape: CompletionShape;
  why: string;
  /** The cursor sits right after a block opener (on its line, or on an empty line below it). */
  openerMode: boolean;
  /** Indentation of the line that opened the cursor's block (openerMode), in columns. */
  scopeIndent: number;
  /** Indentation the cursor's line has (or will have), in columns. */
  cursorIndent: number;
  /** A multi-line string is open at the cursor: the completion ends where it closes. */
  inLongString?: string;
  /** May switch from one line to a block when the completion's first line opens one. */
  dynamicMultiline: boolean;
  prefixState: ScanState;
  /** The first non-blank line below the cursor's line, trimmed, as it is, and its indentation. */
  nextLine?: string;
  nextLineRaw?: string;
  nextLineIndent?: number;
  /** Closing brackets after the cursor on its line: a completion may write them (the replace range covers them). */
  suffixClosers: number;
  maxLines: number;
  languageId: string;
  tabSize: number;
}

/** What every plan shares, whatever its shape. */
type PlanBase = Pick<
  CompletionPlan,
  | 'prefixState'
  | 'nextLine'
  | 'nextLineRaw'
  | 'nextLineIndent'
  | 'maxLines'
  | 'suffixClosers'
  | 'languageId'
  | 'tabSize'
>;

export interface StopPoint {
  /** Offset in the (LF-normalized) text where the completion ends. */
  cut: number;
  rule: string;
}

/** Matches what is left after the cursor when the mid-line gate lets a request through. */
export const CLOSING_PUNCTUATION_ONLY = /^[\s)\]}"'`;,:]*$/;

/** Whether a line ends by opening a block (a bracket, or `:` in Python). */
export function opensBlock(line: string, languageId: string): boolean {
  const code = line
    .replace(/\s*(\/\/.*|#.*)$/, (m) => (languageId === 'python' || !m.trimStart().startsWith('#') ? '' : m))
    .trimEnd();
  if (/[{([]$/.test(code)) return true;
  if ((languageId === 'python' || languageId === 'yaml') && code.endsWith(':')) return true;
  return /\b(then|do)$/.test(code) && ['ruby', 'lua', 'shellscript', 'elixir', 'julia'].includes(languageId);
}

function previousNonBlankLine(prefix: string): string | undefined {
  const lines = prefix.split('\n');
  lines.pop(); // the cursor's own line
  for (let i = lines.length - 1; i >= 0; i--) if (!isBlank(lines[i]!)) return lines[i]!.replace(/\r$/, '');
  return undefined;
}

export function planCompletion(ctx: StopRuleContext): CompletionPlan {
  const tabSize = ctx.tabSize ?? 4;
  const prefixState = stateAfter(ctx.prefix.replace(/\r\n/g, '\n'), ctx.languageId, ctx.windowStartState);
  const nextRaw = nextNonBlankLine(ctx.suffix.replace(/\r\n/g, '\n'));
  const base: PlanBase = {
    prefixState,
    ...(nextRaw !== undefined
      ? { nextLine: nextRaw.trim(), nextLineRaw: nextRaw.trimEnd(), nextLineIndent: indentWidth(nextRaw, tabSize) }
      : {}),
    maxLines: Math.max(1, ctx.maxLines),
    suffixClosers: CLOSING_PUNCTUATION_ONLY.test(ctx.lineSuffix) ? (ctx.lineSuffix.match(/[)\]}]/g) ?? []).length : 0,
    languageId: ctx.languageId,
    tabSize,
  };
  const lineIndent = indentWidth(ctx.linePrefix, tabSize);
  const block = (why: string, openerMode: boolean, scopeIndent: number, inLongString?: string): CompletionPlan => ({
    ...base,
    shape: 'block',
    why,
    openerMode,
    scopeIndent,
    cursorIndent: lineIndent,
    dynamicMultiline: false,
    ...(inLongString !== undefined ? { inLongString } : {}),
  });
  const line = (why: string, dynamic: boolean): CompletionPlan => ({
    ...base,
    shape: 'line',
    why,
    openerMode: false,
    scopeIndent: indentWidth(leadingWhitespace(ctx.linePrefix), tabSize),
    cursorIndent: indentWidth(leadingWhitespace(ctx.linePrefix), tabSize),
    dynamicMultiline: dynamic && ctx.multiline !== 'never',
  });
  const midLine = !isBlank(ctx.lineSuffix);
  const top = prefixState.stack[prefixState.stack.length - 1];
  if ((top === '"""' || top === "'''" || top === '`') && ctx.multiline !== 'never' && !midLine)
    return block('inside a multi-line string', false, -1, top);
  if (ctx.multiline === 'never') return line('infill.multiline is never', false);
  if (ctx.afterPartialAccept) return line('a suggestion was just partly accepted', false);
  const closersOnly = CLOSING_PUNCTUATION_ONLY.test(ctx.lineSuffix);
  if (midLine && !closersOnly) return line('the cursor is in the middle of a line', false);
  if (!isBlank(ctx.linePrefix) && opensBlock(ctx.linePrefix, ctx.languageId))
    return block('the cursor is right after a block opener', true, lineIndent);
  if (midLine) return line('the cursor is before closing punctuation', true);
  if (isBlank(ctx.linePrefix)) {
    const previous = previousNonBlankLine(ctx.prefix.replace(/\r\n/g, '\n'));
    if (previous !== undefined && opensBlock(previous, ctx.languageId))
      return block('an empty line after a block opener', true, indentWidth(previous, tabSize));
    return block('an empty line', false, lineIndent - 1);
  }
  if (ctx.multiline === 'always') return block('infill.multiline is always', false, lineIndent - 1);
  return line('the end of a line that opens no block', true);
}
