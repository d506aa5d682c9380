import {
  CLOSERS,
  indentWidth,
  isBlank,
  leadingWhitespace,
  nextNonBlankLine,
  scanCode,
  stateAfter,
  type ScanState,
} from './codeShape';

/**
 * Where a completion ends, decided from the cursor's context and applied while tokens arrive, so
 * the HTTP stream is closed the moment the answer is complete (the server stops generating what
 * nobody will read). The same function cuts the final text, so a streamed and a whole answer end
 * at the same place.
 *
 * - One line: in the middle of a line, right after a suggestion was partly accepted, or at the end
 *   of a line that does not open a block (unless the completion's own first line opens one).
 * - A block: on an empty line, or after a block opener. The block ends at the first blank line
 *   after a complete statement, when indentation returns below the cursor's level, when brackets
 *   close past the cursor's scope, at a line that repeats the next line of the document, or after
 *   `infill.maxLines` lines.
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

export interface StopPoint {
  /** Offset in the (LF-normalized) text where the completion ends. */
  cut: number;
  rule: string;
}

/** Matches what is left after the cursor when the mid-line gate lets a request through. */
export const CLOSING_PUNCTUATION_ONLY = /^[\s)\]}"'`;,:]*$/;

/** The line's first word is an identifier or keyword, followed by something that ends it. */
const FIRST_WORD_DONE = /^\s*[A-Za-z_$@][\w$]*[^\w$]/;
/** Words that let a line left of a block continue its statement (see CONTINUATION). */
const CONTINUATION_WORDS = ['else', 'elif', 'except', 'finally', 'catch', 'rescue', 'ensure', 'when'];

/**
 * Whether the line's first word can no longer turn into a continuation keyword: it is complete,
 * or what has arrived of it (`return`, `print`) already differs from every such keyword.
 */
function firstWordSettled(line: string): boolean {
  if (FIRST_WORD_DONE.test(line)) return true;
  const word = /^\s*([A-Za-z_$@][\w$]*)$/.exec(line)?.[1];
  return word !== undefined && !CONTINUATION_WORDS.some((k) => k.startsWith(word));
}
const CONTINUATION =
  /^(\}\s*)?(else\b|elif\b|except\b|finally\b|catch\b|rescue\b|ensure\b|when\b)|^\}\s*(while|until)\b/;

function opensBlock(line: string, languageId: string): boolean {
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
  const prefixState = stateAfter(ctx.prefix.replace(/\r\n/g, '\n'), ctx.languageId);
  const nextRaw = nextNonBlankLine(ctx.suffix.replace(/\r\n/g, '\n'));
  const base = {
    prefixState,
    ...(nextRaw !== undefined
      ? { nextLine: nextRaw.trim(), nextLineRaw: nextRaw.trimEnd(), nextLineIndent: indentWidth(nextRaw, tabSize) }
      : {}),
    maxLines: Math.max(1, ctx.maxLines),
    suffixClosers: CLOSING_PUNCTUATION_ONLY.test(ctx.lineSuffix) ? (ctx.lineSuffix.match(/[)\]}]/g) ?? []).length : 0,
    languageId: ctx.languageId,
    tabSize,
  };
  const linePrefixBlank = isBlank(ctx.linePrefix);
  const lineIndent = indentWidth(ctx.linePrefix, tabSize);
  const midLine = !isBlank(ctx.lineSuffix);
  const top = prefixState.stack[prefixState.stack.length - 1];
  if (top === '"""' || top === "'''" || top === '`') {
    if (ctx.multiline !== 'never' && !midLine) {
      return {
        ...base,
        shape: 'block',
        why: 'inside a multi-line string',
        openerMode: false,
        scopeIndent: -1,
        cursorIndent: lineIndent,
        inLongString: top,
        dynamicMultiline: false,
      };
    }
  }
  const closersOnly = CLOSING_PUNCTUATION_ONLY.test(ctx.lineSuffix);
  const line = (why: string, dynamic: boolean): CompletionPlan => ({
    ...base,
    shape: 'line',
    why,
    openerMode: false,
    scopeIndent: indentWidth(leadingWhitespace(ctx.linePrefix), tabSize),
    cursorIndent: indentWidth(leadingWhitespace(ctx.linePrefix), tabSize),
    dynamicMultiline: dynamic && ctx.multiline !== 'never',
  });
  if (ctx.multiline === 'never') return line('infill.multiline is never', false);
  if (ctx.afterPartialAccept) return line('a suggestion was just partly accepted', false);
  if (midLine && !closersOnly) return line('the cursor is in the middle of a line', false);
  if (!linePrefixBlank && opensBlock(ctx.linePrefix, ctx.languageId)) {
    const indent = indentWidth(ctx.linePrefix, tabSize);
    return {
      ...base,
      shape: 'block',
      why: 'the cursor is right after a block opener',
      openerMode: true,
      scopeIndent: indent,
      cursorIndent: indent,
      dynamicMultiline: false,
    };
  }
  if (midLine) return line('the cursor is before closing punctuation', true);
  if (linePrefixBlank) {
    const previous = previousNonBlankLine(ctx.prefix.replace(/\r\n/g, '\n'));
    if (previous !== undefined && opensBlock(previous, ctx.languageId)) {
      return {
        ...base,
        shape: 'block',
        why: 'an empty line after a block opener',
        openerMode: true,
        scopeIndent: indentWidth(previous, tabSize),
        cursorIndent: lineIndent,
        dynamicMultiline: false,
      };
    }
    return {
      ...base,
      shape: 'block',
      why: 'an empty line',
      openerMode: false,
      scopeIndent: lineIndent - 1,
      cursorIndent: lineIndent,
      dynamicMultiline: false,
    };
  }
  if (ctx.multiline === 'always') {
    return {
      ...base,
      shape: 'block',
      why: 'infill.multiline is always',
      openerMode: false,
      scopeIndent: lineIndent - 1,
      cursorIndent: lineIndent,
      dynamicMultiline: false,
    };
  }
  return line('the end of a line that opens no block', true);
}

