import { indentWidth, isBlank, OPENERS, scanCode, type ScanResult, type ScanState } from './codeShape';
import { opensBlock, type CompletionPlan, type StopPoint } from './completionPlan';

/**
 * Where a completion ends under its plan, decided line by line while tokens arrive. A block ends
 * at the first blank line after a complete statement, when indentation returns below the cursor's
 * level, when brackets close past the cursor's scope, at a line that repeats the next line of the
 * document, or after `infill.maxLines` lines. The same function cuts the final text, so a streamed
 * and a whole answer end at the same place.
 */

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

/**
 * A new line of the completion that is the document's next line again (whitespace aside), in code,
 * strings and comments alike: the model has run on into what follows the cursor. Lines that only
 * close brackets are left to the block rules, which know what they close.
 */
function repeatsNextLine(text: string, plan: CompletionPlan): boolean {
  if (plan.nextLine === undefined || isBlank(text) || isPureCloser(text.trim())) return false;
  return withoutWhitespace(text) === withoutWhitespace(plan.nextLine);
}

function withoutWhitespace(text: string): string {
  return text.replace(/\s+/g, '');
}

/** The scope a block is judged against: the plan's, or the one a one-line answer grew into. */
interface BlockScope {
  openerMode: boolean;
  scopeIndent: number;
  cursorIndent: number;
  /**
   * The line whose end opens the block (dynamic multi-line): its own indentation is not judged,
   * and the depth after it is the block body's. -1 when the plan was a block from the start.
   */
  openerLine: number;
}

/** Where `text` (LF line endings) ends under `plan`; `final` when no more text will come. */
export function findCompletionEnd(text: string, plan: CompletionPlan, final: boolean): StopPoint | undefined {
  const lines = linesOf(text);
  // Leading blank lines are skipped: the content starts at the first line with text.
  let first = 0;
  while (first < lines.length - 1 && isBlank(lines[first]!.text) && lines[first]!.complete) first++;
  if (!lines[first]!.complete && !final) return undefined;
  let scope: BlockScope = {
    openerMode: plan.openerMode,
    scopeIndent: plan.scopeIndent,
    cursorIndent: plan.cursorIndent,
    openerLine: -1,
  };
  if (plan.shape === 'line') {
    const decided = oneLineEnd(lines, first, plan);
    if ('stop' in decided) return decided.stop;
    scope = decided;
  }
  return new BlockWalk(lines, first, plan, scope).run(final);
}

/** A one-line plan: ends at the first line break, unless the first line grows into a block. */
function oneLineEnd(
  lines: LineInfo[],
  first: number,
  plan: CompletionPlan,
): BlockScope | { stop: StopPoint | undefined } {
  const firstLine = lines[first]!;
  const contentStartsOnNewLine = first > 0;
  const grows = plan.dynamicMultiline && firstLine.complete ? growsIntoBlock(lines, first, plan) : 'no';
  if (grows === 'wait') return { stop: undefined };
  if (grows === 'no') {
    if (!firstLine.complete) return { stop: undefined };
    const t = firstLine.text.trim();
    // A new line that only closes a block the document goes on inside of closes it too early.
    if (
      contentStartsOnNewLine &&
      isPureCloser(t) &&
      plan.nextLineIndent !== undefined &&
      plan.nextLineIndent > indentWidth(firstLine.text, plan.tabSize)
    ) {
      return { stop: { cut: 0, rule: 'the document goes on inside this block' } };
    }
    return { stop: { cut: firstLine.end, rule: 'one line' } };
  }
  const openerLine = grows === 'allman' ? first + 1 : first;
  if (contentStartsOnNewLine) {
    // New lines below a finished line: statements at the first new line's level.
    const cursorIndent = indentWidth(firstLine.text, plan.tabSize);
    return { openerMode: false, cursorIndent, scopeIndent: cursorIndent - 1, openerLine };
  }
  return { openerMode: true, scopeIndent: plan.scopeIndent, cursorIndent: plan.cursorIndent, openerLine };
}

/**
 * Walks a block line by line. Depth is tracked from the cursor; `baseline` is the depth of the
 * block's body. Each method answers one question about one line; `run` applies them in order.
 */
class BlockWalk {
  private state: ScanState;
  private floor: number;
  private depth = 0;
  private baseline = 0;
  private contentLines = 0;
  private lastContent: string | undefined;

  constructor(
    private readonly lines: LineInfo[],
    private readonly first: number,
    private readonly plan: CompletionPlan,
    private readonly scope: BlockScope,
  ) {
    this.state = plan.prefixState;
    this.floor = this.state.stack.length;
  }

  run(final: boolean): StopPoint | undefined {
    const { lines, plan } = this;
    for (let k = this.first; k < lines.length; k++) {
      const ln = lines[k]!;
      if (!ln.complete && !final) return this.judgeEarly(ln, k);
      if (k > 0 && repeatsNextLine(ln.text, plan))
        return this.cutBefore(k, 'the line repeats the next line of the document');
      if (plan.inLongString) {
        const stop = this.stringLine(ln);
        if (stop) return stop;
        continue;
      }
      if (isBlank(ln.text)) {
        const { lastContent, depth, baseline } = this;
        if (lastContent !== undefined && depth <= baseline && !endsIncomplete(lastContent, plan.languageId))
          return this.cutBefore(k, 'a blank line after a complete statement');
        continue;
      }
      const judged = this.isJudged(k);
      const stop = (judged ? this.judgeLine(ln, k) : undefined) ?? this.bracketStep(ln, k, judged);
      if (stop) return stop;
      this.contentLines++;
      this.lastContent = ln.text;
      if (this.contentLines >= plan.maxLines && ln.complete) return { cut: ln.end, rule: 'infill.maxLines' };
    }
    return undefined;
  }

