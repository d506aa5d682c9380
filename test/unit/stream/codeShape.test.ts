import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { scanCode, stateAfter } from '../../../src/core/stream/codeShape';

/** Texts dense in what changes the scanner's state: quotes, escapes, comments, brackets, line breaks. */
const codeish = fc
  .array(
    fc.constantFrom('(', ')', '[', ']', '{', '}', '"', "'", '`', '"""', '\\', '/', '*', '#', '\n', 'a', ' ', "it's"),
    {
      maxLength: 120,
    },
  )
  .map((parts) => parts.join(''));

describe('stateAfter', () => {
  it('going on from the previous call gives what a scan from the start gives, for any sequence of prefixes', () => {
    fc.assert(
      fc.property(
        codeish,
        fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('python', 'typescript', 'c'),
        (text, cuts, languageId) => {
          for (const cut of cuts) {
            const prefix = text.slice(0, cut % (text.length + 1));
            const whole = scanCode(prefix, undefined, languageId);
            assert.deepEqual(stateAfter(prefix, languageId), {
              stack: whole.stack,
              inBlockComment: whole.inBlockComment,
            });
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('does not reuse a scan made from another start state', () => {
    const prefix = 'x = 1\ny = 2\nz = ';
    assert.deepEqual(stateAfter(prefix, 'python').stack, []);
    assert.deepEqual(stateAfter(prefix, 'python', { stack: ['"""'], inBlockComment: false }).stack, ['"""']);
  });
});
