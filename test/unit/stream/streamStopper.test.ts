import * as assert from 'node:assert/strict';
import { planCompletion } from '../../../src/core/stream/completionPlan';
import { createStreamStopper } from '../../../src/core/stream/streamStopper';
import { ctx } from './stopRuleContext';

describe('createStreamStopper', () => {
  it('answers stop once the first line is complete, and only then', () => {
    const stopper = createStreamStopper(planCompletion(ctx('const x = ')));
    assert.equal(stopper.onProgress({ index: 0, text: 'comp', finished: false }), 'continue');
    assert.equal(stopper.onProgress({ index: 0, text: 'compute()\nmore', finished: false }), 'stop');
    assert.equal(stopper.ended.get(0)?.rule, 'one line');
  });
  it('with several choices, waits until every choice is done', () => {
    const stopper = createStreamStopper(planCompletion(ctx('const x = ')), 2);
    assert.equal(stopper.onProgress({ index: 0, text: 'a\nb', finished: false }), 'continue');
    assert.equal(stopper.onProgress({ index: 1, text: 'c', finished: false }), 'continue');
    assert.equal(stopper.onProgress({ index: 1, text: 'c\nd', finished: false }), 'stop');
  });
  it('handles CRLF from the model', () => {
    const stopper = createStreamStopper(planCompletion(ctx('const x = ')));
    assert.equal(stopper.onProgress({ index: 0, text: 'a;\r\nb', finished: false }), 'stop');
    assert.equal(stopper.ended.get(0)?.cut, 2);
  });
  it('ends the stream as soon as a new line repeating the next line of the document is complete', () => {
    const plan = planCompletion(ctx('class Id {\n  constructor(s: ', '\n    super()\n    check(s)\n  }'));
    const stopper = createStreamStopper(plan);
    assert.equal(stopper.onProgress({ index: 0, text: 'string) {\n    super(', finished: false }), 'continue');
    assert.equal(stopper.onProgress({ index: 0, text: 'string) {\n    super()\n', finished: false }), 'stop');
    assert.deepEqual(stopper.ended.get(0), { cut: 9, rule: 'the line repeats the next line of the document' });
  });
});
