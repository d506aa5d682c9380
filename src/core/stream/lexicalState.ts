import { DocumentWithInsertion, type TextDocumentLike } from '../prompt/textDocumentLike';
import { emptyState, scanCode, type ScanState } from './codeShape';

/**
 * The strings and comments open at the start of a document line, so the scanner's state at the
 * prompt window's first line is known rather than assumed: a window that starts inside a docstring
 * or a block comment otherwise reads text as code and code as text, and closers after the cursor
 * get written twice. The state is scanned from the top of the document once, kept at checkpoints
 * every CHECKPOINT_LINES lines per document, and an edit drops the checkpoints below the edited
 * line (`invalidateFrom`), so each keystroke scans at most one checkpoint's worth of lines.
 * Brackets are not carried over: brackets opened above the window are not the cursor's scope.
 */
export const CHECKPOINT_LINES = 256;

interface Checkpoints {
  languageId: string;
  /** states[i]: the state at the start of line i * CHECKPOINT_LINES. */
  states: ScanState[];
}

export class LexicalStateIndex {
  private readonly documents = new WeakMap<TextDocumentLike, Checkpoints>();

  /** Strings and comments open at the start of `line`. */
  stateAtLine(document: TextDocumentLike, line: number): ScanState {
    if (line <= 0) return emptyState();
    // A speculative document shares its lines above the insertion with the document it extends.
    if (document instanceof DocumentWithInsertion && line <= document.at.line)
      return this.stateAtLine(document.base, line);
    let entry = this.documents.get(document);
    if (!entry || entry.languageId !== document.languageId) {
      entry = { languageId: document.languageId, states: [emptyState()] };
      this.documents.set(document, entry);
    }
    const target = Math.min(line, document.lineCount);
    const wanted = Math.floor(target / CHECKPOINT_LINES);
    let index = Math.min(entry.states.length - 1, wanted);
    let state = entry.states[index]!;
    for (let l = index * CHECKPOINT_LINES; l < target; l++) {
      const r = scanCode(document.lineText(l) + '\n', state, document.languageId);
      state = lexicalOnly(r);
      if ((l + 1) % CHECKPOINT_LINES === 0 && (l + 1) / CHECKPOINT_LINES === entry.states.length) {
        entry.states.push(state);
        index++;
      }
    }
    return state;
  }

  /** The document changed at `line` (and maybe below): states after it are no longer known. */
  invalidateFrom(document: TextDocumentLike, line: number): void {
    const entry = this.documents.get(document);
    if (!entry) return;
    // states[i] covers lines before i * CHECKPOINT_LINES: keep those whose lines all lie above the edit.
    entry.states.length = Math.max(1, Math.min(entry.states.length, Math.floor(line / CHECKPOINT_LINES) + 1));
  }

  forget(document: TextDocumentLike): void {
    this.documents.delete(document);
  }
}

/** Only quotes that span lines and block comments survive a line break; brackets are left out. */
function lexicalOnly(state: ScanState): ScanState {
  const top = state.stack.filter((s) => s === '"""' || s === "'''" || s === '`');
  return { stack: top.slice(-1), inBlockComment: state.inBlockComment };
}

/** The one index the engine uses; the editor glue tells it about edits. */
export const documentLexicalStates = new LexicalStateIndex();
