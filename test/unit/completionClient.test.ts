import * as assert from 'node:assert/strict';
import { requestCompletion, type EndpointConfig } from '../../src/core/completionClient';
import type { CompletionRequestBody } from '../../src/core/completionTypes';
import { HttpTransport } from '../../src/core/httpTransport';
import { InfillError } from '../../src/core/infillError';
import { completionChunk, jsonReply, sleep, splitBytes, sseReply, startScriptedServer, type ScriptedServer } from '../fixtures/scriptedServer';

const body: CompletionRequestBody = { model: 'test-model', prompt: 'def add(a, b):\n    ', suffix: '\n', max_tokens: 32, stream: true };

async function expectError(promise: Promise<unknown>, kind: InfillError['kind'], message?: RegExp): Promise<InfillError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof InfillError, `expected InfillError, got ${String(err)}`);
    assert.equal(err.kind, kind, err.message);
    if (message) assert.match(err.message, message);
    return err;
  }
  assert.fail(`expected a ${kind} error`);
}

describe('requestCompletion', () => {
  let server: ScriptedServer;
  let transport: HttpTransport;
  let endpoint: EndpointConfig;

  beforeEach(async () => {
    server = await startScriptedServer();
    transport = new HttpTransport({ headersTimeoutMs: 2000, idleTimeoutMs: 1000, totalTimeoutMs: 4000 });
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
    server.setHandler(() => ({ pieces: splitBytes(wire, [7, charStart + 1, charStart + 2, 150]).flatMap((b) => [b, { delayMs: 5 }]) }));
    const result = await requestCompletion(transport, endpoint, body);
    assert.equal(result.choices[0]?.text, '你好，世界');
  });

  it('skips `: comment` keep-alive lines', async () => {
    server.setHandler(() => ({ pieces: [': keep-alive\n\n', completionChunk('x'), ': ping\n\n', completionChunk('y', { finishReason: 'stop' }), 'data: [DONE]\n\n'] }));
    const result = await requestCompletion(transport, endpoint, body);
    assert.equal(result.choices[0]?.text, 'xy');
  });

  it('reuses one keep-alive connection across requests', async () => {
    server.setHandler(() => sseReply(['x']));
    for (let i = 0; i < 5; i++) await requestCompletion(transport, endpoint, body);
    assert.equal(server.connections, 1);
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
    server.setHandler(() => ({ pieces: [completionChunk('line one\n'), { delayMs: 20 }, completionChunk('line two\n')], hang: true }));
    const closed = server.nextExchangeClosed();
    const result = await requestCompletion(transport, endpoint, body, { onProgress: (c) => (c.text.includes('\n') ? 'stop' : 'continue') });
    assert.equal(result.endedEarly, true);
    assert.equal(result.choices[0]?.text, 'line one\n');
    assert.equal((await closed).clientClosedEarly, true);
  });

  it('enforces stop strings itself and ends the stream when one appears', async () => {
    server.setHandler(() => ({ pieces: [completionChunk('foo()'), completionChunk('\n\nbar'), { delayMs: 20 }, completionChunk('baz')], hang: true }));
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
      await expectError(requestCompletion(transport, { baseUrl: `http://127.0.0.1:${port}/v1`, endpointPath: '/completions' }, body), 'network', /refused/i);
      server = await startScriptedServer();
    });

    it('401 with an OpenAI error body -> auth with the server message', async () => {
      server.setHandler(() => ({ status: 401, headers: { 'content-type': 'application/json' }, pieces: ['{"error":{"message":"bad key","type":"invalid_request_error"}}'] }));
      await expectError(requestCompletion(transport, endpoint, body), 'auth', /bad key/);
    });

    it('429 -> rateLimited with Retry-After', async () => {
      server.setHandler(() => ({ status: 429, headers: { 'retry-after': '3', 'content-type': 'application/json' }, pieces: ['{"error":{"message":"slow"}}'] }));
      const err = await expectError(requestCompletion(transport, endpoint, body), 'rateLimited');
      assert.equal(err.retryAfterSeconds, 3);
    });

    it('502 HTML page from a proxy -> server, without the HTML', async () => {
      server.setHandler(() => ({ status: 502, headers: { 'content-type': 'text/html' }, pieces: ['<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>'] }));
      const err = await expectError(requestCompletion(transport, endpoint, body), 'server', /502 Bad Gateway/);
      assert.doesNotMatch(err.message, /<html/);
    });

    it('200 with an HTML body -> protocol', async () => {
      server.setHandler(() => ({ headers: { 'content-type': 'text/html' }, pieces: ['<html><title>Login required</title></html>'] }));
      await expectError(requestCompletion(transport, endpoint, body), 'protocol', /Login required/);
    });

    it('malformed JSON in an event -> protocol', async () => {
      server.setHandler(() => ({ pieces: ['data: {"choices": [\n\n'] }));
      await expectError(requestCompletion(transport, endpoint, body), 'protocol', /Malformed/);
    });

    it('an `error` event after streaming began -> server (llama.cpp)', async () => {
      server.setHandler(() => ({ pieces: [completionChunk('par'), 'event: error\ndata: {"error":{"code":500,"message":"context shift disabled","type":"server_error"}}\n\n'] }));
      await expectError(requestCompletion(transport, endpoint, body), 'server', /context shift disabled/);
    });

    it('no headers in time -> timeout', async () => {
      const slow = new HttpTransport({ headersTimeoutMs: 100, idleTimeoutMs: 1000, totalTimeoutMs: 4000 });
      server.setHandler(() => ({ headersDelayMs: 400, pieces: [completionChunk('x')] }));
      await expectError(requestCompletion(slow, endpoint, body), 'timeout');
      await slow.close();
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
      await expectError(requestCompletion(transport, { baseUrl: 'not a url', endpointPath: '/completions' }, body), 'config', /infill\.baseUrl/);
    });
  });

  it('measures time to first token', async () => {
    server.setHandler(() => ({ pieces: [{ delayMs: 50 }, completionChunk('x', { finishReason: 'stop' }), 'data: [DONE]\n\n'] }));
    const result = await requestCompletion(transport, endpoint, body);
    assert.ok((result.timing.firstTokenMs ?? 0) >= 40, `first token at ${result.timing.firstTokenMs}`);
    await sleep(0);
  });
});
