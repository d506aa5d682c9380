import * as assert from 'node:assert/strict';
import { type CompletionController } from '../../../src/core/engine/completionController';
import { type HttpTransport } from '../../../src/core/transport/httpTransport';
import { StringDocument } from '../../../src/core/prompt/textDocumentLike';
import { sseReply, type ScriptedServer } from '../../fixtures/scriptedServer';
import { closeScriptedController, scriptedSettings, startScriptedController } from './scriptedController';

/**
 * What Infill: Accept Next Word / Line rely on: after VS Code inserts part of a suggestion, the
 * controller serves the rest from what it has, and asks (for one line) only once the rest is used up.
 */
describe('CompletionController after a partial accept', () => {
  let server: ScriptedServer;
  let transport: HttpTransport;
  let controller: CompletionController;
  beforeEach(async () => {
    ({ server, transport, controller } = await startScriptedController());
  });
  afterEach(() => closeScriptedController({ server, transport, controller }));

  function at(marked: string, afterPartialAccept = false) {
    const { document, position } = StringDocument.withCursor(marked, 'python', '/work/partial.py');
    return {
      document,
      position,
      trigger: 'automatic' as const,
      settings: scriptedSettings(server.baseUrl),
      endpoint: { baseUrl: server.baseUrl, endpointPath: '/completions' },
      ...(afterPartialAccept ? { afterPartialAccept: true } : {}),
    };
  }

  it('serves the rest after each accepted word without a request', async () => {
    server.setHandler(() => sseReply(['total + count * 2']));
    const first = await controller.provide(at('result = █\n'));
    assert.deepEqual(
      first.suggestions.map((s) => s.insertText),
      ['total + count * 2'],
    );
    // VS Code's acceptNextWord inserts "total " (the word and the space after it), then "+ ".
    const afterOne = await controller.provide(at('result = total █\n', true));
    assert.deepEqual(
      afterOne.suggestions.map((s) => s.insertText),
      ['+ count * 2'],
    );
    assert.equal(afterOne.decision.source, 'typedAhead');
    const afterTwo = await controller.provide(at('result = total + █\n', true));
    assert.deepEqual(
      afterTwo.suggestions.map((s) => s.insertText),
      ['count * 2'],
    );
    assert.equal(server.requests.length, 1, 'one request for the whole suggestion');
    assert.equal(controller.stats.requestsSent, 1);
    assert.equal(controller.stats.typedAheadHits, 2);
  });

  it('serves the following lines after a line is accepted', async () => {
    server.setHandler(() => sseReply(['a = 1\nb = 2\nc = 3']));
    const first = await controller.provide(at('def setup():\n    pass\n\n█'));
    const shown = first.suggestions[0]?.insertText ?? '';
    assert.ok(shown.startsWith('a = 1\nb = 2'), `a multi-line suggestion (got ${JSON.stringify(shown)})`);
    const afterLine = await controller.provide(at('def setup():\n    pass\n\na = 1\n█', true));
    assert.equal(afterLine.suggestions[0]?.insertText, shown.slice('a = 1\n'.length));
    assert.equal(afterLine.decision.source, 'typedAhead');
    assert.equal(server.requests.length, 1);
  });

  it('once the rest is used up, asks again, for one line', async () => {
    server.setHandler(() => sseReply(['total']));
    await controller.provide(at('result = █\n'));
    server.setHandler(() => sseReply([' + 1\nprint(result)\n']));
    const next = await controller.provide(at('result = total█\n', true));
    assert.equal(server.requests.length, 2, 'nothing left to serve: a request');
    assert.match(next.decision.shape ?? '', /partly accepted/);
    assert.deepEqual(
      next.suggestions.map((s) => s.insertText),
      [' + 1'],
      'one line only',
    );
  });
});
