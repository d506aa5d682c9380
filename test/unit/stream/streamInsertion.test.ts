import * as assert from 'node:assert/strict';
import { positionAfter, StreamInsertion, type InsertionStep } from '../../../src/core/stream/streamInsertion';

/** Applies steps to a string the way the editor applies them to the document. */
function apply(doc: string, step: InsertionStep | undefined, inserted: string): string {
  if (!step) return doc;
  return doc.slice(0, doc.length - inserted.length) + inserted.slice(0, step.keep) + step.append;
}

function replay(stops: string[], updates: [text: string, finished: boolean][]): { states: string[]; final: string } {
  const s = new StreamInsertion(stops);
  let doc = '';
  const states: string[] = [];
  for (const [text, finished] of updates) {
    const before = s.text;
    doc = apply(doc, s.update(text, finished), before);
    assert.equal(doc, s.text, 'the document holds what the insertion says it inserted');
    states.push(doc);
  }
  return { states, final: doc };
}

describe('StreamInsertion', () => {
  it('appends each new piece of a growing text', () => {
    const s = new StreamInsertion();
    assert.deepEqual(s.update('if (n < 2)', false), { keep: 0, append: 'if (n < 2)' });
    assert.deepEqual(s.update('if (n < 2) return n;', false), { keep: 10, append: ' return n;' });
    assert.equal(s.update('if (n < 2) return n;', true), undefined);
  });

  it('holds back a tail that may become a stop string, so nothing appears and vanishes', () => {
    const { states, final } = replay(
      ['\n\n'],
      [
        ['a = 1\n', false],
        ['a = 1\n', true],
      ],
    );
    assert.deepEqual(states, ['a = 1', 'a = 1\n']);
    assert.equal(final, 'a = 1\n');
    const cut = replay(
      ['\n\n'],
      [
        ['a = 1\n', false],
        ['a = 1', true],
      ],
    );
    assert.deepEqual(cut.states, ['a = 1', 'a = 1']);
  });

  it('releases a held-back tail once the text moves past it', () => {
    const { states } = replay(
      ['</s>'],
      [
        ['x </', false],
        ['x </div>', false],
      ],
    );
    assert.deepEqual(states, ['x ', 'x </div>']);
  });

  it('holds back a trailing carriage return until its line feed arrives', () => {
    const { states } = replay(
      [],
      [
        ['a\r', false],
        ['a\r\nb', false],
      ],
    );
    assert.deepEqual(states, ['a', 'a\r\nb']);
  });

  it('deletes what no longer belongs when the final text is shorter', () => {
    const s = new StreamInsertion();
    s.update('abcdef', false);
    assert.deepEqual(s.update('abc', true), { keep: 3, append: '' });
  });

  it('rewrites from the first difference when the text changes', () => {
    const s = new StreamInsertion();
    s.update('return a', false);
    assert.deepEqual(s.update('return b + c', false), { keep: 7, append: 'b + c' });
  });

  it('does not keep half of a surrogate pair', () => {
    const s = new StreamInsertion();
    s.update('x😀', false);
    assert.deepEqual(s.update('x😁', false), { keep: 1, append: '😁' });
  });

  it('every intermediate state is a prefix of the final text for a plain stream', () => {
    const pieces = ['if (n < 2) return n;', '\n  return fib(n - 1)', ' + fib(n - 2);'];
    let text = '';
    const updates: [string, boolean][] = pieces.map((p, i) => [(text += p), i === pieces.length - 1]);
    const { states, final } = replay(['\n\n'], updates);
    for (const state of states) assert.ok(final.startsWith(state), JSON.stringify(state));
    assert.equal(final, pieces.join(''));
  });
});

describe('positionAfter', () => {
  it('moves along the line without a line break', () => {
    assert.deepEqual(positionAfter({ line: 3, character: 4 }, 'abc'), { line: 3, character: 7 });
  });
  it('counts LF, CRLF and CR as one line each', () => {
    assert.deepEqual(positionAfter({ line: 1, character: 9 }, 'a\nbc'), { line: 2, character: 2 });
    assert.deepEqual(positionAfter({ line: 1, character: 9 }, 'a\r\nb\r\n'), { line: 3, character: 0 });
    assert.deepEqual(positionAfter({ line: 0, character: 0 }, 'a\rb'), { line: 1, character: 1 });
  });
});
