import * as assert from 'node:assert/strict';
import { planCompletion } from '../../../src/core/stream/completionPlan';
import { ctx } from './stopRuleContext';

describe('planCompletion', () => {
  it('one line in the middle of a line and after a partial accept', () => {
    assert.equal(planCompletion(ctx('foo(', 'bar)')).shape, 'line');
    assert.equal(planCompletion(ctx('function f() {\n  ', '', { afterPartialAccept: true })).shape, 'line');
  });
  it('a block on an empty line after a block opener, or right after one', () => {
    const p = planCompletion(ctx('function f() {\n  '));
    assert.equal(p.shape, 'block');
    assert.equal(p.openerMode, true);
    assert.equal(planCompletion(ctx('if (x) {')).shape, 'block');
    assert.equal(planCompletion(ctx('def f():', '', { languageId: 'python' })).shape, 'block');
  });
  it('one line at the end of a plain line, always one with multiline never', () => {
    assert.equal(planCompletion(ctx('const x = ')).shape, 'line');
    assert.equal(planCompletion(ctx('function f() {\n  ', '', { multiline: 'never' })).shape, 'line');
    assert.equal(planCompletion(ctx('const x = ', '', { multiline: 'always' })).shape, 'block');
  });
});
