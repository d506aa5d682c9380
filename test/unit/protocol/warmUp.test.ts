import * as assert from 'node:assert/strict';
import { prepareCompletion } from '../../../src/core/engine/completionEngine';
import { requestCompletion } from '../../../src/core/protocol/completionClient';
import { ollamaKeepAliveRequest, warmUpBody, WarmUpPolicy } from '../../../src/core/protocol/warmUp';
import { StringDocument } from '../../../src/core/prompt/textDocumentLike';
import { DEFAULT_SETTINGS } from '../../../src/core/settings';
import { HttpTransport } from '../../../src/core/transport/httpTransport';
import { withPromptSpeed } from '../../../src/core/engine/promptSpeed';
import { resolveProvider } from '../../../src/core/providers/providerPresets';
import { startTokenServer } from '../../fixtures/scriptedServer';

describe('warm-up', () => {
  it('asks for one token, not streamed, without the extras', () => {
    const body = warmUpBody({
      model: 'm',
      prompt: 'p',
      max_tokens: 128,
      stream: true,
      n: 2,
      logprobs: 1,
      t_max_predict_ms: 1500,
      cache_prompt: true,
      id_slot: 1,
    });
    assert.deepEqual(body, { model: 'm', prompt: 'p', max_tokens: 1, stream: false, cache_prompt: true, id_slot: 1 });
  });

  it('waits for a quiet spell, and never warms up twice in a row', () => {
    const policy = new WarmUpPolicy(60_000);
    assert.equal(policy.shouldWarmUp('o', 1_000_000), true);
    assert.equal(policy.shouldWarmUp('o', 1_000_500), false);
    assert.equal(policy.shouldWarmUp('o', 1_100_000, 1_090_000), false, 'a request 10 s ago');
    assert.equal(policy.shouldWarmUp('o', 1_200_000, 1_090_000), true);
    assert.equal(policy.shouldWarmUp('other', 1_200_000), true);
  });

  it("Ollama's keep_alive goes to its native API at the server's origin", () => {
    const { url, body } = ollamaKeepAliveRequest('http://127.0.0.1:11434/v1', 'qwen2.5-coder:1.5b', '30m');
    assert.equal(url.href, 'http://127.0.0.1:11434/api/generate');
    assert.deepEqual(JSON.parse(body), { model: 'qwen2.5-coder:1.5b', keep_alive: '30m' });
  });

  it("puts the file in a llama.cpp server's cache, so the first keystroke evaluates only what changed", async () => {
    const server = await startTokenServer({ llama: { promptTokensPerSecond: 1000 }, answer: () => ['x'] });
    const transport = new HttpTransport();
    try {
      const settings = {
        ...DEFAULT_SETTINGS,
        provider: 'llamacpp',
        baseUrl: server.baseUrl,
        model: 'qwen2.5-coder-1.5b',
        contextOpenFiles: false,
      };
      const endpoint = { baseUrl: server.baseUrl, endpointPath: '' };
      const file = 'def total(items):\n    return sum(i.price for i in items)\n\n'.repeat(30);
      const at = (text: string) => {
        const document = new StringDocument(text + '\n' + file, 'python', '/a.py');
        const last = text.split('\n');
        return prepareCompletion({
          document,
          position: { line: last.length - 1, character: last[last.length - 1]!.length },
          settings,
          endpoint,
          // What the controller and the warm-up both use: the layout for the server's prompt speed.
          provider: withPromptSpeed(resolveProvider(settings), server.baseUrl, transport),
        });
      };
      const warm = at(file + 'x');
      await requestCompletion(transport, warm.endpoint, warmUpBody(warm.built.body), { retry: false });
      const typed = at(file + 'x =');
      await requestCompletion(transport, typed.endpoint, typed.built.body);
      assert.equal(server.exchanges[0]!.request.body?.max_tokens, 1);
      assert.ok(server.exchanges[0]!.prompt!.evaluated > 300);
      assert.ok(server.exchanges[1]!.prompt!.evaluated < 100, String(server.exchanges[1]!.prompt!.evaluated));
    } finally {
      await transport.close();
      await server.close();
    }
  });
});
