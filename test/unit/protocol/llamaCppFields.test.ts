import * as assert from 'node:assert/strict';
import { assemblePrompt } from '../../../src/core/prompt/promptAssembler';
import { StringDocument } from '../../../src/core/prompt/textDocumentLike';
import { requestCompletion } from '../../../src/core/protocol/completionClient';
import { GHOST_TEXT_MAX_PREDICT_MS } from '../../../src/core/protocol/llamaCppFields';
import { buildCompletionRequest } from '../../../src/core/protocol/requestBuilder';
import { PROVIDER_IDS, resolveProvider, type ResolvedProvider } from '../../../src/core/providers/providerPresets';
import { DEFAULT_SETTINGS, type InfillSettings } from '../../../src/core/settings';
import { HttpTransport } from '../../../src/core/transport/httpTransport';
import { startTokenServer, type TokenServer } from '../../fixtures/scriptedServer';

const LLAMA_ONLY = ['cache_prompt', 'id_slot', 't_max_predict_ms', 'n_indent'];

function settingsFor(provider: string, baseUrl = ''): InfillSettings {
  return { ...DEFAULT_SETTINGS, provider, baseUrl, model: 'qwen2.5-coder-1.5b', contextOpenFiles: false };
}

/** The request the engine would send for the cursor (█) in `text`. */
function requestFor(
  text: string,
  settings: InfillSettings,
  provider: ResolvedProvider,
  options: { fileName?: string; purpose?: 'ghostText' | 'command' } = {},
) {
  const { document, position } = StringDocument.withCursor(text, 'python', options.fileName ?? '/a.py');
  const assembled = assemblePrompt({ document, position, settings, provider });
  return buildCompletionRequest(settings, assembled.parts, provider, options.purpose);
}

describe('llama.cpp fields in the llamacpp preset', () => {
  const settings = settingsFor('llamacpp');
  const provider = resolveProvider(settings);

  it('asks for the prompt cache, a slot and a time limit for ghost text; commands get no limit', () => {
    const ghost = requestFor('def f(x):\n    return █\n', settings, provider).body;
    assert.equal(ghost.cache_prompt, true);
    assert.equal(ghost.id_slot, 0);
    assert.equal(ghost.t_max_predict_ms, GHOST_TEXT_MAX_PREDICT_MS);
    assert.equal('n_indent' in ghost, false, 'mid-statement: no indent limit');
    const command = requestFor('def f(x):\n    return █\n', settings, provider, { purpose: 'command' }).body;
    assert.equal('t_max_predict_ms' in command, false);
    assert.equal(command.cache_prompt, true);
  });

  it('sends n_indent at the start of an indented statement', () => {
    assert.equal(requestFor('def f(x):\n    █\n', settings, provider).body.n_indent, 4);
    assert.equal('n_indent' in requestFor('x = 1\n█\n', settings, provider).body, false);
  });

  it('pins each document to a slot of its own when the server has several, always the same one', () => {
    const slotted = { ...provider, learned: { totalSlots: 4 } };
    const slots = new Set<unknown>();
    for (const name of ['/a.py', '/b.py', '/c.py', '/d.py', '/e.py', '/f.py']) {
      const slot = requestFor('x = █', settings, slotted, { fileName: name }).body.id_slot;
      assert.equal(requestFor('y = █', settings, slotted, { fileName: name }).body.id_slot, slot, name);
      assert.ok(typeof slot === 'number' && slot >= 0 && slot < 4, String(slot));
      slots.add(slot);
    }
    assert.ok(slots.size > 1, 'documents spread over the slots');
  });

  it('no other preset sends them', () => {
    for (const id of PROVIDER_IDS) {
      if (id === 'llamacpp') continue;
      const other = settingsFor(id, id === 'custom' ? 'http://127.0.0.1:9/v1' : '');
      const body = requestFor('def f(x):\n    █\n', other, resolveProvider(other)).body;
      for (const field of LLAMA_ONLY) assert.equal(field in body, false, `${id}: ${field}`);
    }
  });

  it('infill.extraBody can still take a field out (null)', () => {
    const body = requestFor('x = █', { ...settings, extraBody: { id_slot: null } }, provider).body;
    assert.equal('id_slot' in body, false);
  });
});

