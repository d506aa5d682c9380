import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import type { PromptParts } from '../../../src/core/prompt/promptParts';
import { PROVIDER_IDS, resolveProvider, type ProviderId } from '../../../src/core/providers/providerPresets';
import { buildCompletionRequest } from '../../../src/core/protocol/requestBuilder';
import { DEFAULT_SETTINGS, type InfillSettings } from '../../../src/core/settings';
import { InfillError } from '../../../src/core/infillError';

const parts: PromptParts = { prompt: 'x = ', suffix: '\ny = 2', extraStops: [] };

function build(provider: ProviderId, overrides: Partial<InfillSettings> = {}, p: PromptParts = parts) {
  const settings = {
    ...DEFAULT_SETTINGS,
    provider,
    baseUrl: provider === 'custom' ? 'http://10.0.0.5:9000/v1' : '',
    model: 'm',
    ...overrides,
  };
  return buildCompletionRequest(settings, p, resolveProvider(settings));
}

/** Every parameter set, streaming off so best_of is allowed. */
const EVERYTHING: Partial<InfillSettings> = {
  topP: 0.9,
  topK: 40,
  minP: 0.05,
  n: 2,
  bestOf: 3,
  presencePenalty: 0.5,
  frequencyPenalty: -0.5,
  repetitionPenalty: 1.1,
  seed: 42,
  logprobs: 2,
  echo: true,
  logitBias: { '50256': -100 },
  user: 'u-1',
  includeUsage: true,
  moderation: true,
  moderationStop: true,
  stream: false,
  stop: ['\n\n', 'a', 'b', 'c', 'd'],
};

/**
 * The request schema kept beside the tests (test/fixtures/completionRequest.schema.json): strict (no
 * unknown fields), with the documented provider extensions (ppinfra's top_k/min_p/repetition_penalty,
 * API2D's moderation pair, llama.cpp/LM Studio's repeat_penalty).
 */
function strictRequestValidator(maxStops = 4) {
  const file = path.resolve(__dirname, '../../fixtures/completionRequest.schema.json');
  const schema = JSON.parse(fs.readFileSync(file, 'utf8')) as { definitions: { stopList: { oneOf: unknown[] } } };
  // Local servers take more than OpenAI's four stop strings.
  if (maxStops > 4) {
    schema.definitions.stopList.oneOf = [
      { type: 'string' },
      { type: 'array', minItems: 1, maxItems: maxStops, items: { type: 'string' } },
      { type: 'null' },
    ];
  }
  return new Ajv({ strict: false, allErrors: true }).compile(schema);
}

