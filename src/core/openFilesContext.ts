import type { TextDocumentLike } from './textDocumentLike';

/**
 * `infill.context.openFiles`: a few lines from other open editors of the same language that look
 * most like the code at the cursor, so the model sees the names and shapes used next door. Each
 * snippet is a window of lines scored by the overlap of identifiers with the lines before the
 * cursor (Jaccard similarity). Only a bounded number of lines per file is read.
 */
export interface ContextSnippet {
  fileName: string;
  text: string;
  score: number;
}

export const SNIPPET_LINES = 24;
/** Lines read per other file, from its start: bounds the work per request on huge files. */
export const MAX_LINES_SCANNED = 2000;
export const MAX_FILES = 8;

const IDENTIFIER = /[A-Za-z_$][A-Za-z0-9_$]{2,}/g;

function identifiers(text: string): Set<string> {
  return new Set(text.match(IDENTIFIER) ?? []);
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * The best snippets from `others` for the text just before the cursor, within `budgetChars`.
 * Documents of another language, or the current file itself, are skipped by the caller's choice of
 * `others`; this function only ranks and cuts.
 */
export function selectSnippets(others: readonly TextDocumentLike[], prefixTail: string, budgetChars: number): ContextSnippet[] {
  if (budgetChars <= 0 || others.length === 0) return [];
  const target = identifiers(prefixTail);
  if (target.size === 0) return [];
  const candidates: ContextSnippet[] = [];
  for (const doc of others.slice(0, MAX_FILES)) {
    const lineCount = Math.min(doc.lineCount, MAX_LINES_SCANNED);
    let best: ContextSnippet | undefined;
    const step = Math.max(1, Math.floor(SNIPPET_LINES / 2));
    for (let start = 0; start < lineCount; start += step) {
      const lines: string[] = [];
      for (let l = start; l < Math.min(lineCount, start + SNIPPET_LINES); l++) lines.push(doc.lineText(l));
      const text = lines.join('\n').replace(/\s+$/, '');
      const score = jaccard(target, identifiers(text));
      if (!best || score > best.score) best = { fileName: doc.fileName, text, score };
      if (start + SNIPPET_LINES >= lineCount) break;
    }
    if (best && best.score > 0) candidates.push(best);
  }
  candidates.sort((a, b) => b.score - a.score);
  const chosen: ContextSnippet[] = [];
  let left = budgetChars;
  for (const c of candidates) {
    const cost = c.text.length + c.fileName.length + 16;
    if (cost > left) continue;
    chosen.push(c);
    left -= cost;
  }
  return chosen;
}

const LINE_COMMENT: Record<string, string> = {
  python: '#',
  ruby: '#',
  shellscript: '#',
  perl: '#',
  r: '#',
  yaml: '#',
  toml: '#',
  dockerfile: '#',
  makefile: '#',
  powershell: '#',
  julia: '#',
  elixir: '#',
  lua: '--',
  sql: '--',
  haskell: '--',
  ada: '--',
  clojure: ';;',
  lisp: ';;',
  scheme: ';;',
  bat: 'REM',
  vb: "'",
  matlab: '%',
  latex: '%',
  erlang: '%',
};

/** The language's line comment, `//` for the C family and anything unknown. */
export function lineCommentFor(languageId: string): string {
  return LINE_COMMENT[languageId] ?? '//';
}

/** Snippets as a commented header: the model reads them as part of the file, not as code to continue. */
export function formatSnippetHeader(snippets: readonly ContextSnippet[], languageId: string, eol: string): string {
  if (snippets.length === 0) return '';
  const c = lineCommentFor(languageId);
  const out: string[] = [];
  for (const s of snippets) {
    out.push(`${c} Context from ${baseName(s.fileName)}:`);
    for (const line of s.text.split('\n')) out.push(line.length > 0 ? `${c} ${line}` : c);
  }
  return out.join(eol) + eol + eol;
}

function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}
