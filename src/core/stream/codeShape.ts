/**
 * Lexical facts about code that the stop rules and post-processing filters share: indentation
 * widths, and a bracket/quote scanner that knows enough about strings and comments to count
 * brackets in ordinary code of the C family, Python, Go, Rust, Java and friends. It is a
 * heuristic, not a parser: it never fails, it only answers "probably".
 */

export const OPENERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };
export const CLOSERS: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

/** Width of a line's leading whitespace, a tab counting `tabSize` columns. */
export function indentWidth(line: string, tabSize = 4): number {
  let w = 0;
  for (const ch of line) {
    if (ch === ' ') w++;
    else if (ch === '\t') w += tabSize - (w % tabSize);
    else break;
  }
  return w;
}

export function leadingWhitespace(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

export function isBlank(line: string): boolean {
  return line.trim().length === 0;
}

/** Languages where `'` does not open a string (Rust lifetimes, prose). */
const NO_SINGLE_QUOTE = new Set([
  'rust',
  'plaintext',
  'markdown',
  'latex',
  'restructuredtext',
  'text',
  'ocaml',
  'lisp',
  'clojure',
  'scheme',
]);
const HASH_COMMENT = new Set([
  'python',
  'ruby',
  'shellscript',
  'perl',
  'r',
  'yaml',
  'toml',
  'dockerfile',
  'makefile',
  'powershell',
  'julia',
  'elixir',
  'coffeescript',
]);

/** Which lexical conventions the scanner applies to a language. */
export function lexicon(languageId: string): { singleQuote: boolean; hashComment: boolean; tripleQuotes: boolean } {
  return {
    singleQuote: !NO_SINGLE_QUOTE.has(languageId),
    hashComment: HASH_COMMENT.has(languageId),
    tripleQuotes: languageId === 'python',
  };
}

export interface ScanState {
  /** Open brackets and quotes, innermost last: `(`, `[`, `{`, `"`, `'`, `` ` ``, `"""`, `'''`. */
  stack: string[];
  /** Inside a block comment. */
  inBlockComment: boolean;
}

export interface ScanResult extends ScanState {
  /** Closers (and closing quotes) that closed something opened before the scanned text, in order. */
  closedOuter: string[];
  /** Offset of the first closer that matched nothing (an extra `)`), if any. */
  strayCloserAt?: number;
  /** Offset right after each outer closer, parallel to `closedOuter`. */
  closedOuterEnds: number[];
  /** Lowest bracket depth reached relative to the start (0 or negative). */
  minDepth: number;
  /** Depth at the end relative to the start. */
  depth: number;
  /** Fewest stack entries during the scan: entries below this index were opened before the text and are still open. */
  lowWater: number;
}

/**
 * A line start the scanner's loop reached, with its state there: the scan can go on from it over any
 * text that begins with the same characters, and give exactly what a scan from the start gives.
 */
export interface LineStartMark extends ScanState {
  at: number;
}

export function emptyState(): ScanState {
  return { stack: [], inBlockComment: false };
}

/**
 * Scans `text` starting from `state` (the brackets and quotes open before it). Line comments end
 * at the line break; strings in quotes other than backticks and triple quotes do too, because an
 * unterminated quote on one line is far more often a typo or prose than a multi-line string.
 * One loop over the characters, long on purpose: it runs over the whole window on every keystroke,
 * and splitting its cases into functions would cost a call per character.
 */
// eslint-disable-next-line max-lines-per-function -- a single-pass scanner loop, long on purpose (see above)
export function scanCode(
  text: string,
  state: ScanState = emptyState(),
  languageId = '',
  from = 0,
  lineStart?: LineStartMark,
): ScanResult {
  const stack = [...state.stack];
  let inBlockComment = state.inBlockComment;
  const closedOuter: string[] = [];
  const closedOuterEnds: number[] = [];
  const baseDepth = bracketDepth(stack);
  let minDepth = 0;
  let strayCloserAt: number | undefined;
  const singleQuote = !NO_SINGLE_QUOTE.has(languageId);
  const hashComment = HASH_COMMENT.has(languageId);
  const floor = stack.length; // entries below this index were opened before `text`
  let floorNow = floor;
  let i = from;
  while (i < text.length) {
    if (lineStart !== undefined && i > 0 && text.charCodeAt(i - 1) === 10) {
      lineStart.at = i;
      lineStart.stack = stack.slice();
      lineStart.inBlockComment = inBlockComment;
    }
    const ch = text[i]!;
    const top = stack[stack.length - 1];
    if (inBlockComment) {
      if (ch === '*' && text[i + 1] === '/') {
        inBlockComment = false;
        i += 2;
      } else i++;
      continue;
    }
    if (top === '"' || top === "'" || top === '`' || top === '"""' || top === "'''") {
      if (ch === '\\') {
        i += 2;
        continue;
      }
      if ((top === '"""' || top === "'''") && text.startsWith(top, i)) {
        stack.pop();
        if (stack.length < floorNow) {
          floorNow = stack.length;
          closedOuter.push(top);
          closedOuterEnds.push(i + 3);
        }
        i += 3;
        continue;
      }
      if (ch === top) {
        stack.pop();
        if (stack.length < floorNow) {
          floorNow = stack.length;
          closedOuter.push(ch);
          closedOuterEnds.push(i + 1);
        }
        i++;
        continue;
      }
      if (ch === '\n' && (top === '"' || top === "'")) {
        // An unterminated one-line string ends with its line.
        stack.pop();
        if (stack.length < floorNow) floorNow = stack.length;
      }
      i++;
      continue;
    }
    if (ch === '/' && text[i + 1] === '/' && !hashComment) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl;
      continue;
    }
    if (ch === '#' && hashComment) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl;
      continue;
    }
    if (ch === '/' && text[i + 1] === '*' && !hashComment) {
      inBlockComment = true;
      i += 2;
      continue;
    }
    if ((ch === '"' || ch === "'") && text.startsWith(ch.repeat(3), i) && languageId === 'python') {
      stack.push(ch.repeat(3));
      i += 3;
      continue;
    }
    if (ch === '"' || ch === '`' || (ch === "'" && singleQuote && !isApostrophe(text, i))) {
      stack.push(ch);
      i++;
      continue;
    }
    if (OPENERS[ch]) {
      stack.push(ch);
      i++;
      continue;
    }
    if (CLOSERS[ch]) {
      const opener = CLOSERS[ch];
      // Close the nearest matching bracket; quotes opened before do not survive a bracket closing past them.
      let j = stack.length - 1;
      while (j >= 0 && stack[j] !== opener && !OPENERS[stack[j]!]) j--;
      if (j >= 0 && stack[j] === opener) {
        stack.length = j;
        if (stack.length < floorNow) {
          floorNow = stack.length;
          closedOuter.push(ch);
          closedOuterEnds.push(i + 1);
        }
      } else if (strayCloserAt === undefined) {
        strayCloserAt = i;
      }
      const d = bracketDepth(stack) - baseDepth;
      if (d < minDepth) minDepth = d;
      i++;
      continue;
    }
    i++;
  }
  return {
    stack,
    inBlockComment,
    closedOuter,
    closedOuterEnds,
    ...(strayCloserAt !== undefined ? { strayCloserAt } : {}),
    minDepth,
    depth: bracketDepth(stack) - baseDepth,
    lowWater: Math.min(floorNow, stack.length),
  };
}

