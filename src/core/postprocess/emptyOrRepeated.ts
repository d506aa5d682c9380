import { isBlank } from '../stream/codeShape';
import type { PostprocessFilter } from './types';

/**
 * Nothing to show: an empty completion, or one that only repeats the lines just above the cursor
 * (models echo the previous line when they have nothing better).
 */
const MIN_REPEATED_CHARS = 12;

export const emptyOrRepeated: PostprocessFilter = {
  name: 'empty or repeats previous lines',
  apply(c, ctx) {
    if (c.text.trim() === '' && c.replaceSuffixChars === 0) return null;
    if (!isBlank(ctx.linePrefix)) return c;
    const shown = c.text
      .split('\n')
      .filter((l) => !isBlank(l))
      .map((l) => l.trim());
    // Short closing keywords (`end`, `fi`, `}`) legitimately repeat the line above.
    if (shown.length === 0 || shown.join('').length < MIN_REPEATED_CHARS || !shown.some((l) => /[A-Za-z0-9]/.test(l)))
      return c;
    const before = ctx.prefix.replace(/\r\n/g, '\n').split('\n');
    before.pop();
    const previous = before
      .filter((l) => !isBlank(l))
      .slice(-shown.length)
      .map((l) => l.trim());
    if (previous.length === shown.length && previous.every((l, i) => l === shown[i])) return null;
    return c;
  },
};
