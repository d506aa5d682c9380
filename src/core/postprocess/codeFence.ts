import type { PostprocessFilter } from './types';

/**
 * Instruction-tuned models behind relays sometimes wrap code in a Markdown fence. A first line that
 * opens a fence and a last line that closes one are removed (outside Markdown, where fences are
 * content).
 */
export const codeFence: PostprocessFilter = {
  name: 'markdown fence',
  apply(c, ctx) {
    if (ctx.languageId === 'markdown') return c;
    let lines = c.text.split('\n');
    let changed = false;
    if (lines.length > 1 && /^\s*```[\w+#.-]*\s*$/.test(lines[0]!)) {
      lines = lines.slice(1);
      changed = true;
    }
    if (lines.length > 0 && /^\s*```\s*$/.test(lines[lines.length - 1]!)) {
      lines = lines.slice(0, -1);
      changed = true;
    }
    return changed ? { ...c, text: lines.join('\n') } : c;
  },
};