  /** The opener line, the lines before it, and the answer's very first line are not judged by indentation. */
  private isJudged(k: number): boolean {
    const { openerLine } = this.scope;
    return k !== openerLine && k !== 0 && !(openerLine > this.first && k < openerLine);
  }

  private cutBefore(k: number, rule: string): StopPoint {
    return { cut: lastContentEnd(this.lines, k, this.first), rule };
  }

  /**
   * A line's indentation is known once its first word is. If that word neither closes a bracket
   * nor continues the statement (else, except, …), a line that starts left of the block ends it
   * before itself, whatever the rest says: stop now, not a line later.
   */
  private judgeEarly(ln: LineInfo, k: number): StopPoint | undefined {
    const { scope, plan } = this;
    const { openerLine } = scope;
    const judgedEarly =
      k !== this.first && k !== openerLine && !(openerLine > this.first && k < openerLine) && !plan.inLongString;
    if (!judgedEarly || !firstWordSettled(ln.text) || CONTINUATION.test(ln.text.trim())) return undefined;
    const indent = indentWidth(ln.text, plan.tabSize);
    if (scope.openerMode ? indent < scope.scopeIndent : indent < scope.cursorIndent)
      return this.cutBefore(k, 'indentation returned below the cursor');
    if (scope.openerMode && indent === scope.scopeIndent)
      return this.cutBefore(k, 'a new statement at the level of the block opener');
    return undefined;
  }

  /** Inside a multi-line string the block ends where the string closes. */
  private stringLine(ln: LineInfo): StopPoint | undefined {
    const r = scanCode(ln.text + '\n', this.state, this.plan.languageId);
    this.state = r;
    this.contentLines++;
    if (r.closedOuter.includes(this.plan.inLongString!)) return { cut: ln.end, rule: 'the string closed' };
    if (this.contentLines >= this.plan.maxLines) return { cut: ln.end, rule: 'infill.maxLines' };
    return undefined;
  }

  /** Indentation and the next line of the document: does this line still belong to the block? */
  private judgeLine(ln: LineInfo, k: number): StopPoint | undefined {
    const { plan, scope } = this;
    const trimmed = ln.text.trim();
    const ownOpen = this.state.stack.length - this.floor;
    const indent = indentWidth(ln.text, plan.tabSize);
    if (k === this.first && scope.cursorIndent <= 0 && !scope.openerMode) {
      // The cursor's line is empty at column 0: the completion's first line sets the level.
      scope.cursorIndent = indent;
      scope.scopeIndent = indent - 1;
    }
    const closer = isPureCloser(trimmed);
    if (plan.nextLine !== undefined && ownOpen === 0) {
      if (closer ? plan.nextLineRaw!.startsWith(ln.text.trimEnd()) : trimmed === plan.nextLine)
        return this.cutBefore(k, 'the line repeats the next line of the document');
      // Closing a block the document goes on inside of (the next line is indented deeper).
      if (closer && plan.nextLineIndent! > indent) return this.cutBefore(k, 'the document goes on inside this block');
    }
    const continuation = CONTINUATION.test(trimmed);
    if (scope.openerMode ? indent < scope.scopeIndent : indent < scope.cursorIndent) {
      if (closer && ownOpen === 0) return { cut: ln.end, rule: 'the block closed' };
      if (!closer || ownOpen === 0) return this.cutBefore(k, 'indentation returned below the cursor');
    }
    if (scope.openerMode && indent === scope.scopeIndent && !continuation && !closer) {
      return this.cutBefore(k, 'a new statement at the level of the block opener');
    }
    return undefined;
  }

  /** Brackets: the line moves the depth; closing past the cursor's scope ends the block. */
  private bracketStep(ln: LineInfo, k: number, judged: boolean): StopPoint | undefined {
    const { plan } = this;
    const r = scanCode(ln.text + '\n', this.state, plan.languageId);
    this.state = { stack: r.stack, inBlockComment: r.inBlockComment };
    this.floor = Math.min(this.floor, r.lowWater);
    const before = this.depth;
    this.depth += r.depth;
    const { depth } = this;
    if (!judged) {
      // The first line may close what the prefix opened (`foo(` + `a, b) {`); the body starts after
      // it. After the line that opens the block, the depth is the body's: closing it ends the block.
      // Brackets a first statement leaves open (`msg = ("text "`, `if (a &&`) are its own, not the
      // body's: the statement's closing line does not close the block.
      if (k === this.scope.openerLine && this.scope.openerMode) this.baseline = depth;
      else this.baseline = opensBlock(ln.text, plan.languageId) ? depth - 1 : depth - leftOpen(r);
      return undefined;
    }
    const limit = this.baseline - 1 - plan.suffixClosers;
    if (depth < limit || r.minDepth + before < limit)
      return this.cutBefore(k, "brackets closed past the cursor's scope");
    if (depth <= this.baseline - 1 && !CONTINUATION.test(ln.text.trim()))
      return { cut: ln.end, rule: 'the block closed' };
    return undefined;
  }
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

/** Brackets a scanned line opened and left open. */
function leftOpen(r: ScanResult): number {
  return r.stack.slice(r.lowWater).filter((s) => OPENERS[s]).length;
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
