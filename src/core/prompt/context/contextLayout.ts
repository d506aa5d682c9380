import { renderTemplate, type FimTemplate } from '../../providers/fimTemplates';
import { repoLayoutFor, type RepoLayoutId } from '../../providers/repoLayouts';
import { lineCommentFor } from '../openFilesContext';
import type { PromptParts } from '../promptParts';
import type { PromptWindow } from '../promptWindow';
import type { FimChoice } from '../promptAssembler';
import { BUCKET_OF, BUCKET_ORDER } from './contextBudget';
import type { ContextPiece } from './contextTypes';

/**
 * Where the context block goes in the prompt, in the layout the model was trained on
 * (providers/repoLayouts.ts). The block always comes first and lists pieces in the order they were
 * first seen, so while the user types in one place the prompt's start stays byte-identical and a
 * server's prompt cache (llama.cpp, vLLM, Ollama) reuses it; a new piece changes the prompt only
 * from where it is added, after the others.
 */
export interface LaidOutPrompt {
  parts: PromptParts;
  /** Characters the context block adds to the prompt. */
  contextChars: number;
  /** The context block's text ('' without context): what must stay the same between keystrokes. */
  block: string;
  layout: RepoLayoutId;
}

export interface LayoutInput {
  fim: FimChoice;
  /** The template to render, when not the mode's own (its suffix-first variant). */
  template?: FimTemplate;
  /** The suffix to send, when not the window's whole suffix (cut to a latency budget). */
  suffix?: string;
  model: string;
  pieces: readonly ContextPiece[];
  window: PromptWindow;
  languageId: string;
  repoName?: string;
  currentPath?: string;
}

/** Pieces in block order: first seen first; ties by source priority, path and line. */
export function orderForBlock(pieces: readonly ContextPiece[]): ContextPiece[] {
  const bucketIndex = (p: ContextPiece) => BUCKET_ORDER.indexOf(BUCKET_OF[p.source]);
  return [...pieces].sort(
    (a, b) =>
      a.seen - b.seen ||
      bucketIndex(a) - bucketIndex(b) ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
      a.startLine - b.startLine,
  );
}

/** Pieces as a commented header in the file's language: the model reads them as part of the file. */
export function commentedHeader(pieces: readonly ContextPiece[], languageId: string, eol: string): string {
  if (pieces.length === 0) return '';
  const c = lineCommentFor(languageId);
  const out: string[] = [];
  for (const piece of pieces) {
    out.push(`${c} ${piece.source === 'clipboard' ? 'Clipboard' : `Context from ${piece.path}`}:`);
    for (const line of piece.text.split(/\r?\n/)) out.push(line.length > 0 ? `${c} ${line}` : c);
  }
  return out.join(eol) + eol + eol;
}

/** The prompt parts for one request: context block, window, FIM mode. `pieces` must be in block order. */
export function layOutPrompt(input: LayoutInput): LaidOutPrompt {
  const { fim, window, pieces } = input;
  const c = lineCommentFor(input.languageId);
  const template = fim.mode === 'template' ? (input.template ?? fim.template) : undefined;
  const suffix = input.suffix ?? window.suffix;
  const repo = template && pieces.length > 0 ? repoLayoutFor(template.id, input.model) : undefined;
  if (template && repo) {
    const currentPath = input.currentPath ?? 'untitled';
    const eolText = (text: string) => (window.eol === '\r\n' ? text.replace(/\r?\n/g, '\r\n') : text);
    const files = pieces.map((p) => repo.file(p.path || 'clipboard', eolText(p.text), c)).join('');
    const head = repo.filesInsidePrefix
      ? ''
      : repo.start(input.repoName ?? 'workspace') + files + repo.beforeTemplate(currentPath, c);
    const prefixHead = (repo.filesInsidePrefix ? files : '') + repo.prefixStart(currentPath, c);
    const prompt = head + renderTemplate(template, prefixHead + window.prefix, suffix);
    return {
      parts: { prompt, extraStops: [...template.stops] },
      contextChars: head.length + prefixHead.length,
      block: head + prefixHead,
      layout: repo.id,
    };
  }
  const header = commentedHeader(pieces, input.languageId, window.eol);
  const prefix = header + window.prefix;
  let parts: PromptParts;
  if (template) parts = { prompt: renderTemplate(template, prefix, suffix), extraStops: [...template.stops] };
  else if (fim.mode === 'suffix') parts = { prompt: prefix, ...(suffix.length > 0 ? { suffix } : {}), extraStops: [] };
  else parts = { prompt: prefix, extraStops: [] };
  return { parts, contextChars: header.length, block: header, layout: 'comment' };
}
