import * as assert from 'node:assert/strict';
import { requestCompletion, type EndpointConfig } from '../../../src/core/protocol/completionClient';
import type { CompletionRequestBody } from '../../../src/core/protocol/completionTypes';
import { HttpTransport } from '../../../src/core/transport/httpTransport';
import { expectInfillError } from '../../fixtures/expectInfillError';
import {
  completionChunk,
  jsonReply,
  loadTranscript,
  sleep,
  splitBytes,
  sseReply,
  startScriptedServer,
  transcriptReply,
  type ScriptedServer,
} from '../../fixtures/scriptedServer';

const body: CompletionRequestBody = {
  model: 'test-model',
  prompt: 'def add(a, b):\n    ',
  suffix: '\n',
  max_tokens: 32,
  stream: true,
};

const expectError = expectInfillError;

describe('requestCompletion', () => {
  let server: ScriptedServer;
  let transport: HttpTransport;
  let endpoint: EndpointConfig;

  beforeEach(async () => {
    server = await startScriptedServer();
    // No cold-start grace: these tests time the first request to a server on 127.0.0.1.
    transport = new HttpTransport({
      headersTimeoutMs: 2000,
      idleTimeoutMs: 1000,
      totalTimeoutMs: 4000,
      coldStartTimeoutMs: 0,
    });
    endpoint = { baseUrl: server.baseUrl, endpointPath: '/completions' };
  });
  afterEach(async () => {
    await transport.close();
    await server.close();
  });

  it('posts the body to {baseUrl}{endpointPath} and joins streamed text', async () => {
    server.setHandler(() => sseReply(['return', ' a', ' + b']));
    const result = await requestCompletion(transport, endpoint, body);
    assert.equal(result.choices[0]?.text, 'return a + b');
    assert.equal(result.choices[0]?.finishReason, 'stop');
    assert.equal(server.requests[0]?.url, '/v1/completions');
    assert.deepEqual(server.requests[0]?.body, body);
    assert.equal(server.requests[0]?.headers['content-type'], 'application/json');
  });

  it('honours a custom endpoint path (ppinfra /v3/openai/completions)', async () => {
    server.setHandler(() => sseReply(['x']));
    await requestCompletion(transport, { baseUrl: `${server.origin}/v3/openai/`, endpointPath: 'completions' }, body);
    assert.equal(server.requests[0]?.url, '/v3/openai/completions');
  });

  it('sends the key as a Bearer token only when one is set', async () => {
    server.setHandler(() => sseReply(['x']));
    await requestCompletion(transport, endpoint, body);
    await requestCompletion(transport, { ...endpoint, apiKey: 'sk-test-123' }, body);
    assert.equal(server.requests[0]?.headers.authorization, undefined);
    assert.equal(server.requests[1]?.headers.authorization, 'Bearer sk-test-123');
  });

  it('reads a plain JSON response', async () => {
    server.setHandler(() => jsonReply('pass'));
    const result = await requestCompletion(transport, endpoint, { ...body, stream: false });
    assert.equal(result.choices[0]?.text, 'pass');
    assert.equal(result.usage?.total_tokens, 8);
    assert.equal(result.streamed, false);
  });

  it('accepts a stream that ends without [DONE]', async () => {
    server.setHandler(() => sseReply(['a', 'b'], { done: false }));
    const result = await requestCompletion(transport, endpoint, body);
    assert.equal(result.choices[0]?.text, 'ab');
  });

  it('reassembles chunks split mid-line and mid-UTF-8 character', async () => {
    const wire = completionChunk('你好') + completionChunk('，世界', { finishReason: 'stop' }) + 'data: [DONE]\n\n';
    const charStart = Buffer.from(wire).indexOf(Buffer.from('好'));
    server.setHandler(() => ({
      pieces: splitBytes(wire, [7, charStart + 1, charStart + 2, 150]).flatMap((b) => [b, { delayMs: 5 }]),
    }));
    const result = await requestCompletion(transport, endpoint, body);
    assert.equal(result.choices[0]?.text, '你好，世界');
  });

  it('skips `: comment` keep-alive lines', async () => {
    server.setHandler(() => ({
      pieces: [
        ': keep-alive\n\n',
        completionChunk('x'),
        ': ping\n\n',
        completionChunk('y', { finishReason: 'stop' }),
        'data: [DONE]\n\n',
      ],
    }));
    const result = await requestCompletion(transport, endpoint, body);
    assert.equal(result.choices[0]?.text, 'xy');
  });

  it('reuses one keep-alive connection across requests', async () => {
    server.setHandler(() => sseReply(['x']));
    for (let i = 0; i < 5; i++) await requestCompletion(transport, endpoint, body);
    assert.equal(transport.stats.connectionsOpened, 1, 'all five requests went over one connection');
    assert.equal(transport.stats.sparesUsed, 0);
    assert.ok(
      server.connections <= 3,
      `the server saw ${server.connections} connections (one in use, at most two warm spares)`,
    );
  });

  it('aborting closes the exchange on the server side at once', async () => {
    server.setHandler(() => ({ pieces: [completionChunk('a')], hang: true }));
    const controller = new AbortController();
    const closed = server.nextExchangeClosed();
    const pending = requestCompletion(transport, endpoint, body, {
      signal: controller.signal,
      onProgress: () => {
        controller.abort();
      },
    });
    await expectError(pending, 'aborted');
    const record = await closed;
    assert.equal(record.clientClosedEarly, true);
  });

  it('an already aborted signal sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    await expectError(requestCompletion(transport, endpoint, body, { signal: controller.signal }), 'aborted');
  });

  it('ends the stream as soon as the caller says stop', async () => {
    server.setHandler(() => ({
      pieces: [completionChunk('line one\n'), { delayMs: 20 }, completionChunk('line two\n')],
      hang: true,
    }));
    const closed = server.nextExchangeClosed();
    const result = await requestCompletion(transport, endpoint, body, {
      onProgress: (c) => (c.text.includes('\n') ? 'stop' : 'continue'),
    });
    assert.equal(result.endedEarly, true);
    assert.equal(result.choices[0]?.text, 'line one\n');
    assert.equal((await closed).clientClosedEarly, true);
  });

  it('enforces stop strings itself and ends the stream when one appears', async () => {
    server.setHandler(() => ({
      pieces: [completionChunk('foo()'), completionChunk('\n\nbar'), { delayMs: 20 }, completionChunk('baz')],
      hang: true,
    }));
    const result = await requestCompletion(transport, endpoint, body, { clientStops: ['\n\n'] });
    assert.equal(result.choices[0]?.text, 'foo()');
    assert.equal(result.choices[0]?.finishReason, 'stop');
    assert.equal(result.endedEarly, true);
  });

  it('finds a stop string split across two chunks', async () => {
    server.setHandler(() => sseReply(['abc<|en', 'dof|>ignored']));
    const result = await requestCompletion(transport, endpoint, body, { clientStops: ['<|endof|>'] });
    assert.equal(result.choices[0]?.text, 'abc');
  });

  describe('errors', () => {
    it('refused connection -> network', async () => {
      const port = server.port;
      await server.close();
      await expectError(
        requestCompletion(transport, { baseUrl: `http://127.0.0.1:${port}/v1`, endpointPath: '/completions' }, body),
        'network',
        /refused/i,
      );
      server = await startScriptedServer();
    });

    it('401 with an OpenAI error body -> auth with the server message', async () => {
      server.setHandler(() => ({
        status: 401,
        headers: { 'content-type': 'application/json' },
        pieces: ['{"error":{"message":"bad key","type":"invalid_request_error"}}'],
      }));
      await expectError(requestCompletion(transport, endpoint, body), 'auth', /bad key/);
    });

    it('an error message that echoes the key does not carry it on', async () => {
      server.setHandler(() => ({
        status: 401,
        headers: { 'content-type': 'application/json' },
        pieces: ['{"error":{"message":"key my-gateway-key-123 is not valid here"}}'],
      }));
      const err = await expectError(
        requestCompletion(transport, { ...endpoint, apiKey: 'my-gateway-key-123' }, body),
        'auth',
      );
      assert.doesNotMatch(err.message, /my-gateway-key-123/);
      assert.match(err.message, /key <redacted> is not valid here/);
    });

    it('429 -> rateLimited with Retry-After', async () => {
      server.setHandler(() => ({
        status: 429,
        headers: { 'retry-after': '3', 'content-type': 'application/json' },
        pieces: ['{"error":{"message":"slow"}}'],
      }));
      const err = await expectError(requestCompletion(transport, endpoint, body), 'rateLimited');
      assert.equal(err.retryAfterSeconds, 3);
    });

    it('502 HTML page from a proxy -> server, without the HTML', async () => {
      server.setHandler(() => ({
        status: 502,
        headers: { 'content-type': 'text/html' },
        pieces: ['<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>'],
      }));
      const err = await expectError(requestCompletion(transport, endpoint, body), 'server', /502 Bad Gateway/);
      assert.doesNotMatch(err.message, /<html/);
    });

    it('200 with an HTML body -> protocol', async () => {
      server.setHandler(() => ({
        headers: { 'content-type': 'text/html' },
        pieces: ['<html><title>Login required</title></html>'],
      }));
      await expectError(requestCompletion(transport, endpoint, body), 'protocol', /Login required/);
    });

    it('malformed JSON in an event -> protocol', async () => {
      server.setHandler(() => ({ pieces: ['data: {"choices": [\n\n'] }));
      await expectError(requestCompletion(transport, endpoint, body), 'protocol', /Malformed/);
    });

    it('an `error` event after streaming began -> server (llama.cpp)', async () => {
      server.setHandler(() => ({
        pieces: [
          completionChunk('par'),
          'event: error\ndata: {"error":{"code":500,"message":"context shift disabled","type":"server_error"}}\n\n',
        ],
      }));
      await expectError(requestCompletion(transport, endpoint, body), 'server', /context shift disabled/);
    });

    it('no headers in time -> timeout', async () => {
      const slow = new HttpTransport({
        headersTimeoutMs: 100,
        idleTimeoutMs: 1000,
        totalTimeoutMs: 4000,
        coldStartTimeoutMs: 0,
      });
      server.setHandler(() => ({ headersDelayMs: 400, pieces: [completionChunk('x')] }));
      await expectError(requestCompletion(slow, endpoint, body), 'timeout');
      await slow.close();
    });

    it('a local server may take longer than the first-byte timeout for its first answer (a model loading)', async () => {
      const cold = new HttpTransport({ headersTimeoutMs: 100, idleTimeoutMs: 1000, totalTimeoutMs: 4000 });
      const url = new URL(server.baseUrl);
      assert.equal(cold.isColdStart(url), true);
      server.setHandler(() => ({ headersDelayMs: 400, pieces: [completionChunk('loaded'), 'data: [DONE]\n\n'] }));
      const first = await requestCompletion(cold, endpoint, body);
      assert.equal(first.choices[0]?.text, 'loaded');
      assert.equal(cold.isColdStart(url), false);
      // Once it has answered, a silent server is a timeout again.
      await expectError(requestCompletion(cold, endpoint, body), 'timeout');
      await cold.close();
      assert.equal(new HttpTransport().isColdStart(new URL('https://api.openai.com/v1')), false);
    });

    it('a stream that never ends -> timeout, not a hang', async () => {
      const slow = new HttpTransport({ headersTimeoutMs: 1000, idleTimeoutMs: 150, totalTimeoutMs: 4000 });
      server.setHandler(() => ({ pieces: [completionChunk('x')], hang: true }));
      await expectError(requestCompletion(slow, endpoint, body), 'timeout');
      await slow.close();
    });

    it('empty choices give an empty result, not an exception', async () => {
      server.setHandler(() => ({ pieces: ['data: {"id":"x","choices":[]}\n\n', 'data: [DONE]\n\n'] }));
      const result = await requestCompletion(transport, endpoint, body);
      assert.deepEqual(result.choices, []);
    });

    it('a bad base URL -> config error naming the setting', async () => {
      await expectError(
        requestCompletion(transport, { baseUrl: 'not a url', endpointPath: '/completions' }, body),
        'config',
        /infill\.baseUrl/,
      );
    });
  });

  it('measures time to first token', async () => {
    server.setHandler(() => ({
      pieces: [{ delayMs: 50 }, completionChunk('x', { finishReason: 'stop' }), 'data: [DONE]\n\n'],
    }));
    const result = await requestCompletion(transport, endpoint, body);
    assert.ok((result.timing.firstTokenMs ?? 0) >= 40, `first token at ${result.timing.firstTokenMs}`);
    await sleep(0);
  });

  describe('provider wire formats (replayed transcripts)', () => {
    /** Sends a transcript's own request to the path it was sent to, replaying its answer in 7-byte pieces. */
    async function replay(name: string, options: Parameters<typeof requestCompletion>[3] = {}) {
      const t = loadTranscript(name);
      server.setHandler(() => transcriptReply(name, { splitEveryBytes: 7 }));
      const result = await requestCompletion(
        transport,
        { baseUrl: server.origin, endpointPath: t.path },
        t.request as CompletionRequestBody,
        options,
      );
      assert.equal(server.requests.at(-1)?.url, t.path);
      return result;
    }

    it('ppinfra returns the stop sequence inside text: it is stripped (stream), and usage comes in the last chunk', async () => {
      const result = await replay('ppinfra-stop-in-text', { clientStops: ['\n\n'] });
      assert.equal(result.choices[0]?.text, 'return a + b');
      assert.equal(result.choices[0]?.finishReason, 'stop');
      assert.deepEqual(result.usage, { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 });
      // The server had finished that choice itself, so the client read on to [DONE] instead of closing early.
      assert.equal(result.endedEarly, false);
    });

    it('ppinfra returns the stop sequence inside text: it is stripped (JSON body)', async () => {
      const result = await replay('ppinfra-stop-in-text-json', { clientStops: ['\n\n'] });
      assert.equal(result.choices[0]?.text, 'return a + b');
      assert.equal(result.streamed, false);
    });

    it('OpenAI leaves the stop sequence out: the same text either way', async () => {
      const result = await replay('openai-stop-excluded', { clientStops: ['\n\n'] });
      assert.equal(result.choices[0]?.text, 'return a + b');
    });

    it('API2D sends all choices of n/best_of in one event', async () => {
      const result = await replay('api2d-n-best-of-one-event', { expectedChoices: 2 });
      assert.deepEqual(
        result.choices.map((c) => [c.index, c.text, c.finishReason]),
        [
          [0, 'range(10):', 'stop'],
          [1, 'range(len(xs)):', 'stop'],
        ],
      );
    });

    it('API2D with moderation attaches the full logprobs to every event: kept once, not repeated', async () => {
      const result = await replay('api2d-moderation-logprobs-every-event');
      const choice = result.choices[0];
      assert.equal(choice?.text, 'return a + b');
      assert.deepEqual(
        choice?.logprobs?.map((t) => t.token),
        ['return', ' a', ' +', ' b'],
      );
      assert.deepEqual(choice?.logprobs?.[1], {
        token: ' a',
        logprob: -0.2,
        topLogprobs: { ' a': -0.2 },
        textOffset: 26,
      });
      assert.deepEqual(result.moderation, { Suggestion: 'Pass', Label: 'Normal', Score: 0 });
    });

    it('API2D: usage.final_total and the moderation result of a JSON answer', async () => {
      const result = await replay('api2d-final-total');
      assert.equal(result.usage?.final_total, 5);
      assert.equal(result.usage?.total_tokens, 44);
      assert.equal(result.choices[0]?.finishReason, 'length');
      assert.equal(result.id, 'cmpl-7KePwwECHYAXhqb4sEv4hIr6T1Ehi');
      assert.equal(result.object, 'text_completion');
      assert.deepEqual(result.moderation, { Suggestion: 'Pass', Label: 'Normal', Score: 0 });
    });

    it('choices interleaved by index are kept apart', async () => {
      const progress: string[] = [];
      const result = await replay('openai-interleaved-choices', {
        expectedChoices: 2,
        onProgress: (c) => void progress.push(`${c.index}:${c.text}`),
      });
      assert.deepEqual(
        result.choices.map((c) => [c.index, c.text, c.finishReason]),
        [
          [0, 'bar', 'stop'],
          [1, 'foo()', 'length'],
        ],
      );
      assert.deepEqual(progress, ['1:fo', '0:ba', '1:foo', '0:bar', '1:foo()']);
    });

    it('include_usage: usage null on every chunk, then given in the last one with empty choices', async () => {
      const result = await replay('openai-include-usage');
      assert.equal(result.choices[0]?.text, '42');
      assert.deepEqual(result.usage, { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    });

    it('logprobs in the full legacy shape {tokens, token_logprobs, top_logprobs, text_offset}', async () => {
      const result = await replay('openai-logprobs-legacy');
      assert.deepEqual(result.choices[0]?.logprobs, [
        { token: '4', logprob: -0.5, topLogprobs: { '4': -0.5, x: -2.5 }, textOffset: 4 },
        { token: '2', logprob: -0.25, topLogprobs: { '2': -0.25, x: -2.25 }, textOffset: 5 },
      ]);
    });

    it('logprobs null gives no logprobs, and finish_reason absent until the last chunk is not an end', async () => {
      const result = await replay('finish-reason-absent-until-last');
      assert.equal(result.choices[0]?.text, '1 + 2');
      assert.equal(result.choices[0]?.finishReason, 'length');
      assert.equal(result.choices[0]?.logprobs, undefined);
    });

    it('llama.cpp: logprobs in the chat shape content[{token, logprob, top_logprobs}]', async () => {
      const result = await replay('llamacpp-chat-logprobs');
      assert.equal(result.choices[0]?.text, '42');
      assert.deepEqual(result.choices[0]?.logprobs, [
        { token: '4', logprob: -0.5, topLogprobs: { '4': -0.5, '5': -1.5 } },
        { token: '2', logprob: -0.25, topLogprobs: { '2': -0.25, '0': -2 } },
      ]);
      assert.equal(result.systemFingerprint, 'b5000-abcdef');
    });

    it('llama.cpp: an `error:` line after streaming began is an error, not an empty completion', async () => {
      await expectError(replay('llamacpp-error-event'), 'server', /context shift is disabled/);
    });

    it('llama.cpp: a JSON array for a list of prompts becomes one choice per prompt', async () => {
      const t = loadTranscript('llamacpp-prompt-list');
      const result = await replay('llamacpp-prompt-list');
      assert.deepEqual(
        (server.requests.at(-1)?.body as { prompt: unknown }).prompt,
        (t.request as { prompt: unknown }).prompt,
      );
      assert.deepEqual(
        result.choices.map((c) => [c.index, c.text]),
        [
          [0, '1'],
          [1, '2'],
        ],
      );
    });

    it('llama.cpp: HTTP 500 for a request that merely contains suffix -> server error with its message', async () => {
      await expectError(replay('llamacpp-suffix-500', { retry: false }), 'server', /Unsupported param: suffix/);
    });

    it('vLLM: 400 for suffix -> invalidRequest with its message', async () => {
      const err = await expectError(replay('vllm-suffix-400'), 'invalidRequest', /suffix is not currently supported/);
      assert.equal(err.status, 400);
    });

    it("a relay's own JSON error shape {code, msg} -> forbidden with its message", async () => {
      await expectError(replay('relay-own-error-shape'), 'forbidden', /余额不足/);
    });

    it('an HTML page from a proxy -> server error with the page title, never the HTML', async () => {
      const err = await expectError(replay('proxy-html-502', { retry: false }), 'server', /502 Bad Gateway/);
      assert.doesNotMatch(err.message, /<|nginx/);
    });
  });

  describe('stop strings beyond what the server takes', () => {
    it('are enforced on the stream: the request ends when one appears and the text never contains it', async () => {
      server.setHandler(() => ({
        pieces: [completionChunk('a = 1'), completionChunk('\nEND'), completionChunk('ignored')],
        hang: true,
      }));
      const closed = server.nextExchangeClosed();
      const result = await requestCompletion(
        transport,
        endpoint,
        { ...body, stop: ['1', '2', '3', '4'] },
        { clientStops: ['1x', '2x', '3x', '4x', '\nEND'] },
      );
      assert.equal(result.choices[0]?.text, 'a = 1');
      assert.equal(result.endedEarly, true);
      assert.equal((await closed).clientClosedEarly, true);
    });

    it('cuts every choice at its own stop string', async () => {
      server.setHandler(() => ({
        pieces: [
          'data: {"choices":[{"text":"x;y","index":0},{"text":"p","index":1}]}\n\n',
          'data: {"choices":[{"text":"q;r","index":1,"finish_reason":"stop"}]}\n\n',
          'data: [DONE]\n\n',
        ],
      }));
      const result = await requestCompletion(transport, endpoint, body, { clientStops: [';'], expectedChoices: 2 });
      assert.deepEqual(
        result.choices.map((c) => c.text),
        ['x', 'pq'],
      );
    });
  });

  describe('echo', () => {
    it('removes the echoed prompt, even when it spans chunks', async () => {
      server.setHandler(() => sseReply(['def ', 'f(', '):\n    return 1']));
      const result = await requestCompletion(
        transport,
        endpoint,
        { ...body, echo: true },
        { echoedPrompt: 'def f():\n    ' },
      );
      assert.equal(result.choices[0]?.text, 'return 1');
    });

    it('keeps the text when the server did not echo', async () => {
      server.setHandler(() => sseReply(['return 1']));
      const result = await requestCompletion(
        transport,
        endpoint,
        { ...body, echo: true },
        { echoedPrompt: 'def f():\n    ' },
      );
      assert.equal(result.choices[0]?.text, 'return 1');
    });
  });

  describe('retry of 429/503', () => {
    it('retries a 429 after its Retry-After and succeeds', async () => {
      let calls = 0;
      server.setHandler(() => (++calls === 1 ? transcriptReply('openai-429-retry-after') : sseReply(['ok'])));
      const result = await requestCompletion(transport, endpoint, body);
      assert.equal(result.choices[0]?.text, 'ok');
      assert.equal(result.attempts, 2);
      assert.equal(server.requests.length, 2);
    });

    it('retries a 503 (bounded: gives up after maxRetries)', async () => {
      server.setHandler(() => ({
        status: 503,
        headers: { 'retry-after': '0', 'content-type': 'application/json' },
        pieces: ['{"error":{"message":"overloaded"}}'],
      }));
      await expectError(
        requestCompletion(transport, endpoint, body, { retry: { maxRetries: 2, maxWaitMs: 1000, baseDelayMs: 1 } }),
        'server',
        /overloaded/,
      );
      assert.equal(server.requests.length, 3);
    });

    it('does not retry when Retry-After asks for longer than the longest wait', async () => {
      server.setHandler(() => ({
        status: 429,
        headers: { 'retry-after': '30' },
        pieces: ['{"error":{"message":"slow down"}}'],
      }));
      const err = await expectError(requestCompletion(transport, endpoint, body), 'rateLimited');
      assert.equal(err.retryAfterSeconds, 30);
      assert.equal(server.requests.length, 1);
    });

    it('does not retry other errors', async () => {
      server.setHandler(() => ({ status: 500, pieces: ['{"error":{"message":"boom"}}'] }));
      await expectError(requestCompletion(transport, endpoint, body), 'server');
      assert.equal(server.requests.length, 1);
    });

    it('never retries an aborted request: abort during the wait ends it at once', async () => {
      server.setHandler(() => ({
        status: 429,
        headers: { 'retry-after': '1' },
        pieces: ['{"error":{"message":"slow"}}'],
      }));
      const controller = new AbortController();
      const pending = requestCompletion(transport, endpoint, body, {
        signal: controller.signal,
        retry: { maxRetries: 3, maxWaitMs: 5000, baseDelayMs: 1 },
      });
      // Abort as soon as the first answer has been read, while the client waits out Retry-After.
      const first = server.nextExchangeClosed();
      await first;
      controller.abort();
      await expectError(pending, 'aborted');
      assert.equal(server.requests.length, 1);
    });
  });
});
