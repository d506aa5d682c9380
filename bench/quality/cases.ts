/**
 * Quality cases cut from a real file: the document as the user has it (the text the model should
 * write removed), the cursor, the truth (what was removed), and the model's answer: the truth plus
 * what models typically add (the lines that already follow the cursor, the closers already there).
 */
export type CaseKind = 'rest of line' | 'inside brackets' | 'block body';
export const CASE_KINDS: readonly CaseKind[] = ['rest of line', 'inside brackets', 'block body'];

export interface QualityCase {
  file: string;
  languageId: string;
  kind: CaseKind;
  /** The original file. */
  original: string;
  /** Where the cut starts in `original` (the cursor). */
  at: number;
  truth: string;
  /** The document the user has: `original` without `truth`. */
  document: string;
  /** The model's answer. */
  raw: string;
}

/** The benchmark's one seeded generator: the same seed gives the same cases on every machine with the same files. */
export { seededRandom as rng } from '../stats';

export function pick<T>(random: () => number, list: readonly T[]): T | undefined {
  return list.length === 0 ? undefined : list[Math.floor(random() * list.length)];
}

const indentOf = (line: string) => /^[ \t]*/.exec(line)![0];

interface Lines {
  lines: string[];
  /** Offset of each line's first character. */
  starts: number[];
}

function linesOf(text: string): Lines {
  const lines = text.split('\n');
  const starts: number[] = [];
  let offset = 0;
  for (const l of lines) {
    starts.push(offset);
    offset += l.length + 1;
  }
  return { lines, starts };
}

/** What a model typically writes after the right text: the next few lines of the file again. */
function followingLines(random: () => number, lines: string[], from: number): string {
  const count = 1 + Math.floor(random() * 3);
  const next = lines.slice(from, from + count);
  return next.length === 0 ? '' : '\n' + next.join('\n');
}

function makeCase(
  file: string,
  languageId: string,
  kind: CaseKind,
  original: string,
  at: number,
  truthLength: number,
  overGeneration: string,
): QualityCase {
  const truth = original.slice(at, at + truthLength);
  return {
    file,
    languageId,
    kind,
    original,
    at,
    truth,
    document: original.slice(0, at) + original.slice(at + truthLength),
    raw: truth + overGeneration,
  };
}

/** A line worth completing: some text (code, comment, docstring), no trailing whitespace (never shown). */
function completable(line: string): boolean {
  const t = line.trim();
  return t.length >= 8 && !/[ \t]$/.test(line);
}

/** (a) The rest of a line from any point after its first character; the model goes on into the next lines. */
export function restOfLineCase(random: () => number, file: string, languageId: string, text: string) {
  const { lines, starts } = linesOf(text);
  const candidates = lines.map((_, i) => i).filter((i) => completable(lines[i]!));
  const i = pick(random, candidates);
  if (i === undefined) return undefined;
  const line = lines[i]!;
  const first = indentOf(line).length + 1;
  if (first > line.length - 3) return undefined;
  const p = first + Math.floor(random() * (line.length - 2 - first));
  const over = random() < 0.75 ? followingLines(random, lines, i + 1) : '';
  return makeCase(file, languageId, 'rest of line', text, starts[i]! + p, line.length - p, over);
}

/** Brackets opened and closed on one line (quotes respected), as [opener index, closer index]. */
function bracketPairs(line: string, hashComment: boolean): [number, number][] {
  const pairs: [number, number][] = [];
  const stack: number[] = [];
  let quote: string | undefined;
  for (let k = 0; k < line.length; k++) {
    const ch = line[k]!;
    if (quote) {
      if (ch === '\\') k++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '(' || ch === '[' || ch === '{') stack.push(k);
    else if (ch === ')' || ch === ']' || ch === '}') {
      const o = stack.pop();
      if (o === undefined) return pairs;
      if ('([{'.indexOf(line[o]!) === ')]}'.indexOf(ch)) pairs.push([o, k]);
    } else if (ch === '#' && hashComment) break;
  }
  return pairs;
}
/**
 * (b) Inside brackets before their closers: the text between an opener (or a comma in it) and the
 * closer is removed; the closer and the rest of the line stay. The model writes the text, then the
 * closers and the rest of the line again, often the next lines too.
 */
export function insideBracketsCase(random: () => number, file: string, languageId: string, text: string) {
  const { lines, starts } = linesOf(text);
  const candidates: [number, number, number][] = [];
  lines.forEach((line, i) => {
    if (!completable(line)) return;
    for (const [o, c] of bracketPairs(line, languageId === 'python')) {
      if (c - o >= 3 && line.slice(o + 1, c).trim() !== '') candidates.push([i, o, c]);
    }
  });
  const chosen = pick(random, candidates);
  if (chosen === undefined) return undefined;
  const [i, o, c] = chosen;
  const line = lines[i]!;
  // The cursor right after the opener, or after a comma and space inside the brackets.
  const points = [o + 1];
  for (let k = o + 1; k < c - 1; k++) if (line[k] === ',' && line[k + 1] === ' ') points.push(k + 2);
  const p = pick(random, points)!;
  if (line.slice(p, c).trim() === '' || /^\s/.test(line.slice(p, c))) return undefined;
  const r = random();
  const rest = line.slice(c);
  const over = r < 0.15 ? '' : r < 0.5 ? rest : rest + followingLines(random, lines, i + 1);
  return makeCase(file, languageId, 'inside brackets', text, starts[i]! + p, c - p, over);
}

function opensBlock(line: string, languageId: string): boolean {
  const t = line.trimEnd();
  if (languageId === 'python')
    return /^\s*(def|class|if|elif|else|for|while|with|try|except|finally|async def)\b.*:$/.test(t);
  return t.endsWith('{') && !/^\s*(\/\/|\*|\/\*)/.test(t);
}

/**
 * (c) The body of a block: after a line that opens one, the cursor on the body's first line at its
 * indentation, the body removed; the model writes the body and then the lines after it (the closer).
 */
export function blockBodyCase(random: () => number, file: string, languageId: string, text: string) {
  const { lines, starts } = linesOf(text);
  const candidates: [number, number][] = [];
  for (let i = 0; i < lines.length - 2; i++) {
    if (!opensBlock(lines[i]!, languageId)) continue;
    const base = indentOf(lines[i]!).length;
    let j = i + 1;
    while (j < lines.length && lines[j]!.trim() !== '' && indentOf(lines[j]!).length > base) j++;
    // One to eight body lines, ended by a line at the opener's level (not by a blank line), no trailing whitespace.
    const body = lines.slice(i + 1, j);
    if (body.length < 1 || body.length > 8 || j >= lines.length || lines[j]!.trim() === '') continue;
    if (body.some((l) => /[ \t]$/.test(l))) continue;
    candidates.push([i, j]);
  }
  const chosen = pick(random, candidates);
  if (chosen === undefined) return undefined;
  const [i, j] = chosen;
  const bodyStart = starts[i + 1]! + indentOf(lines[i + 1]!).length;
  const bodyEnd = starts[j - 1]! + lines[j - 1]!.length;
  const over = random() < 0.75 ? followingLines(random, lines, j) : '';
  return makeCase(file, languageId, 'block body', text, bodyStart, bodyEnd - bodyStart, over);
}

export const CASE_MAKERS: Record<CaseKind, typeof restOfLineCase> = {
  'rest of line': restOfLineCase,
  'inside brackets': insideBracketsCase,
  'block body': blockBodyCase,
};
