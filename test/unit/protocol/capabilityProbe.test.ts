import * as assert from 'node:assert/strict';
import { MemoryCapabilityStore, capabilityKey, probeCapabilities } from '../../../src/core/protocol/capabilityProbe';
import { HttpTransport } from '../../../src/core/transport/httpTransport';
import { resolveProvider, type ProviderId } from '../../../src/core/providers/providerPresets';
import { buildCompletionRequest } from '../../../src/core/protocol/requestBuilder';
import { DEFAULT_SETTINGS } from '../../../src/core/settings';
import {
  jsonReply,
  startScriptedServer,
  transcriptReply,
  type RecordedRequest,
  type ScriptedReply,
  type ScriptedServer,
} from '../../fixtures/scriptedServer';

const NOT_FOUND: ScriptedReply = {
  status: 404,
  headers: { 'content-type': 'text/plain' },
  pieces: ['404 page not found'],
};

/** A server that fails (with the given reply) on any of the listed parameters, llama.cpp- or vLLM-style. */
function rejecting(
  params: string[],
  failure: ScriptedReply,
  extra: (r: RecordedRequest) => ScriptedReply | undefined = () => undefined,
) {
  return (r: RecordedRequest): ScriptedReply => {
    const special = extra(r);
    if (special) return special;
    if (r.url !== '/v1/completions') return NOT_FOUND;
    if (params.some((p) => r.body && p in r.body)) return failure;
    return jsonReply('x');
  };
}

