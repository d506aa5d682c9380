import * as assert from 'node:assert/strict';
import {
  ALTERNATIVES_MIN_TEMPERATURE,
  commandSuggestions,
  createCommandStopper,
  prepareCommandRequest,
  type CommandRequestInput,
} from '../../../src/core/engine/commandRequest';
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

describe('commandSuggestions: the commands show post-processed text, like ghost text', () => {
  function accept(marked: string, suggestion: { insertText: string; replaceSuffixChars: number }): string {
    const at = marked.indexOf('█');
    const rest = marked.slice(at + 1);
    return marked.slice(0, at) + suggestion.insertText + rest.slice(suggestion.replaceSuffixChars);
  }

  function request(marked: string, extra: Partial<CommandRequestInput> = {}, choices = 1) {
    const { document, position } = StringDocument.withCursor(marked, 'python', '/p/c.py');
    return prepareCommandRequest({
      document,
      position,
      settings: { ...DEFAULT_SETTINGS, provider: 'custom', baseUrl: 'http://127.0.0.1:1/v1', model: 'm' },
      choices,
      ...extra,
    });
  }

  it('a closer already after the cursor is not written again', () => {
    const marked = 'self.top_level.add(█)\n\nprint(1)\n';
    const [shown] = commandSuggestions(request(marked), ['func)\n']);
    assert.ok(shown);
    assert.equal(accept(marked, shown), 'self.top_level.add(func)\n\nprint(1)\n');
  });

  it('alternatives: each choice post-processed, then each distinct text once, in order', () => {
    const marked = 'def f():\n    █\n    return total\n';
    const shown = commandSuggestions(request(marked, {}, 3), [
      'total = 0',
      'total = 0\n    return total',
      'return total',
      'total = 1  ',
    ]);
    assert.deepEqual(
      shown.map((s) => s.insertText),
      ['total = 0', 'total = 1'],
    );
  });

  it("uses the editor's tab size for indentation", () => {
    const { document, position } = StringDocument.withCursor('void f() {\n\tint a;\n\t█\n}\n', 'c', '/p/t.c');
    const prepared = prepareCommandRequest({
      document,
      position,
      settings: { ...DEFAULT_SETTINGS, provider: 'custom', baseUrl: 'http://127.0.0.1:1/v1', model: 'm', maxLines: 8 },
      choices: 1,
      tabSize: 8,
      insertSpaces: false,
    });
    const [shown] = commandSuggestions(prepared, ['if (x) {\n                y();\n\t}']);
    assert.equal(shown?.insertText.split('\n')[1], '\t\ty();');
  });
});

describe('createCommandStopper', () => {
  it('ends a command stream at the runaway bound of max_tokens and says why', () => {
    const { document, position } = StringDocument.withCursor('x = █\n', 'python', '/p/r.py');
    const prepared = prepareCommandRequest({
      document,
      position,
      settings: { ...DEFAULT_SETTINGS, provider: 'custom', baseUrl: 'http://127.0.0.1:1/v1', model: 'm' },
      choices: 1,
    });
    const stopper = createCommandStopper(prepared, 16);
    assert.equal(stopper.onProgress({ index: 0, text: 'value', finished: false }), 'continue');
    assert.equal(stopper.runaway, undefined);
    assert.equal(stopper.onProgress({ index: 0, text: 'a'.repeat(5_000), finished: false }), 'stop');
    assert.match(stopper.runaway ?? '', /max_tokens=16/);
  });
});
