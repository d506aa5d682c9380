import type { PostprocessFilter } from './types';

/** A tail this long (in characters) made of one short unit repeated is degenerate output. */
export const MIN_REPEATED_CHARS = 24;
export const MIN_REPEATS = 4;
export const MAX_UNIT = 20;

/** Length of the longest tail of `line` that repeats a unit of `MAX_UNIT` characters or fewer. */
export function repeatedTailLength(line: string): number {
  let best = 0;
  for (let p = 1; p <= MAX_UNIT && p * 2 <= line.length; p++) {
    let k = line.length - 1;
    while (k - p >= 0 && line[k] === line[k - p]) k--;
    // line[k+1-p .. end] is periodic with period p.
    const periodic = line.length - (k + 1) + p;
    if (periodic >= MIN_REPEATED_CHARS && periodic >= p * MIN_REPEATS && periodic > best) best = periodic;
  }
  return best;
}

function sameLine(a: string, b: string): boolean {
  return a.trim() === b.trim() && a.trim().length > 0;
}

/**
 * Drops what a model produces when it gets stuck: a line ending in one token repeated many times
 * (`foo = foo = foo = ...`, `0000000...`), and the same line repeated over and over. The repeated
 * part goes; if nothing else is left, the completion is dropped.
 */
export const degenerateRepetition: PostprocessFilter = {
  name: 'degenerate repetition',
  apply(c) {
    const original = c.text.split('\n');
    // Lines ending in a long repeated unit are removed from the first such line on.
    const bad = original.findIndex((l) => repeatedTailLength(l) > 0);
    const lines = bad === -1 ? original : original.slice(0, bad);
    // The same non-trivial line repeated: keep the first. Long lines twice, short ones three times.
    let end = lines.length;
    for (let i = 0; i < lines.length; i++) {
      const t = lines[i]!.trim();
      if (!/[A-Za-z0-9]/.test(t)) continue;
      let run = 1;
      while (i + run < lines.length && sameLine(lines[i + run]!, lines[i]!)) run++;
      if (run >= (t.length >= 10 && /[A-Za-z]/.test(t) ? 2 : 3)) {
        end = i + 1;
        break;
      }
    }
    if (bad === -1 && end === original.length) return c;
    const text = lines.slice(0, end).join('\n').replace(/\s+$/, '');
    if (text.trim() === '') return null;
    return { ...c, text };
  },
};
