import type { TextDocumentLike } from '../textDocumentLike';
import type { ContextPiece, ContextSource } from './contextTypes';

/**
 * The places the user last edited (or jumped to), newest first, across files. Typing on in one
 * place grows that place's entry instead of adding one per keystroke, and lines inserted or removed
 * above an entry move it, so it keeps pointing at the same code.
 */
export interface LocationEntry {
  fileName: string;
  path: string;
  startLine: number;
  endLine: number;
}

export class LocationHistory {
  private list: LocationEntry[] = [];

  constructor(
    /** Entries kept. */
    readonly capacity = 8,
    /** An edit this many lines or fewer from an entry extends it. */
    readonly mergeDistance = 3,
    /** Most files with an entry: a burst of edits in one file must not push every other file out. */
    readonly maxPerFile = 3,
  ) {}

  /** Newest first. */
  entries(): readonly LocationEntry[] {
    return this.list;
  }

  /**
   * A change replaced lines `startLine..oldEndLine` with `newLineCount` line breaks' worth of text.
   * Entries below it shift; the changed range becomes (or extends) the newest entry.
   */
  noteEdit(fileName: string, path: string, startLine: number, oldEndLine: number, newLineCount: number): void {
    const delta = newLineCount - (oldEndLine - startLine);
    if (delta !== 0) {
      for (const e of this.list) {
        if (e.fileName !== fileName) continue;
        if (e.startLine > oldEndLine) {
          e.startLine += delta;
          e.endLine += delta;
        } else if (e.endLine >= startLine) e.endLine = Math.max(e.startLine, e.endLine + delta);
      }
    }
    this.note(fileName, path, startLine, startLine + newLineCount);
  }

  /** A place visited (or edited without line bookkeeping): becomes, or refreshes, the newest entry. */
  note(fileName: string, path: string, startLine: number, endLine: number): void {
    const near = this.list.findIndex(
      (e) =>
        e.fileName === fileName &&
        startLine <= e.endLine + this.mergeDistance &&
        endLine >= e.startLine - this.mergeDistance,
    );
    let entry: LocationEntry;
    if (near !== -1) {
      entry = this.list.splice(near, 1)[0]!;
      entry.startLine = Math.min(entry.startLine, startLine);
      entry.endLine = Math.max(entry.endLine, endLine);
    } else entry = { fileName, path, startLine, endLine };
    this.list.unshift(entry);
    const sameFile = this.list.filter((e) => e.fileName === fileName);
    if (sameFile.length > this.maxPerFile) this.list.splice(this.list.lastIndexOf(sameFile[sameFile.length - 1]!), 1);
    if (this.list.length > this.capacity) this.list.length = this.capacity;
  }

  /** A file was closed or deleted: its entries point nowhere. */
  forget(fileName: string): void {
    this.list = this.list.filter((e) => e.fileName !== fileName);
  }
}

/** Lines of context shown around an edited or visited range. */
export const LINES_AROUND = 3;
/** Longest piece: a long edited range is shown by its last lines (where the user was). */
export const MAX_PIECE_LINES = 24;

/**
 * The entries as pieces, newest first (rank 0 is the newest), reading a few lines around each from
 * its document. `documentFor` returns undefined for a file that may not be read (excluded, outside
 * the workspace and not open, closed).
 */
export function historyPieces(
  entries: readonly LocationEntry[],
  source: Extract<ContextSource, 'recentEdit' | 'recentView'>,
  documentFor: (fileName: string) => TextDocumentLike | undefined,
  seen: (key: string) => number,
): ContextPiece[] {
  const out: ContextPiece[] = [];
  entries.forEach((e, rank) => {
    const doc = documentFor(e.fileName);
    if (!doc || doc.lineCount === 0) return;
    const last = Math.min(doc.lineCount - 1, e.endLine + LINES_AROUND);
    const first = Math.max(0, e.startLine - LINES_AROUND, last - MAX_PIECE_LINES + 1);
    const lines: string[] = [];
    for (let l = first; l <= last; l++) lines.push(doc.lineText(l));
    const text = lines.join('\n').replace(/\s+$/, '');
    if (text.trim() === '') return;
    out.push({
      source,
      path: e.path,
      fileName: e.fileName,
      startLine: first,
      endLine: last,
      text,
      rank,
      seen: seen(`${source}\u0000${e.fileName}\u0000${text}`),
    });
  });
  return out;
}
