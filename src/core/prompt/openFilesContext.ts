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
  /** First line of the snippet in its file, 0-based. */
  startLine: number;
}

export const SNIPPET_LINES = 24;
/** Lines read per other file, from its start: bounds the work per request on huge files. */
export const MAX_LINES_SCANNED = 2000;
export const MAX_FILES = 6;

const IDENTIFIER = /[A-Za-z_$][A-Za-z0-9_$]{2,}/g;

/** Keywords every file shares: they say nothing about which file is related. */
const COMMON = new Set(
  (
    'import from export default return def for while if else elif const let var function class new this self true false null none ' +
    'undefined print public private protected static void int string bool boolean char float double long async await try catch ' +
    'except finally throw throws raise with pass break continue package func struct type interface impl pub use mut match enum'
  ).split(' '),
);

function identifiers(text: string): Set<string> {
  return new Set((text.match(IDENTIFIER) ?? []).filter((w) => !COMMON.has(w.toLowerCase())));
}

/**
 * The best snippets from `others` for the text just before the cursor, within `budgetChars`.
 * Documents of another language, or the current file itself, are skipped by the caller's choice of
 * `others`; this function only ranks and cuts.
 */
export function selectSnippets(
  others: readonly TextDocumentLike[],
  prefixTail: string,
  budgetChars: number,
): ContextSnippet[] {
  if (budgetChars <= 0 || others.length === 0) return [];
  const target = identifiers(prefixTail);
  if (target.size === 0) return [];
  const candidates: ContextSnippet[] = [];
  for (const doc of others.slice(0, MAX_FILES)) {
    const best = bestWindow(doc, target);
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

/**
 * Slides a SNIPPET_LINES window over the document, keeping identifier counts up to date as lines
 * enter and leave, so each line is tokenized once (a few milliseconds for thousands of lines).
 */
function bestWindow(doc: TextDocumentLike, target: Set<string>): ContextSnippet | undefined {
  const lineCount = Math.min(doc.lineCount, MAX_LINES_SCANNED);
  if (lineCount === 0) return undefined;
  const lineIds: string[][] = [];
  for (let l = 0; l < lineCount; l++) lineIds.push([...identifiers(doc.lineText(l))]);
  const counts = new Map<string, number>();
  let shared = 0;
  const add = (ids: readonly string[]) => {
    for (const id of ids) {
      const n = counts.get(id) ?? 0;
      counts.set(id, n + 1);
      if (n === 0 && target.has(id)) shared++;
    }
  };
  const remove = (ids: readonly string[]) => {
    for (const id of ids) {
      const n = counts.get(id)!;
      if (n === 1) {
        counts.delete(id);
        if (target.has(id)) shared--;
      } else counts.set(id, n - 1);
    }
  };
  let bestStart = 0;
  let bestScore = -1;
  const size = Math.min(SNIPPET_LINES, lineCount);
  for (let l = 0; l < size; l++) add(lineIds[l]!);
  for (let start = 0; ; start++) {
    const score = counts.size === 0 ? 0 : shared / (target.size + counts.size - shared);
    if (score > bestScore) [bestScore, bestStart] = [score, start];
    if (start + size >= lineCount) break;
    remove(lineIds[start]!);
    add(lineIds[start + size]!);
  }
  const lines: string[] = [];
  for (let l = bestStart; l < bestStart + size; l++) lines.push(doc.lineText(l));
  return {
    fileName: doc.fileName,
    text: lines.join('\n').replace(/\s+$/, ''),
    score: bestScore,
    startLine: bestStart,
  };
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
