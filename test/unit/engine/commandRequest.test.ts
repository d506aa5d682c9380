import * as assert from 'node:assert/strict';
import { ALTERNATIVES_MIN_TEMPERATURE, prepareCommandRequest } from '../../../src/core/engine/commandRequest';
import { InfillError } from '../../../src/core/infillError';
import { DEFAULT_SETTINGS, type InfillSettings } from '../../../src/core/settings';
import { StringDocument } from '../../../src/core/prompt/textDocumentLike';

function input(settings: Partial<InfillSettings>, choices: number) {
  const { document, position } = StringDocument.withCursor('def add(a, b):\n    return █\n', 'python', '/p/a.py');
  return { document, position, settings: { ...DEFAULT_SETTINGS, ...settings }, choices };
}

describe('prepareCommandRequest', () => {
  it('Complete at Cursor asks for one choice, whatever the inline `n` is', () => {
    const r = prepareCommandRequest(input({ provider: 'openai', model: 'gpt-3.5-turbo-instruct', n: 3 }, 1));
    assert.equal(r.requests, 1);
    assert.equal(r.built.body.n, undefined);
    assert.equal(r.built.body.stream, true);
    assert.equal(r.built.body.temperature, DEFAULT_SETTINGS.temperature);
    assert.equal(r.endpoint.baseUrl, 'https://api.openai.com/v1');
    assert.equal(r.endpoint.apiKey, undefined, 'the key is added by the caller once the origin is cleared');
    assert.ok(String(r.built.body.prompt).endsWith('    return '));
  });

  it('alternatives use `n` where the server takes it, sampled warm enough to differ', () => {
    const r = prepareCommandRequest(
      input({ provider: 'openai', model: 'gpt-3.5-turbo-instruct', temperature: 0.1, bestOf: 5 }, 3),
    );
    assert.equal(r.requests, 1);
    assert.equal(r.built.body.n, 3);
    assert.equal(r.built.body.best_of, undefined, 'best_of cannot be streamed');
    assert.equal(r.built.body.temperature, ALTERNATIVES_MIN_TEMPERATURE);
    assert.equal(r.built.expectedChoices, 3);
  });

  it('alternatives make one request per choice for servers without `n` (llama.cpp)', () => {
    const r = prepareCommandRequest(input({ provider: 'llamacpp', model: 'qwen2.5-coder-1.5b' }, 4));
    assert.equal(r.requests, 4);
    assert.equal('n' in r.built.body, false, 'llama.cpp fails on a mere `n`');
    assert.equal('suffix' in r.built.body, false, 'nor does it get `suffix`');
  });

  it('never asks for the prompt to be echoed: the commands insert what streams back', () => {
    const r = prepareCommandRequest(input({ provider: 'openai', model: 'gpt-3.5-turbo-instruct', echo: true }, 1));
    assert.equal('echo' in r.built.body, false);
    assert.equal(r.built.echoedPrompt, undefined);
  });

  it('keeps a warmer temperature the user chose', () => {
    const r = prepareCommandRequest(input({ provider: 'openai', temperature: 1.2 }, 2));
    assert.equal(r.built.body.temperature, 1.2);
  });

  it('an unknown provider is a config error naming the setting', () => {
    assert.throws(
      () => prepareCommandRequest(input({ provider: 'nope' }, 1)),
      (err: unknown) => err instanceof InfillError && err.kind === 'config' && /infill.provider/.test(err.message),
    );
  });
});
