import * as assert from 'node:assert/strict';
import { rankChoices } from '../../../src/core/postprocess/choiceRanking';

describe('rankChoices', () => {
  const lp = (...values: number[]) => values.map((logprob, i) => ({ token: `t${i}`, logprob }));
  it('orders by mean token logprob and drops duplicates', () => {
    const r = rankChoices(
      [
        { index: 0, text: 'a', replaceSuffixChars: 0, logprobs: lp(-1, -1) },
        { index: 1, text: 'b', replaceSuffixChars: 0, logprobs: lp(-0.1, -0.2) },
        { index: 2, text: 'a', replaceSuffixChars: 0, logprobs: lp(-0.01) },
      ],
      0,
    );
    assert.deepEqual(
      r.kept.map((c) => c.text),
      ['b', 'a'],
    );
    assert.equal(r.duplicates, 1);
    assert.ok(Math.abs(r.kept[0]!.meanProbability! - Math.exp(-0.15)) < 1e-9);
  });
  it('keeps the server order without logprobs and never hides a choice for lacking them', () => {
    const r = rankChoices(
      [
        { index: 0, text: 'x', replaceSuffixChars: 0 },
        { index: 1, text: 'y', replaceSuffixChars: 0 },
      ],
      0.9,
    );
    assert.deepEqual(
      r.kept.map((c) => c.text),
      ['x', 'y'],
    );
  });
  it('hides choices below minConfidence', () => {
    const r = rankChoices([{ index: 0, text: 'x', replaceSuffixChars: 0, logprobs: lp(-3) }], 0.2);
    assert.equal(r.kept.length, 0);
    assert.equal(r.belowConfidence.length, 1);
  });
});
