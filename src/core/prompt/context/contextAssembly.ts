import { CHARS_PER_TOKEN, type PromptWindow } from '../promptWindow';
import { selectSnippets } from '../openFilesContext';
import type { CursorPosition, TextDocumentLike } from '../textDocumentLike';
import { activeShares, pieceTokens, selectWithinBudget, type BudgetSettings } from './contextBudget';
import { orderForBlock } from './contextLayout';
import {
  relativePathFor,
  summarizePiece,
  type ContextPiece,
  type ContextPieceSummary,
  type PromptContext,
} from './contextTypes';

/**
 * From every candidate (gathered pieces, other open files' snippets) to the pieces one request
 * sends: what the window already shows is left out, overlapping pieces are kept once, the budget
 * picks whole pieces, and the block order keeps the prompt's start stable.
 */
export interface ContextInput {
  document: TextDocumentLike;
  position: CursorPosition;
  settings: BudgetSettings;
  /** Other open editors (same language, not excluded): candidates for `infill.context.openFiles`. */
  openDocuments?: readonly TextDocumentLike[];
  /** What the glue gathered; present (even empty) whenever the glue gathers, so its share is kept. */
  context?: PromptContext;
}

export interface ChosenContext {
  /** In block order. */
  pieces: ContextPiece[];
  summaries: ContextPieceSummary[];
}

/** Lines before the cursor that open-file snippets are compared with. */
const SIMILARITY_LINES = 20;

/** Other open documents that may lend context: only with `infill.context.openFiles`, never the current file. */
export function contextDocuments(
  input: Pick<ContextInput, 'document' | 'settings' | 'openDocuments'>,
): readonly TextDocumentLike[] {
  return input.settings.contextOpenFiles
    ? (input.openDocuments ?? []).filter((d) => d.fileName !== input.document.fileName)
    : [];
}

function sharesFor(input: Pick<ContextInput, 'document' | 'settings' | 'openDocuments' | 'context'>) {
  return activeShares(input.settings, {
    openFiles: contextDocuments(input).length > 0,
    gathering: input.context !== undefined,
  });
}

/**
 * Tokens set aside for context. Reserved whenever a source may contribute, found or not, so the
 * window (and the cache key built from it) does not jump when a piece comes or goes.
 */
export function contextReserveTokens(
  input: Pick<ContextInput, 'document' | 'settings' | 'openDocuments' | 'context'>,
  /** The whole budget: `infill.contextLength`, or less when the server's context is smaller. */
  budgetTokens = input.settings.contextLength,
): number {
  let share = 0;
  for (const s of sharesFor(input).values()) share += s;
  return Math.floor(budgetTokens * share);
}

function snippetPieces(input: ContextInput): ContextPiece[] {
  const others = contextDocuments(input);
  if (others.length === 0) return [];
  const { document, position } = input;
  const tail: string[] = [];
  for (let l = Math.max(0, position.line - SIMILARITY_LINES); l <= Math.min(position.line, document.lineCount - 1); l++)
    tail.push(document.lineText(l));
  // Every file's best window; the budget below decides how many go.
  const snippets = selectSnippets(others, tail.join('\n'), Math.floor(input.settings.contextLength * CHARS_PER_TOKEN));
  const roots = input.context?.workspaceRoots ?? [];
  return snippets.map((s) => ({
    source: 'openFile' as const,
    path: relativePathFor(s.fileName, roots),
    fileName: s.fileName,
    startLine: s.startLine,
    endLine: s.startLine + s.text.split('\n').length - 1,
    text: s.text,
    rank: -s.score,
    // After every gathered piece: snippets follow the lines being typed, so they change most.
    seen: Number.MAX_SAFE_INTEGER,
  }));
}

const overlaps = (a: ContextPiece, b: ContextPiece) =>
  a.fileName !== undefined && a.fileName === b.fileName && a.startLine <= b.endLine && b.startLine <= a.endLine;

export function chooseContext(
  input: ContextInput,
  window: PromptWindow,
  budgetTokens = input.settings.contextLength,
): ChosenContext {
  const shares = sharesFor(input);
  if (shares.size === 0) return { pieces: [], summaries: [] };
  const candidates = [...(input.context?.pieces ?? []), ...snippetPieces(input)];
  const fresh: ContextPiece[] = [];
  for (const piece of candidates) {
    // The window already shows these lines.
    if (
      piece.fileName === input.document.fileName &&
      piece.startLine <= window.endLine &&
      window.startLine <= piece.endLine
    )
      continue;
    if (piece.text.trim() === '') continue;
    // Candidates come in priority order of their sources (definitions first): keep the first.
    if (fresh.some((kept) => overlaps(kept, piece) || (kept.path === piece.path && kept.text === piece.text))) continue;
    fresh.push(piece);
  }
  const { kept } = selectWithinBudget(fresh, budgetTokens, shares);
  const pieces = orderForBlock(kept);
  return { pieces, summaries: pieces.map((p) => summarizePiece(p, pieceTokens(p))) };
}
