import * as assert from 'node:assert/strict';
import { executeCompletion, prepareCompletion } from '../../../src/core/engine/completionEngine';
import { DEFAULT_SETTINGS } from '../../../src/core/settings';
import { StringDocument } from '../../../src/core/prompt/textDocumentLike';
import { sseReply } from '../../fixtures/scriptedServer';
import { freshServerAndTransport } from '../../fixtures/serverAndTransport';

/** One completion, prepared and run: what the controller does once it decided to ask. */
describe('prepareCompletion + executeCompletion', () => {
  const env = freshServerAndTransport();

  function complete(marked: string, signal?: AbortSignal) {
    const { document, position } = StringDocument.withCursor(marked, 'python', 'a.py');
    const prepared = prepareCompletion({
      document,
      position,
      settings: { ...DEFAULT_SETTINGS, baseUrl: env.server.baseUrl, model: 'test-model' },
      endpoint: { baseUrl: env.server.baseUrl, endpointPath: '/completions' },
    });
    return executeCompletion(env.transport, prepared, signal ? { signal } : {});
  }

  it('returns the streamed text as one suggestion at the cursor', async () => {
    env.server.setHandler(() => sseReply(['a + ', 'b']));
    const outcome = await complete('def add(a, b):\n    return █\n');
    assert.deepEqual(outcome.suggestions, [{ insertText: 'a + b', replaceSuffixChars: 0 }]);
    assert.equal(outcome.decision.outcome, 'shown');
    assert.equal(env.server.requests[0]?.body?.prompt, 'def add(a, b):\n    return ');
    assert.equal(env.server.requests[0]?.body?.suffix, '\n');
  });

  it('reports an error as a decision instead of throwing', async () => {
    env.server.setHandler(() => ({
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
    env.server.setHandler(() => ({ pieces: [], hang: true }));
    const controller = new AbortController();
    const pending = complete('x = █', controller.signal);
    setTimeout(() => controller.abort(), 20);
    const outcome = await pending;
    assert.equal(outcome.decision.outcome, 'cancelled');
  });

  it('drops a whitespace-only completion', async () => {
    env.server.setHandler(() => sseReply(['  ', '\n']));
    const outcome = await complete('x = █');
    assert.deepEqual(outcome.suggestions, []);
    assert.equal(outcome.decision.outcome, 'empty');
  });
});
