import * as assert from 'node:assert/strict';
import { historyPieces, LocationHistory } from '../../../../src/core/prompt/context/recentEdits';
import { StringDocument } from '../../../../src/core/prompt/textDocumentLike';

describe('recentEdits', () => {
  it('typing on in one place grows one entry; another place becomes the newest', () => {
    const h = new LocationHistory(8);
    h.noteEdit('/a.ts', 'a.ts', 10, 10, 0);
    h.noteEdit('/a.ts', 'a.ts', 10, 10, 0);
    h.noteEdit('/a.ts', 'a.ts', 10, 10, 1);
    assert.equal(h.entries().length, 1);
    assert.deepEqual([h.entries()[0]!.startLine, h.entries()[0]!.endLine], [10, 11]);
    h.noteEdit('/b.ts', 'b.ts', 3, 3, 0);
    assert.deepEqual(
      h.entries().map((e) => e.path),
      ['b.ts', 'a.ts'],
    );
  });

  it('lines inserted or removed above an entry move it', () => {
    const h = new LocationHistory(8);
    h.noteEdit('/a.ts', 'a.ts', 40, 40, 0);
    h.noteEdit('/a.ts', 'a.ts', 5, 5, 3); // three new lines at line 5
    const old = h.entries().find((e) => e.startLine > 20)!;
    assert.equal(old.startLine, 43);
    h.noteEdit('/a.ts', 'a.ts', 10, 14, 0); // four lines removed
    assert.equal(h.entries().find((e) => e.startLine > 20)!.startLine, 39);
  });

  it('keeps its capacity and a few entries per file', () => {
    const h = new LocationHistory(4, 3, 2);
    for (let i = 0; i < 5; i++) h.note('/a.ts', 'a.ts', i * 20, i * 20);
    assert.equal(h.entries().filter((e) => e.fileName === '/a.ts').length, 2);
    for (let i = 0; i < 6; i++) h.note(`/f${i}.ts`, `f${i}.ts`, 0, 0);
    assert.equal(h.entries().length, 4);
    assert.equal(h.entries()[0]!.path, 'f5.ts');
  });

  it('pieces: a few lines around each entry, newest ranked first, unreadable files skipped', () => {
    const h = new LocationHistory();
    h.note('/a.ts', 'a.ts', 5, 5);
    h.note('/secret.ts', 'secret.ts', 0, 0);
    h.note('/b.ts', 'b.ts', 0, 0);
    const a = new StringDocument(Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n'), 'typescript', '/a.ts');
    const b = new StringDocument('only', 'typescript', '/b.ts');
    let n = 0;
    const pieces = historyPieces(
      h.entries(),
      'recentEdit',
      (f) => (f === '/a.ts' ? a : f === '/b.ts' ? b : undefined),
      () => n++,
    );
    assert.deepEqual(
      pieces.map((p) => [p.path, p.rank, p.startLine, p.endLine]),
      [
        ['b.ts', 0, 0, 0],
        ['a.ts', 2, 2, 8],
      ],
    );
    assert.equal(pieces[1]!.text.split('\n')[0], 'line 2');
  });
});
