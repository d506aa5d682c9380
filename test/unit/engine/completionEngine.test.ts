import * as assert from 'node:assert/strict';
import { CompletionEngine } from '../../../src/core/engine/completionEngine';
import { HttpTransport } from '../../../src/core/transport/httpTransport';
import { DEFAULT_SETTINGS } from '../../../src/core/settings';
import { StringDocument } from '../../../src/core/prompt/textDocumentLike';
import { sseReply, startScriptedServer, type ScriptedServer } from '../../fixtures/scriptedServer';

describe('CompletionEngine', () => {
  let server: ScriptedServer;
  let transport: HttpTransport;
  beforeEach(async () => {
    server = await startScriptedServer();
    transport = new HttpTransport();
  });
  afterEach(async () => {
    await transport.close();
    await server.close();
  });

  function query(marked: string, signal?: AbortSignal) {
    const { document, position } = StringDocument.withCursor(marked, 'python', 'a.py');
    return {
      document,
      position,
      settings: { ...DEFAULT_SETTINGS, baseUrl: server.baseUrl, model: 'test-model' },
      endpoint: { baseUrl: server.baseUrl, endpointPath: '/completions' },
      ...(signal ? { signal } : {}),
    };
  }

  it('returns the streamed text as one suggestion at the cursor', async () => {
    server.setHandler(() => sseReply(['a + ', 'b']));
    const outcome = await new CompletionEngine(transport).complete(query('def add(a, b):\n    return █\n'));
    assert.deepEqual(outcome.suggestions, [{ insertText: 'a + b', replaceSuffixChars: 0 }]);
    assert.equal(outcome.decision.outcome, 'shown');
    assert.equal(server.requests[0]?.body?.prompt, 'def add(a, b):\n    return ');
    assert.equal(server.requests[0]?.body?.suffix, '\n');
  });

  it('reports an error as a decision instead of throwing', async () => {
    server.setHandler(() => ({
      status: 500,
      headers: { 'content-type': 'application/json' },
      pieces: ['{"error":{"message":"model crashed"}}'],
    }));
    const outcome = await new CompletionEngine(transport).complete(query('x = █'));
    assert.deepEqual(outcome.suggestions, []);
    assert.equal(outcome.decision.outcome, 'error');
    assert.match(outcome.decision.reason, /model crashed/);
  });

  it('reports cancellation', async () => {
    server.setHandler(() => ({ pieces: [], hang: true }));
    const controller = new AbortController();
    const pending = new CompletionEngine(transport).complete(query('x = █', controller.signal));
    setTimeout(() => controller.abort(), 20);
    const outcome = await pending;
    assert.equal(outcome.decision.outcome, 'cancelled');
  });

  it('drops a whitespace-only completion', async () => {
    server.setHandler(() => sseReply(['  ', '\n']));
    const outcome = await new CompletionEngine(transport).complete(query('x = █'));
    assert.deepEqual(outcome.suggestions, []);
    assert.equal(outcome.decision.outcome, 'empty');
  });
});