interface LineInfo {
  start: number;
  end: number;
  text: string;
  complete: boolean;
}

function linesOf(text: string): LineInfo[] {
  const out: LineInfo[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) {
      out.push({ start, end: text.length, text: text.slice(start), complete: false });
      return out;
    }
    out.push({ start, end: nl, text: text.slice(start, nl), complete: true });
    start = nl + 1;
  }
}

function isPureCloser(trimmed: string): boolean {
  return trimmed.length > 0 && /^[)\]}]+[;,)\]}]*$/.test(trimmed.replace(/\s+/g, ''));
}

function endsIncomplete(line: string, languageId: string): boolean {
  const t = line.trimEnd();
  if (t === '') return false;
  if (/[,([{\\+\-*/%&|^=<>.?]$/.test(t) && !/(\+\+|--)$/.test(t)) return true;
  return languageId === 'python' && t.endsWith(':');
}

/** Where `text` (LF line endings) ends under `plan`; `final` when no more text will come. */
export function findCompletionEnd(text: string, plan: CompletionPlan, final: boolean): StopPoint | undefined {
  const lines = linesOf(text);
  // Leading blank lines are skipped: the content starts at the first line with text.
  let first = 0;
  while (first < lines.length - 1 && isBlank(lines[first]!.text) && lines[first]!.complete) first++;
  const contentStartsOnNewLine = first > 0;
  const firstLine = lines[first]!;
  if (!firstLine.complete && !final) return undefined;

  let openerMode = plan.openerMode;
  let scopeIndent = plan.scopeIndent;
  let cursorIndent = plan.cursorIndent;
  // The line whose end opens the block (dynamic multi-line): its own indentation is not judged,
  // and the depth after it is the block body's.
  let openerLine = -1;
  if (plan.shape === 'line') {
    const grows = plan.dynamicMultiline && firstLine.complete ? growsIntoBlock(lines, first, plan) : 'no';
    if (grows === 'wait') return undefined;
    if (grows === 'no') {
      if (!firstLine.complete) return undefined;
      const t = firstLine.text.trim();
      // A new line that only closes a block the document goes on inside of closes it too early.
      if (
        contentStartsOnNewLine &&
        isPureCloser(t) &&
        plan.nextLineIndent !== undefined &&
        plan.nextLineIndent > indentWidth(firstLine.text, plan.tabSize)
      ) {
        return { cut: 0, rule: 'the document goes on inside this block' };
      }
      return { cut: firstLine.end, rule: 'one line' };
    }
    if (contentStartsOnNewLine) {
      // New lines below a finished line: statements at the first new line's level.
      openerMode = false;
      cursorIndent = indentWidth(firstLine.text, plan.tabSize);
      scopeIndent = cursorIndent - 1;
    } else {
      openerMode = true;
    }
    openerLine = grows === 'allman' ? first + 1 : first;
  }

  // Block mode. Depth is tracked from the cursor; `baseline` is the depth of the block's body.
  let state: ScanState = plan.prefixState;
  let floor = state.stack.length;
  let depth = 0;
  let baseline = 0;
  let contentLines = 0;
  let lastContent: string | undefined;
  for (let k = first; k < lines.length; k++) {
    const ln = lines[k]!;
    const cutBefore = (rule: string): StopPoint => ({ cut: lastContentEnd(lines, k, first), rule });
    if (!ln.complete && !final) {
      // A line's indentation is known once its first word is. If that word neither closes a
      // bracket nor continues the statement (else, except, …), a line that starts left of the
      // block ends it before itself, whatever the rest says: stop now, not a line later.
      const judgedEarly =
        k !== first && k !== openerLine && !(openerLine > first && k < openerLine) && !plan.inLongString;
      if (judgedEarly && firstWordSettled(ln.text) && !CONTINUATION.test(ln.text.trim())) {
        const indent = indentWidth(ln.text, plan.tabSize);
        if (openerMode ? indent < scopeIndent : indent < cursorIndent)
          return cutBefore('indentation returned below the cursor');
        if (openerMode && indent === scopeIndent) return cutBefore('a new statement at the level of the block opener');
      }
      return undefined;
    }
    if (plan.inLongString) {
      const r = scanCode(ln.text + '\n', state, plan.languageId);
      state = r;
      contentLines++;
      if (r.closedOuter.includes(plan.inLongString)) return { cut: ln.end, rule: 'the string closed' };
      if (contentLines >= plan.maxLines) return { cut: ln.end, rule: 'infill.maxLines' };
      continue;
    }
    if (isBlank(ln.text)) {
      if (lastContent !== undefined && depth <= baseline && !endsIncomplete(lastContent, plan.languageId))
        return cutBefore('a blank line after a complete statement');
      continue;
    }
    const trimmed = ln.text.trim();
    const ownOpen = state.stack.length - floor;
    const judged = k !== openerLine && k !== 0 && !(openerLine > first && k < openerLine);
    if (judged) {
      const indent = indentWidth(ln.text, plan.tabSize);
      if (k === first && cursorIndent <= 0 && !openerMode) {
        // The cursor's line is empty at column 0: the completion's first line sets the level.
        cursorIndent = indent;
        scopeIndent = indent - 1;
      }
      const closer = isPureCloser(trimmed);
      if (plan.nextLine !== undefined && ownOpen === 0) {
        if (closer ? plan.nextLineRaw!.startsWith(ln.text.trimEnd()) : trimmed === plan.nextLine)
          return cutBefore('the line repeats the next line of the document');
        // Closing a block the document goes on inside of (the next line is indented deeper).
        if (closer && plan.nextLineIndent! > indent) return cutBefore('the document goes on inside this block');
      }
      const continuation = CONTINUATION.test(trimmed);
      if (openerMode ? indent < scopeIndent : indent < cursorIndent) {
        if (closer && ownOpen === 0) return { cut: ln.end, rule: 'the block closed' };
        if (!closer || ownOpen === 0) return cutBefore('indentation returned below the cursor');
      }
      if (openerMode && indent === scopeIndent && !continuation && !closer) {
        return cutBefore('a new statement at the level of the block opener');
      }
    }
    const r = scanCode(ln.text + '\n', state, plan.languageId);
    state = { stack: r.stack, inBlockComment: r.inBlockComment };
    floor = Math.min(floor, r.lowWater);
    const before = depth;
    depth += r.depth;
    if (!judged) {
      // The first line may close what the prefix opened (`foo(` + `a, b) {`); the body starts after
      // it. After the line that opens the block, the depth is the body's: closing it ends the block.
      if (k === openerLine && openerMode) baseline = depth;
      else baseline = opensBlock(ln.text, plan.languageId) ? depth - 1 : depth;
    } else if (depth < baseline - 1 - plan.suffixClosers || r.minDepth + before < baseline - 1 - plan.suffixClosers) {
      return cutBefore("brackets closed past the cursor's scope");
    } else if (depth <= baseline - 1 && !CONTINUATION.test(trimmed)) {
      return { cut: ln.end, rule: 'the block closed' };
    }
    contentLines++;
    lastContent = ln.text;
    if (contentLines >= plan.maxLines && ln.complete) return { cut: ln.end, rule: 'infill.maxLines' };
  }
  return undefined;
}

/**
 * A one-line completion becomes a block when its first line opens one (`if (x) {`, `def f():`),
 * leaves a bracket open (`foo(`), or is followed by a lone `{` (Allman style).
 */
function growsIntoBlock(lines: LineInfo[], first: number, plan: CompletionPlan): 'yes' | 'allman' | 'no' | 'wait' {
  const line = lines[first]!;
  if (opensBlock(line.text, plan.languageId)) return 'yes';
  if (scanCode(line.text, plan.prefixState, plan.languageId).depth > 0) return 'yes';
  const next = lines[first + 1];
  if (!next) return 'no';
  if (!next.complete) {
    // Waiting for the next line costs a token interval on every one-line answer, so only wait
    // where an Allman-style `{` on its own line could really follow.
    const couldFollow =
      couldHeadAllmanBlock(line.text, plan.languageId) && (next.text.trim() === '' || next.text.trim() === '{');
    return couldFollow ? 'wait' : 'no';
  }
  return next.text.trim() === '{' && couldHeadAllmanBlock(line.text, plan.languageId) ? 'allman' : 'no';
}

/** Languages whose blocks are never brace-delimited: a `{` line after a statement is not its body. */
const NON_BRACE_LANGUAGES = new Set([
  'python',
  'ruby',
  'yaml',
  'toml',
  'plaintext',
  'markdown',
  'shellscript',
  'makefile',
  'dockerfile',
  'elixir',
  'coffeescript',
  'julia',
  'lua',
  'haskell',
  'fsharp',
  'ocaml',
]);
const BLOCK_HEAD_KEYWORD = /^(else|try|do|finally|catch|default|unsafe|loop|static|async|switch|namespace)\b/;

/**
 * A line a `{` on the next line can open the body of: a header ending in `)` (if, for, while,
 * function signatures), a type or function declaration, or a keyword that takes a block. A line
 * ending in `;`, `,`, `{`, `}` or an operand is complete as it is.
 */
export function couldHeadAllmanBlock(text: string, languageId: string): boolean {
  if (NON_BRACE_LANGUAGES.has(languageId)) return false;
  const t = text.replace(/\s*\/\/.*$/, '').trim();
  if (t === '' || /[;,{}]$/.test(t)) return false;
  if (t.endsWith(')')) return true;
  if (BLOCK_HEAD_KEYWORD.test(t)) return true;
  return /\b(class|struct|enum|interface|trait|impl|union|record|fn|func|function)\b/.test(t);
}

/** The end of the last non-blank line before line `k` (so trailing blank lines go too). */
function lastContentEnd(lines: LineInfo[], k: number, first: number): number {
  for (let j = k - 1; j >= first; j--) if (!isBlank(lines[j]!.text)) return lines[j]!.end;
  return lines[first]?.start ?? 0;
}

/** Cuts a finished completion (LF line endings) where the rules end it. */
export function truncateCompletion(text: string, plan: CompletionPlan): { text: string; rule?: string } {
  const stop = findCompletionEnd(text, plan, true);
  return stop ? { text: text.slice(0, stop.cut), rule: stop.rule } : { text };
}

/** Line ending normalization for the rules: they work on LF text. */
export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * The `onProgress` callback of the stream contract: answers `stop` once every expected choice has
 * reached its end, so the client closes the HTTP stream at once.
 */
export function createStreamStopper(
  plan: CompletionPlan,
  expectedChoices = 1,
): {
  onProgress: (choice: { index: number; text: string; finished: boolean }) => 'continue' | 'stop';
  /** Choices the rules have ended, with where and why. */
  readonly ended: ReadonlyMap<number, StopPoint>;
} {
  const ended = new Map<number, StopPoint>();
  const finished = new Set<number>();
  return {
    ended,
    onProgress(choice) {
      if (choice.finished) finished.add(choice.index);
      else if (!ended.has(choice.index)) {
        const stop = findCompletionEnd(normalizeNewlines(choice.text), plan, false);
        if (stop) ended.set(choice.index, stop);
      }
      let done = 0;
      for (let i = 0; i < expectedChoices; i++) if (ended.has(i) || finished.has(i)) done++;
      return done >= expectedChoices && ended.size > 0 ? 'stop' : 'continue';
    },
  };
}

/** True when `ch` closes a bracket. */
export function isCloser(ch: string): boolean {
  return CLOSERS[ch] !== undefined;
}