describe('llama.cpp fields against the scripted llama.cpp server', () => {
  let server: TokenServer;
  let transport: HttpTransport;
  const send = (body: Record<string, unknown>) =>
    requestCompletion(transport, { baseUrl: server.baseUrl, endpointPath: '/completions' }, body as never);

  beforeEach(() => {
    transport = new HttpTransport();
  });
  afterEach(async () => {
    await transport.close();
    await server.close();
  });

  it('cache_prompt: one more typed character costs a few tokens, not the prompt', async () => {
    server = await startTokenServer({ llama: { promptTokensPerSecond: 1e5 }, answer: () => ['1'] });
    const settings = { ...settingsFor('llamacpp', server.baseUrl) };
    const provider = resolveProvider(settings);
    const file = 'import os\n\n' + 'def helper_%d(path):\n    return os.path.join(path, "x")\n\n'.repeat(30);
    const first = await send(requestFor(file + 'value = █\n', settings, provider).body);
    const second = await send(requestFor(file + 'value = h█\n', settings, provider).body);
    assert.ok(first.serverTimings!.promptTokens > 300, String(first.serverTimings?.promptTokens));
    assert.ok(second.serverTimings!.promptTokens <= 8, String(second.serverTimings?.promptTokens));
    assert.equal(server.exchanges[1]!.request.body?.cache_prompt, true);
  });

  it('id_slot: two documents on a two-slot server each keep their cache', async () => {
    server = await startTokenServer({ llama: { promptTokensPerSecond: 1e5, slots: 2 }, answer: () => ['1'] });
    const settings = settingsFor('llamacpp', server.baseUrl);
    const provider = { ...resolveProvider(settings), learned: { totalSlots: 2 } };
    const names = ['/a.py', '/b.py', '/c.py', '/d.py'];
    const slotOf = (name: string) => requestFor('x█', settings, provider, { fileName: name }).body.id_slot;
    const [a, b] = [names[0]!, names.find((n) => slotOf(n) !== slotOf(names[0]!))!];
    const textOf = (name: string, typed: string) => `# ${name}\n` + `line_of(${name}) = 1\n`.repeat(40) + `${typed}█\n`;
    for (const typed of ['v', 'va', 'val']) {
      for (const name of [a, b])
        await send(requestFor(textOf(name, typed), settings, provider, { fileName: name }).body);
    }
    const warm = server.exchanges.slice(2).map((e) => e.prompt!.evaluated);
    assert.ok(
      warm.every((n) => n <= 8),
      `evaluated after the first round: ${warm.join(', ')}`,
    );
    assert.deepEqual(
      server.exchanges.map((e) => e.prompt!.slot),
      [slotOf(a), slotOf(b), slotOf(a), slotOf(b), slotOf(a), slotOf(b)],
    );
  });

  it('t_max_predict_ms: generation stops once a line is complete and the time is up', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `    x${i} = ${i}\n`);
    server = await startTokenServer({ llama: { promptTokensPerSecond: 1e5 }, tokenDelayMs: 5, answer: () => lines });
    const result = await send({ model: 'm', prompt: 'def f():\n', max_tokens: 64, stream: true, t_max_predict_ms: 40 });
    const text = result.choices[0]!.text;
    assert.ok(text.split('\n').length < 30, `${text.split('\n').length} lines`);
    assert.ok(text.endsWith('\n'), 'ends on a complete line');
    const unlimited = await send({ model: 'm', prompt: 'def f():\n', max_tokens: 64, stream: true });
    assert.equal(unlimited.choices[0]!.text, lines.join(''));
  });

  it('n_indent: the server stops before a line that leaves the block', async () => {
    server = await startTokenServer({
      llama: { promptTokensPerSecond: 1e5 },
      answer: () => ['total = 0', '\n', '    ', 'return total', '\n', 'print', '(f())', '\n'],
    });
    const settings = settingsFor('llamacpp', server.baseUrl);
    const body = requestFor('def f():\n    █\n', settings, resolveProvider(settings)).body;
    const result = await send(body);
    assert.equal(result.choices[0]!.text, 'total = 0\n    return total\n');
  });
});
