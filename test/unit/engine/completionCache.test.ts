import * as assert from 'node:assert/strict';
import { CompletionCache, SUFFIX_MATCH_CHARS } from '../../../src/core/engine/completionCache';

describe('CompletionCache', () => {
  const choice = (text: string) => ({ text, replaceSuffixChars: 0 });

  it('serves the rest of a suggestion the user types into', () => {
    const cache = new CompletionCache();
    cache.set('a.ts', 'const x = ', '\n', [choice('compute(a, b);')]);
    const hit = cache.lookup('a.ts', 'const x = comp', '\n');
    assert.equal(hit?.typed, 'comp');
    assert.deepEqual(hit?.choices, [choice('ute(a, b);')]);
  });

  it('misses when the typing leaves the suggestion, or types all of it', () => {
    const cache = new CompletionCache();
    cache.set('a.ts', 'const x = ', '\n', [choice('compute(a, b);')]);
    assert.equal(cache.lookup('a.ts', 'const x = cal', '\n'), undefined);
    assert.equal(cache.lookup('a.ts', 'const x = compute(a, b);', '\n'), undefined);
  });

  it('matches on the suffix window too, and on the document', () => {
    const cache = new CompletionCache();
    cache.set('a.ts', 'x = ', '\nprint(x)', [choice('1')]);
    assert.equal(cache.lookup('a.ts', 'x = ', '\nprint(y)'), undefined);
    assert.equal(cache.lookup('b.ts', 'x = ', '\nprint(x)'), undefined);
    assert.ok(cache.lookup('a.ts', 'x = ', '\nprint(x)'));
    cache.set('a.ts', 'y = ', 'z'.repeat(SUFFIX_MATCH_CHARS) + 'A', [choice('2')]);
    assert.ok(
      cache.lookup('a.ts', 'y = ', 'z'.repeat(SUFFIX_MATCH_CHARS) + 'B'),
      'only the first part of a long suffix matters',
    );
  });

  it('prefers the deepest stored prefix that still matches (backspace finds its own entry)', () => {
    const cache = new CompletionCache();
    cache.set('a.ts', 'let a', '', [choice('bc = 1')]);
    cache.set('a.ts', 'let ab', '', [choice('xy = 2')]);
    assert.equal(cache.lookup('a.ts', 'let ab', '')?.choices[0]?.text, 'xy = 2');
    assert.equal(cache.lookup('a.ts', 'let abx', '')?.choices[0]?.text, 'y = 2');
    assert.equal(cache.lookup('a.ts', 'let a', '')?.choices[0]?.text, 'bc = 1');
    // `let abz` leaves the deeper suggestion but not... neither: both miss.
    assert.equal(cache.lookup('a.ts', 'let abz', ''), undefined);
  });

  it('stays within its bound, evicting the least recently used', () => {
    const cache = new CompletionCache(3);
    for (const p of ['p1', 'p2', 'p3']) cache.set('a', p, '', [choice('!')]);
    cache.lookup('a', 'p1', '');
    cache.set('a', 'p4', '', [choice('!')]);
    assert.equal(cache.size, 3);
    assert.ok(cache.lookup('a', 'p1', ''), 'recently used survives');
    assert.equal(cache.lookup('a', 'p2', ''), undefined, 'oldest evicted');
    for (let i = 0; i < 500; i++) cache.set('a', `key ${i} `.repeat(3), '', [choice('x')]);
    assert.equal(cache.size, 3);
  });

  it('splits shared prefixes without losing entries', () => {
    const cache = new CompletionCache();
    const keys = ['abcdef', 'abcxyz', 'abc', 'ab', 'abcdefgh', 'b'];
    keys.forEach((k, i) => cache.set('d', k, '', [choice(`v${i}`)]));
    keys.forEach((k, i) => assert.equal(cache.lookup('d', k, '')?.choices[0]?.text, `v${i}`, k));
  });
});
