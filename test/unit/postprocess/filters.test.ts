import * as assert from 'node:assert/strict';
import { bracketBalance } from '../../../src/core/postprocess/bracketBalance';
import { codeFence } from '../../../src/core/postprocess/codeFence';
import { buildPostprocessContext } from '../../../src/core/postprocess/context';
import { degenerateRepetition, repeatedTailLength } from '../../../src/core/postprocess/degenerateRepetition';
import { emptyOrRepeated } from '../../../src/core/postprocess/emptyOrRepeated';
import { indentationAndLineEndings } from '../../../src/core/postprocess/indentation';
import { leadingWhitespace } from '../../../src/core/postprocess/leadingWhitespace';
import { nextLineDuplicate } from '../../../src/core/postprocess/nextLineDuplicate';
import { normalizeInput } from '../../../src/core/postprocess/normalizeInput';
import { POSTPROCESS_FILTERS, postprocess } from '../../../src/core/postprocess/pipeline';
import { suffixOverlap } from '../../../src/core/postprocess/suffixOverlap';
import { trailingWhitespace } from '../../../src/core/postprocess/trailingWhitespace';
import type { PostprocessFilter } from '../../../src/core/postprocess/types';
import { windowFromText } from '../../../src/core/prompt/promptWindow';

function run(filter: PostprocessFilter, prefix: string, suffix: string, text: string, languageId = 'typescript') {
  const context = buildPostprocessContext(windowFromText(prefix, suffix), {
    languageId,
    maxLines: 16,
    multiline: 'auto',
  });
  return filter.apply({ text, replaceSuffixChars: 0 }, context);
}

describe('post-processing filters', () => {
  it('run in a fixed order, each with a name', () => {
    assert.deepEqual(
      POSTPROCESS_FILTERS.map((f) => f.name),
      [
        'normalize line endings',
        'markdown fence',
        'leading whitespace',
        'stop rules',
        'degenerate repetition',
        'bracket balance',
        'suffix overlap',
        'equal to the next line',
        'trailing whitespace',
        'empty or repeats previous lines',
        'indentation and line endings',
      ],
    );
  });

  it('normalizeInput: CRLF and zero-width characters', () => {
    assert.equal(run(normalizeInput, '', '', 'a\r\nb\u200b')?.text, 'a\nb');
  });
  it('codeFence: removes a fence outside Markdown only', () => {
    assert.equal(run(codeFence, '', '', '```ts\nx\n```')?.text, 'x');
    assert.equal(run(codeFence, '', '', 'a ```', 'markdown')?.text, 'a ```');
  });
  it('leadingWhitespace: after typed indentation, blank first lines and doubled indentation go', () => {
    assert.equal(run(leadingWhitespace, '{\n    ', '', '\n    x()')?.text, 'x()');
    assert.equal(run(leadingWhitespace, 'x = ', '', '  1')?.text, '1');
    assert.equal(run(leadingWhitespace, '', '', '    x')?.text, '    x');
  });
  it('degenerateRepetition: long repeated tails and repeated lines', () => {
    assert.ok(repeatedTailLength('foo = foo = foo = foo = foo = foo =') > 0);
    assert.equal(repeatedTailLength('1000000000000'), 0);
    assert.equal(run(degenerateRepetition, '', '', 'ababababababababababababab'), null);
    assert.equal(run(degenerateRepetition, '', '', 'ok\nababababababababababababab')?.text, 'ok');
    assert.equal(run(degenerateRepetition, '', '', 'x();\nx();\nx();\nx();')?.text, 'x();');
    assert.equal(run(degenerateRepetition, '', '', 'a = 1;\nb = 2;')?.text, 'a = 1;\nb = 2;');
  });
  it('bracketBalance: a closer that closes nothing ends the first line', () => {
    assert.equal(run(bracketBalance, 'x = ', '', 'f(a))')?.text, 'f(a)');
    assert.equal(run(bracketBalance, 'x = g(', '', 'a))')?.text, 'a)');
    assert.equal(run(bracketBalance, 'x = ', '', ')'), null);
  });
  it('suffixOverlap: replace range over closers the completion wrote, never over ones it needs', () => {
    assert.equal(run(suffixOverlap, 'print(', ')', 'x)')?.replaceSuffixChars, 1);
    assert.equal(run(suffixOverlap, 'print(', ')', 'f(x)')?.replaceSuffixChars, 0);
    assert.equal(run(suffixOverlap, 'print(', ')', 'a) + g(b')?.replaceSuffixChars, 0);
    assert.equal(run(suffixOverlap, 'f(', ');', 'a);')?.replaceSuffixChars, 2);
    assert.equal(run(suffixOverlap, 'f(', 'a);', 'a);'), null, 'rewrites only what is there');
    assert.equal(run(suffixOverlap, 'function f() {\n  ', '\n}', 'x();\n}')?.text, 'x();');
  });
  it('nextLineDuplicate: the next line again is dropped', () => {
    assert.equal(run(nextLineDuplicate, '  ', '\n  foo();', 'foo();'), null);
    assert.equal(run(nextLineDuplicate, '  ', '\n  foo();', 'bar();')?.text, 'bar();');
    assert.equal(run(nextLineDuplicate, 'x = ', '\n)', ')')?.text, ')', 'a short closer mid-line may be real');
  });
  it('trailingWhitespace: trimmed, except a space before text that follows on the line', () => {
    assert.equal(run(trailingWhitespace, 'x = ', '', 'f()  ')?.text, 'f()');
    assert.equal(run(trailingWhitespace, 'sum(', 'b)', 'a, ')?.text, 'a, ');
    assert.equal(run(trailingWhitespace, 'sum(', ' b)', 'a, ')?.text, 'a,');
    assert.equal(run(trailingWhitespace, '', '', 'a  \nb')?.text, 'a\nb');
  });
  it('emptyOrRepeated: empty, or only the lines above again', () => {
    assert.equal(run(emptyOrRepeated, 'x', '', '  '), null);
    assert.equal(run(emptyOrRepeated, 'values.push(item);\n', '', 'values.push(item);'), null);
    assert.equal(run(emptyOrRepeated, 'end\n', '', 'end')?.text, 'end', 'short closing keywords repeat legitimately');
  });
  it('indentationAndLineEndings: document indentation and CRLF', () => {
    assert.equal(run(indentationAndLineEndings, 'f() {\r\n\tx();\r\n\t', '', 'a();\n    b();')?.text, 'a();\r\n\tb();');
    assert.equal(run(indentationAndLineEndings, 'f() {\n  x();\n  ', '', 'a();\n\tb();')?.text, 'a();\n  b();');
  });
  it('postprocess records what each filter changed, and which one dropped the completion', () => {
    const context = buildPostprocessContext(windowFromText('x = ', ''), {
      languageId: 'typescript',
      maxLines: 16,
      multiline: 'auto',
    });
    const r = postprocess(' f(a))  \nnext', context);
    assert.equal(r.candidate?.text, 'f(a)');
    assert.deepEqual(
      r.steps.map((s) => s.filter),
      ['leading whitespace', 'stop rules', 'bracket balance'],
    );
    const dropped = postprocess('   ', context);
    assert.equal(dropped.candidate, null);
    assert.equal(dropped.droppedBy, 'empty or repeats previous lines');
  });
});
