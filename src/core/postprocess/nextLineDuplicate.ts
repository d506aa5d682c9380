import { isBlank, nextNonBlankLine } from '../stream/codeShape';
import type { PostprocessFilter } from './types';

/**
 * A completion that is just the next line of the document again (the model "completed" by copying
 * what follows) is dropped.
 */
export const nextLineDuplicate: PostprocessFilter = {
  name: 'equal to the next line',
  apply(c, ctx) {
    const next = nextNonBlankLine(ctx.suffix.replace(/\r\n/g, '\n'));
    if (next === undefined) return c;
    // `}` and `};`, `a: 1` and `a: 1,` are the same line for this purpose.
    const target = next.trim().replace(/[;,]$/, '');
    const shown = c.text.trim().replace(/[;,]$/, '');
    if (shown === '') return c;
    const firstLine = c.text
      .split('\n')
      .find((l) => !isBlank(l))
      ?.trim()
      .replace(/[;,]$/, '');
    const lineStart = isBlank(ctx.linePrefix);
    if (shown === target || shown + ctx.lineSuffix.trim() === target) {
      // Mid-line, a very short match (`)`, `x`) may be a real continuation; anything longer is a copy.
      return lineStart || c.text.startsWith('\n') || target.length >= 3 ? null : c;
    }
    // The completion starts a new line that repeats the next one, then goes on repeating the document.
    if (lineStart && firstLine === target && target.length > 0) return null;
    return c;
  },
};
