import * as assert from 'node:assert/strict';
import { CompletionController } from '../../../src/core/engine/completionController';
import { type HttpTransport } from '../../../src/core/transport/httpTransport';
import { type InfillSettings } from '../../../src/core/settings';
import { DocumentWithInsertion, StringDocument } from '../../../src/core/prompt/textDocumentLike';
import { completionChunk, sseReply, type ReplyPiece, type ScriptedServer } from '../../fixtures/scriptedServer';
import { closeScriptedController, scriptedSettings, startScriptedController, until } from './scriptedController';

describe('CompletionController', () => {
  let server: ScriptedServer;
  let transport: HttpTransport;
  let controller: CompletionController;
  beforeEach(async () => {
    ({ server, transport, controller } = await startScriptedController());
  });
  afterEach(() => closeScriptedController({ server, transport, controller }));

  function settings(extra: Partial<InfillSettings> = {}): InfillSettings {
    return scriptedSettings(server.baseUrl, extra);
  }

  function at(
    marked: string,
    extra: Partial<InfillSettings> = {},
    trigger: 'automatic' | 'invoke' = 'automatic',
    signal?: AbortSignal,
  ) {
    const { document, position } = StringDocument.withCursor(marked, 'python', '/work/a.py');
    return {
      document,
      position,
      trigger,
      settings: settings(extra),
      endpoint: { baseUrl: server.baseUrl, endpointPath: '/completions' },
      ...(signal ? { signal } : {}),
    };
  }

  it('ends the HTTP stream as soon as a stop rule fires (the server sees the client close)', async () => {
    server.setHandler(() => ({
      pieces: [completionChunk('compute(a)'), completionChunk('\nprint('), completionChunk('"more")\n')],
      hang: true,
    }));
    const closed = server.nextExchangeClosed();
    const outcome = await controller.provide(at('x = █\n'));
    const record = await closed;
    assert.equal(record.clientClosedEarly, true, 'the client closed the stream');
    assert.deepEqual(
      outcome.suggestions.map((s) => s.insertText),
      ['compute(a)'],
    );
    assert.equal(outcome.decision.stopRule, 'one line');
    assert.equal(outcome.decision.endedEarly, true);
  });

  it('serves typed-ahead characters from the shown suggestion without a new request', async () => {
    server.setHandler(() => sseReply(['compute(a, b)']));
    const first = await controller.provide(at('x = █\n'));
    assert.equal(first.decision.source, 'network');
    const typed = await controller.provide(at('x = comp█\n'));
    assert.deepEqual(
      typed.suggestions.map((s) => s.insertText),
      ['ute(a, b)'],
    );
    assert.equal(typed.decision.source, 'typedAhead');
    assert.equal(typed.decision.reasonCode, 'cacheHit');
    assert.equal(server.requests.length, 1);
    assert.equal(controller.stats.typedAheadHits, 1);
  });

  it('asks again when the typing leaves the suggestion', async () => {
    server.setHandler(() => sseReply(['compute(a, b)']));
    await controller.provide(at('x = █\n'));
    server.setHandler(() => sseReply(['lculate()']));
    const other = await controller.provide(at('x = ca█\n'));
    assert.equal(other.decision.source, 'network');
    assert.equal(server.requests.length, 2);
  });

  it('reuses the result of a position seen before when the user backspaces to it', async () => {
    server.setHandler(() => sseReply(['compute(a, b)']));
    await controller.provide(at('x = █\n'));
    server.setHandler(() => sseReply(['ignored']));
    await controller.provide(at('x = q█\n'));
    const back = await controller.provide(at('x = █\n'));
    assert.deepEqual(
      back.suggestions.map((s) => s.insertText),
      ['compute(a, b)'],
    );
    assert.equal(back.decision.source, 'cache');
    assert.equal(controller.stats.cacheHits, 1);
  });

  it('does not serve a cached completion when the text after the cursor changed', async () => {
    server.setHandler(() => sseReply(['compute(a, b)']));
    await controller.provide(at('x = █\nprint(x)\n'));
    await controller.provide(at('x = █\nprint(y)\n'));
    assert.equal(server.requests.length, 2);
  });

  it('lets a new position reachable from a streaming request wait for it instead of asking again', async () => {
    const pieces: ReplyPiece[] = [
      completionChunk('comp'),
      { delayMs: 30 },
      completionChunk('ute(a, b)', { finishReason: 'stop' }),
      'data: [DONE]\n\n',
    ];
    server.setHandler(() => ({ pieces }));
    const editorCancel = new AbortController();
    const first = controller.provide(at('x = █\n', {}, 'automatic', editorCancel.signal));
    await until(() => server.requests.length === 1);
    editorCancel.abort(); // VS Code cancels the first call when the next key arrives
    const second = await controller.provide(at('x = co█\n'));
    assert.equal((await first).decision.outcome, 'cancelled');
    assert.deepEqual(
      second.suggestions.map((s) => s.insertText),
      ['mpute(a, b)'],
    );
    assert.equal(second.decision.source, 'typedAhead');
    assert.equal(server.requests.length, 1, 'one request served both positions');
    assert.equal(controller.stats.requestsSent, 1);
    assert.equal(controller.stats.streamJoins, 1);
    assert.equal(controller.stats.requestsAborted, 0);
  });

  it('answers a repeated call at the same position from the request already streaming', async () => {
    server.setHandler(() => ({
      pieces: [
        completionChunk('comp'),
        { delayMs: 20 },
        completionChunk('ute()', { finishReason: 'stop' }),
        'data: [DONE]\n\n',
      ],
    }));
    const cancel = new AbortController();
    const first = controller.provide(at('x = █\n', {}, 'automatic', cancel.signal));
    await until(() => server.requests.length === 1);
    cancel.abort();
    const again = await controller.provide(at('x = █\n'));
    await first;
    assert.deepEqual(
      again.suggestions.map((s) => s.insertText),
      ['compute()'],
    );
    assert.equal(again.decision.source, 'network');
    assert.equal(controller.stats.requestsSent, 1);
    assert.equal(server.requests.length, 1);
  });

  it('aborts a superseded request at once when the new position cannot use it', async () => {
    server.setHandler((r) =>
      String(r.body?.prompt).includes('y = ') ? sseReply(['2']) : { pieces: [completionChunk('1')], hang: true },
    );
    const closed = server.nextExchangeClosed();
    const first = controller.provide(at('x = █\ny = \n'));
    await until(() => server.requests.length === 1);
    const second = await controller.provide(at('x = \ny = █\n'));
    const record = await closed;
    assert.equal(record.clientClosedEarly, true);
    assert.equal((await first).decision.outcome, 'cancelled');
    assert.deepEqual(
      second.suggestions.map((s) => s.insertText),
      ['2'],
    );
    assert.equal(controller.stats.requestsAborted, 1);
    assert.equal(controller.requestsInFlight, 0);
  });

  it('never has more than one request in flight per document', async () => {
    server.setHandler(() => ({ pieces: [completionChunk('z')], hang: true }));
    const calls = ['a = █', 'b = █', 'c = █'].map((doc) => controller.provide(at(doc)));
    await until(() => server.requests.length >= 1);
    assert.ok(controller.requestsInFlight <= 1);
    controller.dispose();
    await Promise.all(calls);
    assert.equal(controller.requestsInFlight, 0);
  });

  it('waits in the middle of a line unless only closing punctuation follows, and asks at once on Invoke', async () => {
    server.setHandler(() => sseReply(['x']));
    const gated = await controller.provide(at('foo(█bar)\n'));
    assert.equal(gated.decision.outcome, 'skipped');
    assert.equal(gated.decision.reasonCode, 'midLineGate');
    assert.equal(server.requests.length, 0);
    const closing = await controller.provide(at('foo(█)\n'));
    assert.notEqual(closing.decision.reasonCode, 'midLineGate');
    const invoked = await controller.provide(at('foo(█bar)\n', {}, 'invoke'));
    assert.notEqual(invoked.decision.reasonCode, 'midLineGate');
    assert.equal(server.requests.length, 2);
  });

  it('drops a completion that repeats the next line, with a named reason', async () => {
    server.setHandler(() => sseReply(['return total']));
    const outcome = await controller.provide(at('def f():\n    █\n    return total\n'));
    assert.deepEqual(outcome.suggestions, []);
    assert.equal(outcome.decision.reasonCode, 'duplicateOfNextLine');
    assert.ok(outcome.decision.postprocessSteps?.some((s) => s.result === null));
  });

  it('hides choices below infill.minConfidence and ranks several choices by mean logprob', async () => {
    const lp = (tokens: string[], logprob: number) => ({ tokens, token_logprobs: tokens.map(() => logprob) });
    server.setHandler(() => ({
      pieces: [
        completionChunk('low()', { index: 0, finishReason: 'stop', logprobs: lp(['low', '()'], -2) }),
        completionChunk('high()', { index: 1, finishReason: 'stop', logprobs: lp(['high', '()'], -0.1) }),
        completionChunk('mid()', { index: 2, finishReason: 'stop', logprobs: lp(['mid', '()'], -0.5) }),
        'data: [DONE]\n\n',
      ],
    }));
    const ranked = await controller.provide(at('x = █\n', { n: 3, logprobs: 1 }));
    assert.deepEqual(
      ranked.suggestions.map((s) => s.insertText),
      ['high()', 'mid()', 'low()'],
    );
    controller.dispose();
    controller = new CompletionController(transport);
    const filtered = await controller.provide(at('x = █\n', { n: 3, logprobs: 1, minConfidence: 0.5 }));
    assert.deepEqual(
      filtered.suggestions.map((s) => s.insertText),
      ['high()', 'mid()'],
    );
    const none = await controller.provide(at('y = █\n', { n: 3, logprobs: 1, minConfidence: 0.99 }));
    assert.deepEqual(none.suggestions, []);
    assert.equal(none.decision.reasonCode, 'belowMinConfidence');
  });

  it('prefetches what follows a shown suggestion and serves it after acceptance (infill.speculative)', async () => {
    server.setHandler((r) =>
      String(r.body?.prompt).endsWith('return a + b') ? sseReply(['\n\nprint(add(1, 2))']) : sseReply(['return a + b']),
    );
    const { document, position } = StringDocument.withCursor('def add(a, b):\n    █', 'python', '/work/s.py');
    const request = {
      document,
      position,
      trigger: 'automatic' as const,
      settings: settings({ speculative: 'on' }),
      endpoint: { baseUrl: server.baseUrl, endpointPath: '/completions' },
    };
    const shown = await controller.provide(request);
    assert.equal(shown.suggestions[0]?.insertText, 'return a + b');
    await controller.whenIdle();
    assert.equal(server.requests.length, 2);
    assert.equal(controller.stats.speculativeRequests, 1);
    const accepted = new DocumentWithInsertion(document, position, 'return a + b');
    const next = await controller.provide({ ...request, document: accepted, position: accepted.end });
    assert.equal(next.decision.source, 'speculative');
    assert.equal(next.suggestions[0]?.insertText, '\n\nprint(add(1, 2))');
    assert.equal(server.requests.length, 2, 'no request after acceptance');
  });

  it('prefetches a position once, even when its answer is empty and leaves nothing in the cache', async () => {
    // The look-ahead answer is whitespace: nothing to cache. Typing through the shown suggestion
    // must not send it again on every keystroke.
    server.setHandler((r) =>
      String(r.body?.prompt).endsWith('return a + b') ? sseReply(['  ']) : sseReply(['return a + b']),
    );
    const { document, position } = StringDocument.withCursor('def add(a, b):\n    █', 'python', '/work/once.py');
    const request = {
      document,
      position,
      trigger: 'automatic' as const,
      settings: settings({ speculative: 'on' }),
      endpoint: { baseUrl: server.baseUrl, endpointPath: '/completions' },
    };
    await controller.provide(request);
    await controller.whenIdle();
    for (const typed of ['r', 're', 'ret', 'retu']) {
      const partly = new DocumentWithInsertion(document, position, typed);
      const served = await controller.provide({ ...request, document: partly, position: partly.end });
      assert.equal(served.suggestions[0]?.insertText, 'return a + b'.slice(typed.length), `typed ${typed}`);
      await controller.whenIdle();
    }
    const lookAheads = server.requests.filter((r) => String(r.body?.prompt).endsWith('return a + b'));
    assert.equal(lookAheads.length, 1, 'the look-ahead was sent once');
    assert.equal(server.requests.length, 2);
  });

  it('asks again at a position seen before once the model changed, instead of serving the old answer', async () => {
    server.setHandler((r) => sseReply([`from ${String(r.body?.model)}`]));
    const first = await controller.provide(at('x = █\n', { model: 'model-a' }));
    assert.equal(first.suggestions[0]?.insertText, 'from model-a');
    const again = await controller.provide(at('x = █\n', { model: 'model-a' }));
    assert.equal(again.decision.source, 'cache', 'same settings: served from the cache');
    const switched = await controller.provide(at('x = █\n', { model: 'model-b' }));
    assert.equal(switched.suggestions[0]?.insertText, 'from model-b');
    assert.equal(server.requests.length, 2);
  });

  it('a keystroke made before the stream said anything joins it, and leaves it as soon as it streams something else', async () => {
    server.setHandler((r) =>
      String(r.body?.prompt).endsWith('x = b')
        ? sseReply(['ar()'])
        : { pieces: [{ delayMs: 40 }, completionChunk('foo('), { delayMs: 60_000 }], hang: true },
    );
    const first = controller.provide(at('x = █\n'));
    await new Promise((r) => setTimeout(r, 10)); // the request is out, nothing streamed yet
    const typed = await controller.provide(at('x = b█\n'));
    assert.equal(typed.suggestions[0]?.insertText, 'ar()', 'served by a new request once the stream parted from "b"');
    assert.equal(server.requests.length, 2);
    await first;
    await controller.whenIdle();
    assert.equal(server.requests[0]?.clientClosedEarly, true, 'the parted request was aborted');
  });

  it('does not prefetch for a paid provider in auto mode', async () => {
    server.setHandler(() => sseReply(['return a + b']));
    const shown = await controller.provide(at('def add(a, b):\n    █', { provider: 'openai', speculative: 'auto' }));
    assert.equal(shown.suggestions.length, 1);
    await controller.whenIdle();
    assert.equal(server.requests.length, 1);
  });

  it('uses the model FIM template when the server ignores suffix, with its end tokens as stops', async () => {
    server.setHandler(() => sseReply(['a + b']));
    await controller.provide(
      at('def add(a, b):\n    return █\n', { provider: 'vllm', model: 'Qwen/Qwen2.5-Coder-7B' }),
    );
    const body = server.requests[0]!.body!;
    assert.equal(body.prompt, '<|fim_prefix|>def add(a, b):\n    return <|fim_suffix|>\n<|fim_middle|>');
    assert.equal(body.suffix, undefined);
    assert.ok((body.stop as string[]).includes('<|endoftext|>'));
  });

  it('a fixed debounce lets only the last of quick calls ask', async () => {
    server.setHandler(() => sseReply(['1']));
    const first = controller.provide(at('x = █', { debounceMs: 30 }));
    const second = controller.provide(at('x = 2█', { debounceMs: 30 }));
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.decision.reasonCode, 'superseded');
    assert.equal(b.decision.outcome, 'shown');
    assert.equal(server.requests.length, 1);
  });

  it('reads the document window once per keystroke: the gate, the cache, the prompt and post-processing share it', async () => {
    server.setHandler(() => sseReply(['compute()']));
    const request = at('def f():\n    x = █\n    return x\n');
    const cursorLine = request.position.line;
    let cursorLineReads = 0;
    const counted = {
      languageId: request.document.languageId,
      fileName: request.document.fileName,
      eol: request.document.eol,
      lineCount: request.document.lineCount,
      lineText: (line: number) => {
        if (line === cursorLine) cursorLineReads++;
        return request.document.lineText(line);
      },
    };
    const outcome = await controller.provide({ ...request, document: counted });
    assert.equal(outcome.decision.outcome, 'shown');
    assert.equal(server.requests.length, 1);
    assert.equal(cursorLineReads, 1, 'the cursor line was read once');
  });

  it('reports an unknown provider as an error decision instead of throwing', async () => {
    const outcome = await controller.provide(at('x = █', { provider: 'nope' }));
    assert.equal(outcome.decision.outcome, 'error');
    assert.match(outcome.decision.reason, /infill\.provider/);
  });
});