describe('buildCompletionRequest', () => {
  it('puts the prompt and suffix in, streamed, and leaves every unset parameter out', () => {
    const { body } = build('ollama', { maxTokens: 64, temperature: 0.1 });
    assert.deepEqual(body, {
      model: 'm',
      prompt: 'x = ',
      suffix: '\ny = 2',
      max_tokens: 64,
      temperature: 0.1,
      stream: true,
    });
  });

  it('sends no suffix when the engine gives none or an empty one', () => {
    assert.equal('suffix' in build('ollama', {}, { prompt: 'x', extraStops: [] }).body, false);
    assert.equal('suffix' in build('ollama', {}, { prompt: 'x', suffix: '', extraStops: [] }).body, false);
  });

  it('llama.cpp: never sends suffix, echo, best_of or n (it answers 500), always sends max_tokens', () => {
    const built = build('llamacpp', EVERYTHING);
    for (const name of ['suffix', 'echo', 'best_of', 'n', 'moderation', 'moderation_stop', 'user'])
      assert.equal(name in built.body, false, name);
    assert.equal(built.body.max_tokens, DEFAULT_SETTINGS.maxTokens);
    assert.deepEqual(built.withheld.sort(), [
      'best_of',
      'echo',
      'moderation',
      'moderation_stop',
      'n',
      'stream_options',
      'suffix',
      'user',
    ]);
    assert.equal(built.expectedChoices, 1);
  });

  it('llama.cpp and LM Studio get repetition_penalty under their name, repeat_penalty', () => {
    assert.equal(build('llamacpp', { repetitionPenalty: 1.2 }).body.repeat_penalty, 1.2);
    assert.equal('repetition_penalty' in build('llamacpp', { repetitionPenalty: 1.2 }).body, false);
    assert.equal(build('lmstudio', { repetitionPenalty: 1.2 }).body.repeat_penalty, 1.2);
    assert.equal(build('ppinfra', { repetitionPenalty: 1.2 }).body.repetition_penalty, 1.2);
  });

  it('vLLM rejects suffix with a 400, so its preset never sends it', () => {
    assert.equal('suffix' in build('vllm').body, false);
    assert.deepEqual(build('vllm').withheld, ['suffix']);
  });

  it('Ollama, OpenAI, DeepSeek and SiliconFlow get the suffix', () => {
    for (const id of ['ollama', 'openai', 'deepseek', 'siliconflow'] as const)
      assert.equal(build(id).body.suffix, '\ny = 2', id);
  });

  it('OpenAI is not sent the parameters it does not know (top_k, min_p, repetition_penalty, moderation)', () => {
    const built = build('openai', { topK: 20, minP: 0.1, repetitionPenalty: 1.1, moderation: true, topP: 0.5 });
    assert.equal(built.body.top_p, 0.5);
    for (const name of ['top_k', 'min_p', 'repetition_penalty', 'moderation'])
      assert.equal(name in built.body, false, name);
  });

  it('API2D gets moderation and moderation_stop; ppinfra gets top_k, min_p and include_usage', () => {
    const api2d = build('api2d', { moderation: true, moderationStop: true });
    assert.equal(api2d.body.moderation, true);
    assert.equal(api2d.body.moderation_stop, true);
    const pp = build('ppinfra', { topK: 20, minP: 0.1, includeUsage: true });
    assert.equal(pp.body.top_k, 20);
    assert.equal(pp.body.min_p, 0.1);
    assert.deepEqual(pp.body.stream_options, { include_usage: true });
    assert.equal('suffix' in pp.body, false);
  });

  it('sends stream_options only with stream', () => {
    assert.equal('stream_options' in build('openai', { includeUsage: true, stream: false }).body, false);
    assert.deepEqual(build('openai', { includeUsage: true }).body.stream_options, { include_usage: true });
  });

  it('sends as many stop strings as the server takes and enforces all of them itself', () => {
    const built = build(
      'openai',
      { stop: ['\n\n', 'a', 'b', 'c', 'd', ''] },
      { prompt: 'x', extraStops: ['<|endoftext|>', 'a'] },
    );
    assert.deepEqual(built.body.stop, ['\n\n', 'a', 'b', 'c']);
    assert.deepEqual(built.clientStops, ['\n\n', 'a', 'b', 'c', 'd', '<|endoftext|>']);
    assert.deepEqual(build('llamacpp', { stop: ['1', '2', '3', '4', '5', '6'] }).body.stop, [
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
    ]);
    assert.equal(build('deepseek', { stop: Array.from({ length: 20 }, (_, i) => `s${i}`) }).body.stop?.length, 16);
  });

  it('leaves stop out when none is configured', () => {
    assert.equal('stop' in build('openai').body, false);
  });

  it('merges extraBody last; null there removes a field', () => {
    const { body } = build('ollama', { extraBody: { top_k: 20, temperature: null, num_ctx: 4096 } });
    assert.equal(body.top_k, 20);
    assert.equal(body.num_ctx, 4096);
    assert.equal('temperature' in body, false);
  });

  it('with echo, tells the client which prompt to remove from the answer', () => {
    assert.equal(build('openai', { echo: true }).echoedPrompt, 'x = ');
    assert.equal(build('openai').echoedPrompt, undefined);
  });

  it('expects n choices', () => {
    assert.equal(build('openai', { n: 3 }).expectedChoices, 3);
  });

  it('refuses out-of-range parameters before sending, naming the setting', () => {
    assert.throws(
      () => build('openai', { topP: 1.5 }),
      (err: unknown) => err instanceof InfillError && err.kind === 'config' && /infill\.topP/.test(err.message),
    );
    assert.throws(
      () => build('openai', { n: 3, bestOf: 2, stream: false }),
      (err: unknown) => err instanceof InfillError && /infill\.bestOf.*greater than infill\.n/.test(err.message),
    );
  });

  describe('validates against the OpenAI request schema (plus documented extensions)', () => {
    const validate = strictRequestValidator();
    for (const id of PROVIDER_IDS) {
      it(`${id}: default settings and every parameter set`, () => {
        const validateFor = strictRequestValidator(
          resolveProvider({ provider: id, baseUrl: 'http://x', endpointPath: '' }).maxStops,
        );
        for (const overrides of [{}, EVERYTHING]) {
          const { body } = build(id, overrides);
          const ok = validateFor(body);
          assert.ok(ok, `${id}: ${JSON.stringify(validateFor.errors)} in ${JSON.stringify(body)}`);
        }
      });
    }

    it('the strict schema does catch a wrong request (so the test above can fail)', () => {
      assert.equal(validate({ model: 'm', prompt: 'x', stop: ['1', '2', '3', '4', '5'] }), false);
      assert.equal(validate({ model: 'm', prompt: 'x', logprobs: 6 }), false);
      assert.equal(validate({ model: 'm', prompt: 'x', n_probs: 1 }), false);
    });

    it('token-array prompts and prompt lists are valid requests too', () => {
      for (const prompt of [
        ['a', 'b'],
        [1, 2, 3],
        [[1, 2], [3]],
      ])
        assert.ok(validate({ model: 'm', prompt, max_tokens: 1 }), JSON.stringify(prompt));
    });
  });
});
