import * as assert from 'node:assert/strict';
import { checkRequestParameters, NUMERIC_RULES } from '../../../src/core/protocol/requestParameters';
import { DEFAULT_SETTINGS, type InfillSettings } from '../../../src/core/settings';

function problems(overrides: Partial<InfillSettings>): string[] {
  return checkRequestParameters({ ...DEFAULT_SETTINGS, ...overrides }).map((p) => p.message);
}

describe('checkRequestParameters', () => {
  it('the defaults (everything unset) are fine', () => {
    assert.deepEqual(problems({}), []);
  });

  it('accepts the documented ranges at their edges', () => {
    assert.deepEqual(
      problems({
        temperature: 2,
        topP: 1,
        topK: 128,
        minP: 0,
        n: 128,
        presencePenalty: -2,
        frequencyPenalty: 2,
        repetitionPenalty: 2,
        logprobs: 5,
        seed: -7,
        logitBias: { '50256': -100, '1': 100 },
      }),
      [],
    );
  });

  const outOfRange: [Partial<InfillSettings>, RegExp][] = [
    [{ maxTokens: 0 }, /infill\.maxTokens \(`max_tokens`\) must be a whole number of at least 1; it is 0/],
    [{ temperature: 2.5 }, /infill\.temperature .* from 0 to 2; it is 2\.5/],
    [{ topP: 1.5 }, /infill\.topP/],
    [{ topK: 0 }, /infill\.topK/],
    [{ topK: 2.5 }, /infill\.topK .*whole number/],
    [{ minP: -0.1 }, /infill\.minP/],
    [{ n: 0 }, /infill\.n /],
    [{ presencePenalty: 3 }, /infill\.presencePenalty/],
    [{ frequencyPenalty: -3 }, /infill\.frequencyPenalty/],
    [{ repetitionPenalty: 0 }, /infill\.repetitionPenalty .*greater than 0/],
    [{ logprobs: 6 }, /infill\.logprobs \(`logprobs`\) must be a whole number from 0 to 5/],
    [{ seed: 1.5 }, /infill\.seed/],
    [{ bestOf: 21, stream: false }, /infill\.bestOf/],
  ];
  for (const [overrides, message] of outOfRange) {
    it(`names the setting: ${JSON.stringify(overrides)}`, () => {
      const found = problems(overrides);
      assert.equal(found.length, 1, found.join(' | '));
      assert.match(found[0]!, message);
    });
  }

  it('every numeric rule has a test above', () => {
    const tested = new Set(outOfRange.flatMap(([o]) => Object.keys(o)));
    for (const rule of NUMERIC_RULES) assert.ok(tested.has(rule.key), rule.key);
  });

  it('best_of must be greater than n', () => {
    assert.match(problems({ n: 2, bestOf: 2, stream: false }).join(), /infill\.bestOf .*greater than infill\.n/);
    assert.deepEqual(problems({ n: 2, bestOf: 3, stream: false }), []);
  });

  it('best_of cannot be streamed', () => {
    assert.match(problems({ bestOf: 3 }).join(), /infill\.bestOf .*cannot be streamed: set infill\.stream to false/);
  });

  it('moderation_stop needs moderation', () => {
    assert.match(problems({ moderationStop: true }).join(), /infill\.moderationStop .*infill\.moderation/);
    assert.deepEqual(problems({ moderationStop: true, moderation: true }), []);
  });

  it('logit_bias: token ids to whole numbers from -100 to 100', () => {
    assert.match(problems({ logitBias: { abc: 1 } }).join(), /infill\.logitBias keys must be token ids/);
    assert.match(problems({ logitBias: { '1': 101 } }).join(), /infill\.logitBias values .* token 1 has 101/);
  });

  it('wrong types from a hand-edited settings.json are reported, not sent', () => {
    const bad = {
      ...DEFAULT_SETTINGS,
      topP: '0.5',
      echo: 'yes',
      user: '',
      stop: 'x',
      extraBody: [],
    } as unknown as InfillSettings;
    const found = checkRequestParameters(bad).map((p) => p.setting);
    assert.deepEqual(found.sort(), ['infill.echo', 'infill.extraBody', 'infill.stop', 'infill.topP', 'infill.user']);
  });
});
