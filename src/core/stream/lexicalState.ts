import { DocumentWithInsertion, type TextDocumentLike } from '../prompt/textDocumentLike';
import { WINDOW_SNAP_LINES } from '../prompt/promptWindow';
import { emptyState, isApostrophe, lexicon, type ScanState } from './codeShape';

/**
 * The strings and comments open at the start of a document line, so the scanner's state at the
 * prompt window's first line is known rather than assumed: a window that starts inside a docstring
 * or a block comment otherwise reads text as code and code as text, and closers after the cursor
 * get written twice. The state is scanned from the top of the document, kept at checkpoints every
 * CHECKPOINT_LINES lines per document, and an edit drops the checkpoints below the edited line
 * (`invalidateFrom`), so a keystroke scans at most one checkpoint's worth of lines. A document's
 * first scan goes at most MAX_LINES_PER_CALL lines per call (a huge file is known after a few
 * keystrokes, never by blocking one); until then the state is unknown. Brackets are not carried:
 * brackets opened above the window are not the cursor's scope.
 *
 * The scan runs before every request goes out, so it counts against the time to the first byte:
 * checkpoints fall on the window's snap lines (a window start snapped to WINDOW_SNAP_LINES is a
 * checkpoint), and the last line asked for is remembered: the window start stays put while the
 * user types (no line scanned) and moves down in small steps (the scan goes on from the last one).
 */
export const CHECKPOINT_LINES = WINDOW_SNAP_LINES;
export const MAX_LINES_PER_CALL = 10_000;

interface Checkpoints {
  languageId: string;
  /** states[i]: the state at the start of line i * CHECKPOINT_LINES. */
  states: LineState[];
  /** The last line asked for and its state. */
  last?: { line: number; state: LineState };
}

/** Inside a multi-line string (its quote) or a block comment, at a line start. */
interface LineState {
  quote?: string;
  inBlockComment: boolean;
}

export class LexicalStateIndex {
  private readonly documents = new WeakMap<TextDocumentLike, Checkpoints>();

  /** Strings and comments open at the start of `line`, or undefined while the first scan has not reached it. */
  stateAtLine(document: TextDocumentLike, line: number): ScanState | undefined {
    if (line <= 0) return emptyState();
    // A speculative document shares its lines above the insertion with the document it extends.
    if (document instanceof DocumentWithInsertion && line <= document.at.line)
      return this.stateAtLine(document.base, line);
    let entry = this.documents.get(document);
    if (!entry || entry.languageId !== document.languageId) {
      entry = { languageId: document.languageId, states: [{ inBlockComment: false }] };
      this.documents.set(document, entry);
    }
    const target = Math.min(line, document.lineCount);
    const last = entry.last;
    if (last?.line === target) return scanStateOf(last.state);
    let start = Math.min(entry.states.length - 1, Math.floor(target / CHECKPOINT_LINES)) * CHECKPOINT_LINES;
    let state = entry.states[start / CHECKPOINT_LINES]!;
    // A window start that moved down since the last request: scan on from there.
    if (last && last.line > start && last.line < target) {
      start = last.line;
      state = last.state;
    }
    const budgetEnd = start + MAX_LINES_PER_CALL;
    const rules = lexicon(document.languageId);
    for (let l = start; l < target; l++) {
      if (l >= budgetEnd) return undefined;
      state = scanLine(document.lineText(l), state, rules);
      if ((l + 1) % CHECKPOINT_LINES === 0 && (l + 1) / CHECKPOINT_LINES === entry.states.length)
        entry.states.push(state);
    }
    entry.last = { line: target, state };
    return scanStateOf(state);
  }

  /** The document changed at `line` (and maybe below): states after it are no longer known. */
  invalidateFrom(document: TextDocumentLike, line: number): void {
    const entry = this.documents.get(document);
    if (!entry) return;
    // states[i] depends on the lines before i * CHECKPOINT_LINES: keep those that all lie above the edit.
    entry.states.length = Math.max(1, Math.min(entry.states.length, Math.floor(line / CHECKPOINT_LINES) + 1));
    // The state at the start of a line depends on the lines above it only.
    if (entry.last && entry.last.line > line) entry.last = undefined;
  }

  forget(document: TextDocumentLike): void {
    this.documents.delete(document);
  }
}

function scanStateOf(state: LineState): ScanState {
  return { stack: state.quote ? [state.quote] : [], inBlockComment: state.inBlockComment };
}

const CODE_TOKENS = {
  hash: /"""|'''|["'`#]/g,
  slash: /\/\/|\/\*|["'`]/g,
};

/**
 * One line, with the code scanner's conventions (stream/codeShape.ts) but only what survives a line
 * break: multi-line strings and block comments. Jumps from token to token with a regular expression,
 * so a first scan of a large file is quick.
 */
function scanLine(text: string, state: LineState, rules: ReturnType<typeof lexicon>): LineState {
  let quote = state.quote;
  let inBlockComment = state.inBlockComment;
  const tokens = rules.hashComment ? CODE_TOKENS.hash : CODE_TOKENS.slash;
  let i = 0;
  while (i < text.length) {
    if (inBlockComment) {
      const end = text.indexOf('*/', i);
      if (end === -1) break;
      inBlockComment = false;
      i = end + 2;
    } else if (quote) {
      const end = closingQuote(text, i, quote);
      if (end === -1) break;
      i = end + quote.length;
      quote = undefined;
    } else {
      tokens.lastIndex = i;
      const m = tokens.exec(text);
      if (!m) break;
      const tok = m[0];
      i = m.index;
      if (tok === '#' || tok === '//') break;
      if (tok === '/*') {
        inBlockComment = true;
        i += 2;
      } else if (tok === '"""' || tok === "'''") {
        if (rules.tripleQuotes) {
          quote = tok;
          i += 3;
        } else i = skipOneLineString(text, i, tok[0]!);
      } else if (tok === '`') {
        quote = '`';
        i += 1;
      } else if (tok === "'" && (!rules.singleQuote || isApostrophe(text, i))) {
        i += 1;
      } else {
        i = skipOneLineString(text, i, tok);
      }
    }
  }
  return quote ? { quote, inBlockComment } : { inBlockComment };
}

/** Where `quote` closes at or after `from` (escapes skipped), or -1. */
function closingQuote(text: string, from: number, quote: string): number {
  let i = from;
  for (;;) {
    const end = text.indexOf(quote, i);
    const escape = text.indexOf('\\', i);
    if (escape !== -1 && (end === -1 || escape < end)) {
      i = escape + 2;
      continue;
    }
    return end;
  }
}

/** Past a one-line string opened at `at`; an unterminated one ends with its line. */
function skipOneLineString(text: string, at: number, q: string): number {
  const end = closingQuote(text, at + 1, q);
  return end === -1 ? text.length : end + 1;
}

/** The one index the engine uses; the editor glue tells it about edits. */
export const documentLexicalStates = new LexicalStateIndex();
