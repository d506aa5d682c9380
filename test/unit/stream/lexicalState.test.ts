import * as assert from 'node:assert/strict';
import { readPromptWindow } from '../../../src/core/prompt/promptWindow';
import type { TextDocumentLike } from '../../../src/core/prompt/textDocumentLike';
import { LexicalStateIndex } from '../../../src/core/stream/lexicalState';

/** A C document whose lines the test can change, counting the lines read. */
function countingDocument(lines: string[]): TextDocumentLike & { linesRead: number } {
  const document = {
    languageId: 'c',
    fileName: 'big.c',
    eol: '\n' as const,
    linesRead: 0,
    get lineCount() {
      return lines.length;
    },
    lineText(l: number) {
      document.linesRead++;
      return lines[l] ?? '';
    },
  };
  return document;
}

describe('LexicalStateIndex', () => {
  it('typing down a long file scans only the lines the window start moved by', () => {
    // The scan runs before each request goes out: lines scanned there delay the first byte.
    const lines = Array.from({ length: 10_000 }, (_, i) => `  value_${i} = compute(${i});`);
    const document = countingDocument(lines);
    const index = new LexicalStateIndex();
    const windowStart = (line: number) =>
      readPromptWindow(document, { line, character: lines[line]!.length }, 2048).startLine;
    const first = windowStart(5000);
    index.stateAtLine(document, first);
    let scanned = 0;
    for (let line = 5001; line <= 5300; line++) {
      const start = windowStart(line);
      document.linesRead = 0;
      index.stateAtLine(document, start);
      scanned += document.linesRead;
    }
    const moved = windowStart(5300) - first;
    assert.ok(moved >= 256, 'the window start moved meanwhile');
    assert.ok(scanned <= moved, `${scanned} lines scanned for a start that moved ${moved}`);
  });

  it('the state remembered for a line is dropped by an edit above it, kept by one below', () => {
    const lines = ['/*', ...Array.from({ length: 1000 }, () => ' * text'), ' */', 'code();'];
    const document = countingDocument(lines);
    const index = new LexicalStateIndex();
    assert.equal(index.stateAtLine(document, 900)?.inBlockComment, true);
    lines[950] = ' */ code(); /*';
    index.invalidateFrom(document, 950);
    document.linesRead = 0;
    assert.equal(index.stateAtLine(document, 900)?.inBlockComment, true);
    assert.equal(document.linesRead, 0, 'an edit below the line leaves its state known');
    lines[0] = 'code();';
    index.invalidateFrom(document, 0);
    assert.equal(index.stateAtLine(document, 900)?.inBlockComment, false);
  });
});
