import * as assert from 'node:assert/strict';
import { CompletionController, type ControllerOptions } from '../../../src/core/engine/completionController';
import { prepareCompletion, type CompletionDecision } from '../../../src/core/engine/completionEngine';
import { InFlightRequests } from '../../../src/core/engine/inFlightRequests';
import { HttpTransport } from '../../../src/core/transport/httpTransport';
import { DEFAULT_SETTINGS, type InfillSettings } from '../../../src/core/settings';
import { DocumentWithInsertion, StringDocument } from '../../../src/core/prompt/textDocumentLike';
import { completionChunk, sseReply, startScriptedServer, type ScriptedServer } from '../../fixtures/scriptedServer';
import { closeScriptedController, scriptedSettings, startScriptedController, until } from './scriptedController';

/** Reuse that must not waste a request, and the defects issue 11 found by reading the controller. */
describe('CompletionController: reuse and defects', () => {
  let server: ScriptedServer;
  let transport: HttpTransport;
  let controller: CompletionController;
  const settled: CompletionDecision[] = [];
  const recordSettled: ControllerOptions = { onRequestSettled: (d) => settled.push(d) };
  function make(options: ControllerOptions = {}): CompletionController {
    return new CompletionController(transport, { ...recordSettled, ...options });
  }
  beforeEach(async () => {
    settled.length = 0;
    ({ server, transport, controller } = await startScriptedController(recordSettled));
  });
  afterEach(() => closeScriptedController({ server, transport, controller }));

  function settings(extra: Partial<InfillSettings> = {}): InfillSettings {
    return scriptedSettings(server.baseUrl, extra);
  }

  function at(marked: string, extra: Partial<InfillSettings> = {}, signal?: AbortSignal) {
    const { document, position } = StringDocument.withCursor(marked, 'python', '/work/d.py');
    return {
      document,
      position,
      trigger: 'automatic' as const,
      settings: settings(extra),
      endpoint: { baseUrl: server.baseUrl, endpointPath: '/completions' },
      ...(signal ? { signal } : {}),
    };
  }

  it('CRLF: typing into a suggestion across a line break is served from the cache', async () => {
    server.setHandler(() => sseReply(['if x:\n        return 1']));
    const first = await controller.provide(at('def f(x):\r\n    █\r\n', { maxLines: 4 }));
    assert.equal(first.suggestions[0]?.insertText, 'if x:\r\n        return 1');
    const typed = await controller.provide(at('def f(x):\r\n    if x:\r\n        ret█\r\n', { maxLines: 4 }));
    assert.equal(typed.decision.source, 'typedAhead');
    assert.equal(typed.suggestions[0]?.insertText, 'urn 1');
    assert.equal(server.requests.length, 1);
  });

  it('an empty answer at an unchanged position is remembered: asking again sends nothing', async () => {
    server.setHandler(() => sseReply(['   ']));
    for (let i = 0; i < 3; i++) {
      const outcome = await controller.provide(at('x = █\n'));
      assert.deepEqual(outcome.suggestions, []);
      assert.equal(outcome.decision.outcome, 'empty');
    }
    assert.equal(server.requests.length, 1);
    const elsewhere = await controller.provide(at('y = █\n'));
    assert.equal(elsewhere.decision.fromCache, undefined);
    assert.equal(server.requests.length, 2, 'another position still asks');
  });

  it('aborts a request nobody waits for once the editor cancelled it and no position joined it', async () => {
    controller.dispose();
    controller = make({ abandonAfterMs: 40 });
    server.setHandler(() => ({ pieces: [completionChunk('comp')], hang: true }));
    const closed = server.nextExchangeClosed();
    const cancel = new AbortController();
    const pending = controller.provide(at('x = █\n', {}, cancel.signal));
    await until(() => server.requests.length === 1);
    cancel.abort(); // Escape, the cursor moved away, another editor: the editor cancels the call
    assert.equal((await pending).decision.outcome, 'cancelled');
    const record = await closed;
    assert.equal(record.clientClosedEarly, true, 'the abandoned stream was closed');
    assert.equal(controller.stats.requestsAborted, 1);
    assert.equal(controller.requestsInFlight, 0);
  });

  it('a call waiting in its debounce sends nothing after dispose()', async () => {
    server.setHandler(() => sseReply(['1']));
    const pending = controller.provide(at('x = █', { debounceMs: 40 }));
    controller.dispose();
    const outcome = await pending;
    await new Promise((r) => setTimeout(r, 60));
    assert.notEqual(outcome.decision.outcome, 'shown');
    assert.equal(server.requests.length, 0);
  });

  it('a failure after the answer came (a throwing hook) costs one suggestion and leaves nothing in flight', async () => {
    controller.dispose();
    controller = make({
      onRequestSettled: () => {
        throw new Error('usage counter broke');
      },
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      server.setHandler(() => sseReply(['compute()']));
      const outcome = await controller.provide(at('x = █\n', { speculative: 'on' }));
      assert.equal(outcome.decision.outcome, 'shown', 'a broken usage hook does not cost the suggestion');
      await controller.whenIdle();
      assert.equal(server.requests.length, 2, 'the prefetch went out and ended');
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(controller.requestsInFlight, 0);
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('every request sent is reported once for usage, also when the editor cancelled its call and another joined', async () => {
    server.setHandler(() => ({
      pieces: [completionChunk('comp'), { delayMs: 30 }, completionChunk('ute(a, b)', { finishReason: 'stop' })],
    }));
    const cancel = new AbortController();
    const first = controller.provide(at('x = █\n', {}, cancel.signal));
    await until(() => server.requests.length === 1);
    cancel.abort();
    const joined = await controller.provide(at('x = co█\n'));
    assert.equal(joined.decision.source, 'typedAhead');
    assert.equal((await first).decision.outcome, 'cancelled');
    await controller.whenIdle();
    assert.equal(server.requests.length, 1);
    assert.equal(settled.length, 1);
    assert.equal(settled[0]?.status, 200);
    assert.equal(settled[0]?.rawText, 'compute(a, b)');
  });

  it('speculative requests are reported for usage too', async () => {
    server.setHandler((r) =>
      String(r.body?.prompt).endsWith('return a + b') ? sseReply(['\n\nprint(1)']) : sseReply(['return a + b']),
    );
    await controller.provide(at('def add(a, b):\n    █', { speculative: 'on' }));
    await controller.whenIdle();
    assert.equal(server.requests.length, 2);
    assert.equal(settled.length, 2);
    assert.deepEqual(
      settled.map((d) => d.source),
      ['network', 'speculative'],
    );
  });

  it('stops reading a stream that runs past what max_tokens can produce, and shows what it has', async () => {
    const flood = 'a'.repeat(2048);
    server.setHandler(() => ({
      pieces: [completionChunk('value = '), ...Array.from({ length: 2000 }, () => completionChunk(flood))],
      hang: true,
    }));
    const closed = server.nextExchangeClosed();
    const outcome = await controller.provide(at('x = █\n', { maxTokens: 16 }));
    const record = await closed;
    assert.equal(record.clientClosedEarly, true);
    assert.match(outcome.decision.stopRule ?? '', /max_tokens/);
    assert.ok((outcome.decision.rawText ?? '').length < 16 * 64, 'kept only a bounded amount');
  });

  it('ghost text gives up on a silent stream after infill.inlineIdleTimeoutMs, shorter than the commands', async () => {
    server.setHandler(() => ({ pieces: [completionChunk('comp')], hang: true }));
    const closed = server.nextExchangeClosed();
    const started = Date.now();
    const outcome = await controller.provide(at('x = █\n', { inlineIdleTimeoutMs: 150, idleTimeoutMs: 30_000 }));
    assert.equal(outcome.decision.outcome, 'error');
    assert.match(outcome.decision.reason, /silent for 150 ms/);
    assert.ok(Date.now() - started < 5_000);
    assert.equal((await closed).clientClosedEarly, true);
  });

  it('passes the editor tab size and insertSpaces to post-processing', async () => {
    // A tab-indented file with 8-column tabs: a 16-space answer line is two tabs.
    server.setHandler(() => sseReply(['if (x) {\n                y();\n\t}']));
    const { document, position } = StringDocument.withCursor('void f() {\n\tint a;\n\t█\n}\n', 'c', '/work/t.c');
    const outcome = await controller.provide({
      document,
      position,
      trigger: 'automatic',
      settings: settings({ maxLines: 8 }),
      endpoint: { baseUrl: server.baseUrl, endpointPath: '/completions' },
      tabSize: 8,
      insertSpaces: false,
    });
    const lines = (outcome.suggestions[0]?.insertText ?? '').split('\n');
    assert.equal(lines[1], '\t\ty();');
  });

  it('remembers the empty answer of a prefetch too (typing through the suggestion asks nothing)', async () => {
    server.setHandler((r) =>
      String(r.body?.prompt).endsWith('return a + b') ? sseReply(['  ']) : sseReply(['return a + b']),
    );
    const { document, position } = StringDocument.withCursor('def add(a, b):\n    █', 'python', '/work/e.py');
    const request = {
      document,
      position,
      trigger: 'automatic' as const,
      settings: settings({ speculative: 'on' }),
      endpoint: { baseUrl: server.baseUrl, endpointPath: '/completions' },
    };
    await controller.provide(request);
    await controller.whenIdle();
    const accepted = new DocumentWithInsertion(document, position, 'return a + b');
    const after = await controller.provide({ ...request, document: accepted, position: accepted.end });
    assert.deepEqual(after.suggestions, []);
    assert.equal(server.requests.length, 2, 'the prefetch answered this position already');
  });
});

describe('InFlightRequests', () => {
  it('a request whose settling fails resolves to an error outcome and leaves the in-flight map', async () => {
    const server = await startScriptedServer(() => sseReply(['x']));
    const transport = new HttpTransport();
    try {
      const requests = new InFlightRequests(transport, {
        onStart: () => undefined,
        onSettled: () => {
          throw new Error('bug after the answer');
        },
        onAborted: () => undefined,
      });
      const { document, position } = StringDocument.withCursor('y = █\n', 'python', '/work/r.py');
      const prepared = prepareCompletion({
        document,
        position,
        settings: { ...DEFAULT_SETTINGS, provider: 'custom', baseUrl: server.baseUrl, model: 'm' },
        endpoint: { baseUrl: server.baseUrl, endpointPath: '/completions' },
      });
      const flight = requests.start('/work/r.py', prepared, false);
      const outcome = await flight.promise;
      assert.equal(outcome.decision.outcome, 'error');
      assert.match(outcome.decision.reason, /bug after the answer/);
      assert.equal(requests.size, 0);
    } finally {
      await transport.close();
      await server.close();
    }
  });
});
