import * as assert from 'node:assert/strict';
import { couldHeadAllmanBlock, findCompletionEnd } from '../../../src/core/stream/blockEnd';
import { planCompletion } from '../../../src/core/stream/completionPlan';
import { ctx } from './stopRuleContext';

describe('findCompletionEnd', () => {
  it('waits for the end of the first line before deciding', () => {
    const plan = planCompletion(ctx('const x = '));
    assert.equal(findCompletionEnd('compute(', plan, false), undefined);
    assert.deepEqual(findCompletionEnd('compute();\nnext', plan, false), { cut: 10, rule: 'one line' });
  });
  it('ends a one-line answer at its line break, without waiting for a `{` line that cannot come', () => {
    // The Allman check reads one token past the break; that costs a token interval, so it is
    // only paid where a `{` on the next line could open the body of the first line.
    const py = planCompletion(ctx('x = ', '', { languageId: 'python' }));
    assert.deepEqual(findCompletionEnd('compute(1)\n', py, false), { cut: 10, rule: 'one line' });
    const ts = planCompletion(ctx('const x = '));
    assert.deepEqual(findCompletionEnd('compute(1);\n', ts, false), { cut: 11, rule: 'one line' });
  });
  it('waits for the next line after a header that an Allman `{` can follow', () => {
    const plan = planCompletion(ctx('int f(int a) {\n  int x = a;\n  if', '\n}', { languageId: 'c' }));
    assert.equal(plan.shape, 'line');
    assert.equal(findCompletionEnd(' (x > 0)\n', plan, false), undefined, 'a `{` may still come');
    assert.equal(findCompletionEnd(' (x > 0)\n  {\n    return 1;\n  }\n', plan, false)?.rule, 'the block closed');
  });
  it('knows which lines an Allman `{` can follow', () => {
    for (const head of ['if (x > 0)', 'else', 'struct Point', 'public class A', 'fn main()', '  try'])
      assert.equal(couldHeadAllmanBlock(head, 'c'), true, head);
    for (const done of ['return 1;', 'x = f(a),', '}', 'int x = 1', '// if (x)'])
      assert.equal(couldHeadAllmanBlock(done, 'c'), false, done);
    assert.equal(couldHeadAllmanBlock('if (x)', 'python'), false);
  });
  it('ends a block as soon as a line that starts left of it has its first word, not a line later', () => {
    const plan = planCompletion(ctx('class A:\n    def f(self) -> int:', '', { languageId: 'python' }));
    assert.equal(
      findCompletionEnd('total += amount\n    e', plan, false),
      undefined,
      'the word may still become a continuation (else, except)',
    );
    assert.equal(findCompletionEnd('total += amount\n    els', plan, false), undefined);
    assert.deepEqual(
      findCompletionEnd('total += amount\n    ret', plan, false),
      { cut: 15, rule: 'a new statement at the level of the block opener' },
      'no continuation keyword starts with "ret"',
    );
    assert.deepEqual(findCompletionEnd('total += amount\n    return total', plan, false), {
      cut: 15,
      rule: 'a new statement at the level of the block opener',
    });
    assert.equal(
      findCompletionEnd('total += amount\n    else', plan, false),
      undefined,
      'a continuation keyword is judged with its line',
    );
    const inner = planCompletion(ctx('def f(x):\n    if x:\n        ', '', { languageId: 'python' }));
    assert.deepEqual(findCompletionEnd('y = 1\n    return y', inner, false)?.cut, 5);
  });
  it('caps a block at infill.maxLines', () => {
    const plan = planCompletion(ctx('function f() {\n  ', '', { maxLines: 2 }));
    const stop = findCompletionEnd('a();\n  b();\n  c();\n', plan, false);
    assert.deepEqual(stop, { cut: 11, rule: 'infill.maxLines' });
  });
  it('ends where the block closes past the cursor scope', () => {
    const plan = planCompletion(ctx('class A {\n  f() {\n    '));
    const text = 'run();\n  }\n}\nclass B {}';
    assert.equal(text.slice(0, findCompletionEnd(text, plan, true)!.cut), 'run();\n  }');
  });
});

describe('findCompletionEnd, statements over several lines', () => {
  it("a first statement's own open bracket closing on a later line does not end the block", () => {
    const plan = planCompletion(
      ctx('def f(name, package):\n    if not package:\n        ', '\n    return name\n', { languageId: 'python' }),
    );
    const text =
      'msg = ("the package argument is "\n               "required")\n        raise TypeError(msg)\n    return name';
    assert.equal(
      text.slice(0, findCompletionEnd(text, plan, true)!.cut),
      'msg = ("the package argument is "\n               "required")\n        raise TypeError(msg)',
    );
  });
});
