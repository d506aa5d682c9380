/**
 * Context from outside the window around the cursor, as plain data: what the glue gathers through
 * VS Code (definitions, imports, recent edits and views, the clipboard) and what the assembler finds
 * in other open files, before the budget decides what is sent.
 */
export type ContextSource = 'definition' | 'import' | 'recentEdit' | 'recentView' | 'clipboard' | 'openFile';

export interface ContextPiece {
  source: ContextSource;
  /** Path relative to the workspace (what the model sees); '' for the clipboard. */
  path: string;
  /** Absolute file name, so a piece that the window already shows can be dropped. */
  fileName?: string;
  /** First and last line of the piece in its file, 0-based (shown in Explain, never sent). */
  startLine: number;
  endLine: number;
  /** The text sent: a declaration, a few lines around an edit, a snippet. */
  text: string;
  /** Lower is more useful: when the budget is short, higher ranks go first. */
  rank: number;
  /**
   * When the piece was first seen (any increasing number). The block lists pieces in this order, so a
   * new piece goes after the ones already sent and the start of the prompt stays byte-identical.
   */
  seen: number;
}

/** What `Infill: Explain Last Suggestion` lists for each piece sent. */
export interface ContextPieceSummary {
  source: ContextSource;
  path: string;
  /** 1-based, inclusive: "12-18". */
  lines: string;
  tokens: number;
}

/** What the glue hands the assembler for one request. */
export interface PromptContext {
  pieces: readonly ContextPiece[];
  /** The workspace folder's name (repository-level layouts name the repository). */
  repoName?: string;
  /** The current file's path relative to the workspace. */
  currentPath?: string;
  /** Workspace folders' absolute paths, to make other open files' paths relative. */
  workspaceRoots?: readonly string[];
}

export function summarizePiece(piece: ContextPiece, tokens: number): ContextPieceSummary {
  return {
    source: piece.source,
    path: piece.path || '(clipboard)',
    lines: `${piece.startLine + 1}-${piece.endLine + 1}`,
    tokens,
  };
}

/** The path a model sees for a file: relative to the first workspace root that holds it, else its name. */
export function relativePathFor(fileName: string, roots: readonly string[] = []): string {
  const normalized = fileName.replace(/\\/g, '/');
  for (const root of roots) {
    const r = root.replace(/\\/g, '/').replace(/\/+$/, '');
    if (r && normalized.startsWith(r + '/')) return normalized.slice(r.length + 1);
  }
  return normalized.slice(normalized.lastIndexOf('/') + 1) || normalized;
}
