import * as assert from 'node:assert/strict';
import { requestCompletion } from '../../../src/core/protocol/completionClient';
import { HttpTransport } from '../../../src/core/transport/httpTransport';
import { ASSUMED_LOCAL_PROMPT_TOKENS_PER_SECOND, PromptSpeedMeter } from '../../../src/core/transport/promptSpeed';
import { LlamaPromptCache, tokenizeCode } from '../../fixtures/llamaPromptCache';
import { startTokenServer } from '../../fixtures/scriptedServer';

describe('PromptSpeedMeter', () => {
  const origin = 'http://127.0.0.1:8080';

  it('assumes a CPU speed for local servers and none for hosted ones until told', () => {
    const meter = new PromptSpeedMeter();
    assert.equal(meter.tokensPerSecond(origin, true), ASSUMED_LOCAL_PROMPT_TOKENS_PER_SECOND);
    assert.equal(meter.tokensPerSecond('https://api.example', false), undefined);
  });

  it("learns the speed from the server's timings, smoothed, and ignores tiny samples", () => {
    const meter = new PromptSpeedMeter();
    meter.note(origin, { evaluatedTokens: 2000, promptMs: 1000 });
    assert.equal(meter.tokensPerSecond(origin, true), 2000);
    meter.note(origin, { evaluatedTokens: 1000, promptMs: 1000 });
    assert.equal(meter.tokensPerSecond(origin, true), 1700);
    meter.note(origin, { evaluatedTokens: 3, promptMs: 100 });
    assert.equal(meter.tokensPerSecond(origin, true), 1700);
    // Exact timings are believed for any server, and time to first token no longer counts.
    meter.note(origin, { promptTokens: 100, firstTokenMs: 10_000 });
    assert.equal(meter.tokensPerSecond(origin, false), 1700);
  });

  it('believes time to first token only when it shows a server slower than assumed', () => {
    const fast = new PromptSpeedMeter();
    fast.note(origin, { promptTokens: 2000, firstTokenMs: 100 });
    assert.equal(fast.tokensPerSecond(origin, true), ASSUMED_LOCAL_PROMPT_TOKENS_PER_SECOND);
    const slow = new PromptSpeedMeter();
    slow.note(origin, { promptTokens: 1000, firstTokenMs: 10_000 });
    assert.equal(slow.tokensPerSecond(origin, true), 100);
  });

  it("fits the tokenizer's characters per token from prompt sizes, in steps", () => {
    const meter = new PromptSpeedMeter();
    assert.equal(meter.charsPerToken(origin), undefined);
    meter.noteTokens(origin, 3300, 1000);
    meter.noteTokens(origin, 3500, 1000);
    assert.equal(meter.charsPerToken(origin), 3.25);
    meter.noteTokens(origin, 10, 2);
    assert.equal(meter.charsPerToken(origin), 3.25, 'tiny prompts do not count');
  });

  it('is fed by every completion, from the timings llama.cpp sends on the last chunk', async () => {
    const server = await startTokenServer({ llama: { promptTokensPerSecond: 20_000 }, answer: () => ['a', 'b'] });
    const transport = new HttpTransport();
    try {
      const prompt = 'def f(x):\n    return x * 2\n'.repeat(20);
      const result = await requestCompletion(
        transport,
        { baseUrl: server.baseUrl, endpointPath: '/completions' },
        { model: 'm', prompt, max_tokens: 4, stream: true },
      );
      const evaluated = tokenizeCode(prompt).length;
      assert.deepEqual(result.serverTimings?.promptTokens, evaluated);
      assert.equal(result.serverTimings?.cachedTokens, 0);
      const learned = transport.promptSpeed.tokensPerSecond(server.origin, true)!;
      assert.ok(Math.abs(learned - 20_000) < 1, String(learned));
      const ratio = prompt.length / evaluated;
      assert.equal(transport.promptSpeed.charsPerToken(server.origin), Math.floor(ratio * 4) / 4);
    } finally {
      await transport.close();
      await server.close();
    }
  });
});

describe('the scripted llama.cpp prompt cache', () => {
  it('evaluates only the tokens after the prefix shared with the previous prompt, at least one', () => {
    const cache = new LlamaPromptCache();
    const first = cache.evaluate('<|fim_prefix|>def add(a, b):\n    return a<|fim_suffix|>\n<|fim_middle|>');
    assert.equal(first.cacheN, 0);
    const next = cache.evaluate('<|fim_prefix|>def add(a, b):\n    return a +<|fim_suffix|>\n<|fim_middle|>');
    // Up to " a" it is the same; " ", "+", the two FIM tokens and the line break are evaluated.
    assert.deepEqual([next.promptN, next.cacheN], [5, first.promptN - 3]);
    const same = cache.evaluate('<|fim_prefix|>def add(a, b):\n    return a +<|fim_suffix|>\n<|fim_middle|>');
    assert.equal(same.promptN, 1);
  });

  it('keeps a cache per slot: a pinned slot keeps its file, unpinned requests can land elsewhere', () => {
    const cache = new LlamaPromptCache(2);
    const a = 'alpha beta gamma delta epsilon';
    const b = 'one two three four five six';
    assert.equal(cache.evaluate(a, 0).slot, 0);
    assert.equal(cache.evaluate(b, 1).slot, 1);
    assert.equal(cache.evaluate(a + ' zeta', 0).promptN, 1);
    assert.equal(cache.evaluate(b + ' seven').slot, 1, 'unpinned: the most similar slot');
    assert.equal(cache.evaluate('x y z', 1).cacheN, 0);
  });

  it('puts the generated text in the cache after the prompt', () => {
    const cache = new LlamaPromptCache();
    const { slot } = cache.evaluate('def f():\n    return');
    cache.appendGenerated(slot, ' 42');
    assert.equal(cache.cached(slot), 'def f():\n    return 42');
    assert.equal(cache.evaluate('def f():\n    return 42\n').promptN, 1);
  });
});
