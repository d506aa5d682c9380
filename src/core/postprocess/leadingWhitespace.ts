import { indentWidth, isBlank } from '../stream/codeShape';
import type { PostprocessFilter } from './types';

/**
 * The start of a completion must fit where the cursor is. After indentation already typed, blank
 * lines the model put first are dropped and the first real line loses the indentation the cursor's
 * line already has; without such lines, the first line's own indentation is dropped. After a space, the model's
 * own leading spaces are not doubled.
 */
export const leadingWhitespace: PostprocessFilter = {
  name: 'leading whitespace',
  apply(c, ctx) {
    let text = c.text;
    const lp = ctx.linePrefix;
    if (lp.length > 0 && isBlank(lp)) {
      const m = /^(?:[ \t]*\n)+/.exec(text);
      if (m && m[0].length < text.length) {
        text = text.slice(m[0].length);
        // The cursor's line already holds `lp`; remove as much of the first line's indentation.
        const have = indentWidth(lp, ctx.tabSize);
        let i = 0;
        while (
          i < text.length &&
          (text[i] === ' ' || text[i] === '\t') &&
          indentWidth(text.slice(0, i + 1), ctx.tabSize) <= have
        )
          i++;
        text = text.slice(i);
      } else {
        // The cursor already stands at the indentation: the model's own indentation would double it.
        text = text.replace(/^[ \t]+(?=\S)/, '');
      }
    } else if (/[ \t]$/.test(lp)) {
      // After one typed space the model's leading whitespace doubles it. After a tab or a run of spaces
      // the user is aligning columns (`#define A      (1)`, `'key'     : value`): the model's run is the text.
      if (!/(\t| {2})$/.test(lp)) text = text.replace(/^[ \t]+(?=\S)/, '');
    }
    return text === c.text ? c : { ...c, text };
  },
};
