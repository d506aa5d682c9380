import { indentWidth, leadingWhitespace } from '../stream/codeShape';
import type { PostprocessFilter } from './types';

/**
 * The document's indentation and line endings: lines after the first get tabs in a tab-indented
 * document and spaces in a space-indented one (the model often writes the other), and a CRLF
 * document gets CRLF. An editor set to indent with tabs (`insertSpaces` false) means a tab-indented
 * document; otherwise a document with no indented line gives no evidence, and nothing is converted. A
 * tab is `tabSize` columns (the editor's), so 16 spaces are 2 tabs where tabs are 8 wide. The first
 * line continues the cursor's line and keeps what it has.
 */
export const indentationAndLineEndings: PostprocessFilter = {
  name: 'indentation and line endings',
  apply(c, ctx) {
    const lines = c.text.split('\n');
    const useTabs = ctx.indentUnit === '\t';
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const ws = leadingWhitespace(line);
      if (ws === '') continue;
      // Spaces after tabs are alignment the document's own style allows; spaces first are the model's.
      if (useTabs && ws.startsWith(' ')) {
        const width = indentWidth(ws, ctx.tabSize);
        const unit = ctx.tabSize;
        lines[i] = '\t'.repeat(Math.floor(width / unit)) + ' '.repeat(width % unit) + line.slice(ws.length);
      } else if (ctx.indentUnit !== '' && !useTabs && ws.includes('\t')) {
        const width = indentWidth(ws, ctx.indentUnit.length || ctx.tabSize);
        lines[i] = ' '.repeat(width) + line.slice(ws.length);
      }
    }
    const text = lines.join(ctx.eol);
    return text === c.text ? c : { ...c, text };
  },
};
