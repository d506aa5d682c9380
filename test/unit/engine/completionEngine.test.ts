import * as assert from 'node:assert/strict';
import { executeCompletion, prepareCompletion } from '../../../src/core/engine/completionEngine';
import { HttpTransport } from '../../../src/core/transport/httpTransport';
import { DEFAULT_SETTINGS } from '../../../src/core/settings';
import { StringDocument } from '../../../src/core/prompt/textDocumentLike';
import { sseReply, startScriptedServer, type ScriptedServer } from '../../fixtures/scriptedServer';

/** One completion, prepared and run: what the controller does once it decided to ask. */
describe('prepareCompletion + executeCompletion', () => {
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

  function complete(marked: string, signal?: AbortSignal) {
    const { document, position } = StringDocument.withCursor(marked, 'python', 'a.py');
    const prepared = prepareCompletion({
      document,
      position,
      settings: { ...DEFAULT_SETTINGS, baseUrl: server.baseUrl, model: 'test-model' },
      endpoint: { baseUrl: server.baseUrl, endpointPath: '/completions' },
    });
    return executeCompletion(transport, prepared, signal ? { signal } : {});
  }

  it('returns the streamed text as one suggestion at the cursor', async () => {
    server.setHandler(() => sseReply(['a + ', 'b']));
    const outcome = await complete('def add(a, b):\n    return █\n');
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
    const outcome = await complete('x = █');
    assert.deepEqual(outcome.suggestions, []);
    assert.equal(outcome.decision.outcome, 'error');
    assert.match(outcome.decision.reason, /model crashed/);
  });

  it('reports cancellation', async () => {
    server.setHandler(() => ({ pieces: [], hang: true }));
    const controller = new AbortController();
    const pending = complete('x = █', controller.signal);
    setTimeout(() => controller.abort(), 20);
    const outcome = await pending;
    assert.equal(outcome.decision.outcome, 'cancelled');
  });

  it('drops a whitespace-only completion', async () => {
    server.setHandler(() => sseReply(['  ', '\n']));
    const outcome = await complete('x = █');
    assert.deepEqual(outcome.suggestions, []);
    assert.equal(outcome.decision.outcome, 'empty');
  });
});
