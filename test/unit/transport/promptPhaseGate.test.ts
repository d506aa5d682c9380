import * as assert from 'node:assert/strict';
import { InfillError } from '../../../src/core/infillError';
import { requestCompletion } from '../../../src/core/protocol/completionClient';
import { HttpTransport } from '../../../src/core/transport/httpTransport';
import { sleep, startTokenServer, type TokenServer } from '../../fixtures/scriptedServer';

describe('at most one request per server in its prompt phase', () => {
  let server: TokenServer;
  let transport: HttpTransport;
  const prompt = 'def value(i):\n    return i * 2\n'.repeat(40);

  beforeEach(async () => {
    // About 400 prompt tokens at 2000 tokens a second: a prompt phase of about 200 ms.
    server = await startTokenServer({ llama: { promptTokensPerSecond: 2000 }, answer: () => ['a', 'b'] });
    transport = new HttpTransport();
  });
  afterEach(async () => {
    await transport.close();
    await server.close();
  });

  /** A keystroke's request, given up `abandonAfterMs` later (the next keystroke), or kept. */
  function keystroke(typed: string, exclusive: boolean, abandonAfterMs?: number) {
    const abort = new AbortController();
    if (abandonAfterMs !== undefined) setTimeout(() => abort.abort(), abandonAfterMs);
    return requestCompletion(
      transport,
      { baseUrl: server.baseUrl, endpointPath: '' },
      { model: 'm', prompt: prompt + typed, max_tokens: 2, stream: true },
      { signal: abort.signal, exclusivePromptPhase: exclusive },
    ).then(
      () => 'done',
      (err: unknown) => (err instanceof InfillError ? err.kind : 'other'),
    );
  }

  it('a request given up while waiting for the one ahead is never sent', async () => {
    const first = keystroke('x', true);
    await sleep(20);
    const second = keystroke('xy', true, 60);
    await sleep(30);
    const third = keystroke('xyz', true);
    assert.deepEqual(await Promise.all([first, second, third]), ['done', 'aborted', 'done']);
    assert.deepEqual(
      server.exchanges.map((e) => (e.request.body?.prompt as string).slice(prompt.length)),
      ['x', 'xyz'],
    );
    // The one that waited found the cache warm: only what was typed since is evaluated.
    assert.ok(server.exchanges[1]!.prompt!.evaluated <= 3, String(server.exchanges[1]!.prompt!.evaluated));
  });

  it('without it, every keystroke reaches the server', async () => {
    const results = [keystroke('x', false)];
    await sleep(20);
    results.push(keystroke('xy', false, 60));
    await sleep(30);
    results.push(keystroke('xyz', false));
    await Promise.all(results);
    assert.equal(server.exchanges.length, 3);
  });
});
