import type { PostprocessFilter } from './types';

/**
 * Trailing whitespace goes, on every line and at the end, except one space or tab at the very end
 * when the completion fills in a line whose rest follows without a space (`sum(` + `a, ` + `b)`).
 */
export const trailingWhitespace: PostprocessFilter = {
  name: 'trailing whitespace',
  apply(c, ctx) {
    let text = c.text.replace(/[ \t]+(?=\n)/g, '');
    const keepTrailing =
      c.replaceSuffixChars === 0 && ctx.lineSuffix.trim() !== '' && !/^\s/.test(ctx.lineSuffix) && !text.includes('\n');
    const end = /\s+$/.exec(text);
    if (end && !(keepTrailing && !end[0].includes('\n'))) text = text.slice(0, end.index);
    return text === c.text ? c : { ...c, text };
  },
};