function bracketDepth(stack: readonly string[]): number {
  let d = 0;
  for (const s of stack) if (OPENERS[s]) d++;
  return d;
}

/** `don't`, `it's`: a quote between two letters is prose. */
export function isApostrophe(text: string, i: number): boolean {
  return /[A-Za-z]/.test(text[i - 1] ?? '') && /[A-Za-z]/.test(text[i + 1] ?? '');
}

/**
 * Open brackets/quotes at the end of `prefix` (the prompt window's, bounded by the token budget),
 * scanned whole from `start`: the strings and comments open at the window's first line. Starting
 * anywhere else would guess: a cut inside a docstring reads its text as code and its code as text.
 */
export function stateAfter(prefix: string, languageId = '', start: ScanState = emptyState()): ScanState {
  const startKey = `${languageId}\u0000${start.inBlockComment}\u0000${start.stack.join('\u0000')}`;
  // Keystroke after keystroke the prefix only grows or shrinks at its end: go on from the last line
  // start of the previous scan instead of scanning the whole window again (about 1 ms a call).
  const resume =
    lastScan !== undefined &&
    lastScan.startKey === startKey &&
    lastScan.mark.at > 0 &&
    prefix.length >= lastScan.mark.at &&
    prefix.startsWith(lastScan.prefix.slice(0, lastScan.mark.at))
      ? lastScan.mark
      : undefined;
  const mark: LineStartMark = resume
    ? { at: resume.at, stack: [...resume.stack], inBlockComment: resume.inBlockComment }
    : { at: 0, stack: [...start.stack], inBlockComment: start.inBlockComment };
  const r = resume
    ? scanCode(prefix, resume, languageId, resume.at, mark)
    : scanCode(prefix, start, languageId, 0, mark);
  lastScan = { prefix, startKey, mark };
  // Brackets closed that were opened before the scanned part are unknowable; ignore them.
  return { stack: r.stack, inBlockComment: r.inBlockComment };
}

/** The previous call of stateAfter: one is enough, since calls follow the cursor. */
let lastScan: { prefix: string; startKey: string; mark: LineStartMark } | undefined;

/** Last line of a text (after its last line break). */
export function lastLine(text: string): string {
  const i = text.lastIndexOf('\n');
  return i === -1 ? text : text.slice(i + 1);
}

/** Lines of the text, without line ending characters. */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** The first non-blank line of `text` after its first line (the next line below the cursor). */
export function nextNonBlankLine(suffix: string): string | undefined {
  const lines = splitLines(suffix);
  for (let i = 1; i < lines.length; i++) if (!isBlank(lines[i]!)) return lines[i];
  return undefined;
}

/** Guess the document's indentation unit from a sample of lines: a tab, N spaces, or '' when no line is indented. */
export function detectIndentUnit(lines: readonly string[]): string {
  let tabs = 0;
  let spaces = 0;
  const widths = new Map<number, number>();
  let previous = 0;
  for (const line of lines) {
    // A block comment's continuation lines (` * text`) are aligned with one space, whatever the indentation.
    if (isBlank(line) || /^[ \t]*\*/.test(line)) continue;
    const ws = leadingWhitespace(line);
    if (ws.startsWith('\t')) tabs++;
    else if (ws.length > 0) spaces++;
    const w = ws.startsWith('\t') ? -1 : ws.length;
    if (w >= 0) {
      const delta = Math.abs(w - previous);
      if (delta > 0 && delta <= 8) widths.set(delta, (widths.get(delta) ?? 0) + 1);
      previous = w;
    }
  }
  if (tabs === 0 && spaces === 0) return '';
  // Both in earnest (the fewer at least half as many as the others): no evidence for either.
  if (Math.min(tabs, spaces) * 2 >= Math.max(tabs, spaces)) return '';
  if (tabs > spaces) return '\t';
  let best = 4;
  let bestCount = 0;
  for (const [w, c] of widths) if (c > bestCount || (c === bestCount && w < best)) [best, bestCount] = [w, c];
  return ' '.repeat(spaces === 0 ? 4 : best);
}
