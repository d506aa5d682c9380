import * as assert from 'node:assert/strict';
import { readPromptWindow } from '../../src/core/promptWindow';
import { StringDocument, type TextDocumentLike } from '../../src/core/textDocumentLike';

describe('readPromptWindow', () => {
  it('splits the document at the cursor', () => {
    const { document, position } = StringDocument.withCursor('def f(x):\n    return █\n\nprint(f(1))\n', 'python');
    const w = readPromptWindow(document, position, 1000);
    assert.equal(w.prefix, 'def f(x):\n    return ');
    assert.equal(w.suffix, '\n\nprint(f(1))\n');
    assert.equal(w.linePrefix, '    return ');
    assert.equal(w.lineSuffix, '');
    assert.ok(w.prefixComplete && w.suffixComplete);
  });

  it('keeps CRLF line endings', () => {
    const { document, position } = StringDocument.withCursor('a\r\nb█\r\nc', 'plaintext');
    const w = readPromptWindow(document, position, 1000);
    assert.equal(w.prefix, 'a\r\nb');
    assert.equal(w.suffix, '\r\nc');
  });

  it('cuts at line boundaries within the budget, giving the prefix the larger share', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `line ${String(i).padStart(3, '0')} ${'x'.repeat(20)}`);
    lines[200] = 'cursor line';
    const doc = new StringDocument(lines.join('\n'));
    const w = readPromptWindow(doc, { line: 200, character: 6 }, 200); // 700 chars
    assert.ok(w.prefix.length + w.suffix.length <= 700, `window ${w.prefix.length + w.suffix.length} chars`);
    assert.ok(w.prefix.length > w.suffix.length * 2, 'prefix gets the larger share');
    assert.ok(w.prefix.startsWith('line '), 'prefix starts at a line start');
    assert.ok(w.prefix.endsWith('\ncursor'));
    assert.ok(w.suffix.startsWith(' line\nline 201'));
    assert.ok(!w.prefixComplete && !w.suffixComplete);
  });

  it('reads only the lines of the window, not the whole document', () => {
    let reads = 0;
    const doc: TextDocumentLike = {
      languageId: 'plaintext',
      fileName: 'big.txt',
      lineCount: 100_000,
      eol: '\n',
      lineText: () => {
        reads++;
        return 'some text on a line';
      },
    };
    readPromptWindow(doc, { line: 50_000, character: 4 }, 2048);
    assert.ok(reads < 500, `read ${reads} lines`);
  });
});
