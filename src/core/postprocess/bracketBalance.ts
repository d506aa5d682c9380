import { scanCode } from '../stream/codeShape';
import type { PostprocessFilter } from './types';

/**
 * A closing bracket on the cursor's line that closes nothing (the model wrote `foo())` where one
 * `)` was needed) ends the completion before it. Only the first line is judged: further down, the
 * stop rules already limit the completion to the cursor's scope, and brackets opened before the
 * prompt window cannot be seen.
 */
export const bracketBalance: PostprocessFilter = {
  name: 'bracket balance',
  apply(c, ctx) {
    const firstBreak = c.text.indexOf('\n');
    const firstLine = firstBreak === -1 ? c.text : c.text.slice(0, firstBreak);
    const r = scanCode(firstLine, ctx.plan.prefixState, ctx.languageId);
    if (r.strayCloserAt === undefined) return c;
    const text = firstLine.slice(0, r.strayCloserAt).replace(/[ \t]+$/, '');
    if (text.trim() === '') return null;
    return { ...c, text };
  },
};
