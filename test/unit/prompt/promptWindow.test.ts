import * as assert from 'node:assert/strict';
import { readPromptWindow } from '../../../src/core/prompt/promptWindow';
import {
  DocumentWithInsertion,
  StringDocument,
  type TextDocumentLike,
} from '../../../src/core/prompt/textDocumentLike';

describe('readPromptWindow', () => {
  it('never cuts a very long line inside a surrogate pair', () => {
    const hasLoneSurrogate = (t: string) =>
      /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(t);
    const emoji = '\u{1F600}';
    for (let budget = 100; budget < 104; budget++) {
      const { document, position } = StringDocument.withCursor(emoji.repeat(2000) + '█' + emoji.repeat(2000));
      const w = readPromptWindow(document, position, budget);
      assert.ok(w.linePrefix.length > 0 && w.lineSuffix.length > 0);
      assert.equal(hasLoneSurrogate(w.prefix), false, `prefix, budget ${budget}`);
      assert.equal(hasLoneSurrogate(w.suffix), false, `suffix, budget ${budget}`);
    }
  });

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

describe('readPromptWindow stability', () => {
  it('keeps the first line of the window while the user types on the cursor line', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `line ${i} ${'y'.repeat(30)}`);
    const doc = (typed: string) => {
      const copy = [...lines];
      copy[1500] = typed;
      return new StringDocument(copy.join('\n'));
    };
    const starts = ['', 'a', 'ab', 'abc', 'abcd'].map((typed) =>
      readPromptWindow(doc(typed), { line: 1500, character: typed.length }, 2048),
    );
    assert.ok(
      starts.every((w) => w.startLine === starts[0]!.startLine),
      starts.map((w) => w.startLine).join(','),
    );
    assert.ok(
      starts.every(
        (w) => w.prefix.startsWith(starts[0]!.prefix.slice(0, -1)) || w.prefix.length >= starts[0]!.prefix.length,
      ),
    );
    assert.ok(
      starts.every((w) => w.suffix === starts[0]!.suffix),
      'suffix window unchanged',
    );
  });
});

describe('DocumentWithInsertion', () => {
  it('reads as the document with the text inserted, without copying it', () => {
    const base = new StringDocument('a\nfoo(█)\nz'.replace('█', ''), 'plaintext');
    const d = new DocumentWithInsertion(base, { line: 1, character: 4 }, 'x,\n  y)', 1);
    assert.deepEqual(
      Array.from({ length: d.lineCount }, (_, i) => d.lineText(i)),
      ['a', 'foo(x,', '  y)', 'z'],
    );
    assert.deepEqual(d.end, { line: 2, character: 4 });
  });
});