describe('probeCapabilities', () => {
  let server: ScriptedServer;
  let transport: HttpTransport;
  let store: MemoryCapabilityStore;
  beforeEach(async () => {
    server = await startScriptedServer();
    transport = new HttpTransport({ headersTimeoutMs: 2000, idleTimeoutMs: 1000, totalTimeoutMs: 4000 });
    store = new MemoryCapabilityStore();
  });
  afterEach(async () => {
    await transport.close();
    await server.close();
  });

  function probe(provider: ProviderId, options: { allowPaid?: boolean; force?: boolean; model?: string } = {}) {
    const resolved = resolveProvider({ provider, baseUrl: server.baseUrl, endpointPath: '' });
    return probeCapabilities(
      transport,
      { baseUrl: resolved.baseUrl, endpointPath: resolved.endpointPath },
      options.model ?? 'm',
      resolved,
      store,
      {
        allowPaid: options.allowPaid ?? false,
        ...(options.force ? { force: true } : {}),
      },
    );
  }

  it('a custom server like llama.cpp: learns it fails on suffix, n, echo and best_of, takes many stops, and which model it runs', async () => {
    server.setHandler(
      rejecting(['suffix', 'n', 'echo', 'best_of'], transcriptReply('llamacpp-suffix-500'), (r) =>
        r.url === '/props' ? transcriptReply('llamacpp-props') : undefined,
      ),
    );
    const outcome = await probe('custom');
    assert.equal(outcome.kind, 'probed');
    if (outcome.kind !== 'probed') return;
    const r = outcome.record;
    assert.deepEqual(r.rejectedParams, ['suffix', 'n', 'echo', 'best_of']);
    assert.equal(r.acceptsSuffix, false);
    assert.equal(r.maxStops, 16);
    assert.equal(r.serverModel, 'qwen2.5-coder-1.5b-instruct-q8_0.gguf');
    assert.equal(r.contextTokens, 4096);
    assert.equal(r.totalSlots, 1);
    // combined, plain, one per parameter (5), /props.
    assert.equal(r.requests, 8);
    assert.equal(server.requests.length, 8);
    assert.ok(
      server.requests.every((q) => q.url !== '/v1/completions' || q.body?.max_tokens === 1),
      'probe requests are one token',
    );

    // What was learned keeps the client from ever sending those parameters to this server.
    const settings = { ...DEFAULT_SETTINGS, provider: 'custom', baseUrl: server.baseUrl, n: 1, echo: false };
    const learned = resolveProvider(settings, r);
    assert.equal(learned.acceptsSuffix, false);
    const { body } = buildCompletionRequest(settings, { prompt: 'x', suffix: 'y', extraStops: [] }, learned);
    for (const name of ['suffix', 'n', 'echo', 'best_of']) assert.equal(name in body, false, name);
  });

  it('a custom server like vLLM: learns that only suffix is refused (400)', async () => {
    server.setHandler(rejecting(['suffix'], transcriptReply('vllm-suffix-400')));
    const outcome = await probe('custom');
    assert.equal(outcome.kind, 'probed');
    if (outcome.kind !== 'probed') return;
    assert.deepEqual(outcome.record.rejectedParams, ['suffix']);
    assert.deepEqual(outcome.record.acceptedParams, ['n', 'echo', 'best_of']);
  });

  it('a server that takes everything costs one completion request (plus the template lookups of a custom server)', async () => {
    server.setHandler(rejecting([], NOT_FOUND));
    const outcome = await probe('custom');
    assert.equal(outcome.kind, 'probed');
    if (outcome.kind !== 'probed') return;
    assert.equal(server.requests.filter((q) => q.url === '/v1/completions').length, 1);
    assert.equal(outcome.record.acceptsSuffix, true);
    assert.equal(outcome.record.maxStops, 16);
    assert.deepEqual(
      server.requests.map((q) => `${q.method} ${q.url}`),
      ['POST /v1/completions', 'GET /props', 'POST /api/show'],
    );
  });

  it('Ollama: only what the preset does not already know is tried, and the template comes from /api/show', async () => {
    server.setHandler(
      rejecting([], NOT_FOUND, (r) => (r.url === '/api/show' ? transcriptReply('ollama-api-show') : undefined)),
    );
    const outcome = await probe('ollama', { model: 'qwen2.5-coder:1.5b' });
    assert.equal(outcome.kind, 'probed');
    if (outcome.kind !== 'probed') return;
    assert.equal(server.requests.length, 2);
    const sent = server.requests[0]?.body ?? {};
    assert.equal('suffix' in sent, true);
    for (const known of ['n', 'echo', 'best_of']) assert.equal(known in sent, false, known);
    assert.match(outcome.record.fimTemplate ?? '', /<\|fim_prefix\|>/);
    assert.equal(server.requests[1]?.body?.model, 'qwen2.5-coder:1.5b');
    // No num_ctx in the model's parameters: Ollama's smallest default, so nothing is cut silently.
    assert.equal(outcome.record.contextTokens, 2048);
  });

  it("vLLM: the model's max_model_len from /v1/models is its context", async () => {
    const models = JSON.stringify({
      object: 'list',
      data: [
        { id: 'other', max_model_len: 4096 },
        { id: 'Qwen/Qwen2.5-Coder-7B', max_model_len: 32768 },
      ],
    });
    server.setHandler(
      rejecting(['suffix'], transcriptReply('vllm-suffix-400'), (r) =>
        r.url === '/v1/models' ? { headers: { 'content-type': 'application/json' }, pieces: [models] } : undefined,
      ),
    );
    const outcome = await probe('vllm', { model: 'Qwen/Qwen2.5-Coder-7B' });
    assert.equal(outcome.kind === 'probed' && outcome.record.contextTokens, 32768);
  });

  it("Ollama: the model's num_ctx parameter is its context", async () => {
    const show = JSON.stringify({ template: '{{ .Prompt }}', parameters: 'stop "<|endoftext|>"\nnum_ctx 8192' });
    server.setHandler(
      rejecting([], NOT_FOUND, (r) =>
        r.url === '/api/show' ? { headers: { 'content-type': 'application/json' }, pieces: [show] } : undefined,
      ),
    );
    const outcome = await probe('ollama', { model: 'qwen2.5-coder:1.5b' });
    assert.equal(outcome.kind === 'probed' && outcome.record.contextTokens, 8192);
  });

  it('remembers the answer per (baseUrl, model): the next use makes no request', async () => {
    server.setHandler(rejecting(['suffix'], transcriptReply('vllm-suffix-400')));
    await probe('custom');
    const before = server.requests.length;
    const again = await probe('custom');
    assert.equal(again.kind, 'cached');
    assert.equal(server.requests.length, before);
    assert.ok(store.records.has(capabilityKey(server.baseUrl, 'm')));
    const other = await probe('custom', { model: 'other' });
    assert.equal(other.kind, 'probed');
  });

  it('never probes a paid preset without the user asking', async () => {
    server.setHandler(rejecting([], NOT_FOUND));
    const skipped = await probe('openai');
    assert.equal(skipped.kind, 'skipped');
    assert.equal(server.requests.length, 0);
    const asked = await probe('openai', { allowPaid: true });
    assert.equal(asked.kind, 'probed');
    assert.ok(server.requests.length > 0);
  });

  it('a wrong key is a failure of the server, not of a parameter, and nothing is stored', async () => {
    server.setHandler(() => ({
      status: 401,
      headers: { 'content-type': 'application/json' },
      pieces: ['{"error":{"message":"bad key"}}'],
    }));
    const outcome = await probe('custom');
    assert.equal(outcome.kind, 'failed');
    if (outcome.kind === 'failed') assert.equal(outcome.error.kind, 'auth');
    assert.equal(server.requests.length, 1);
    assert.equal(store.records.size, 0);
  });
});
