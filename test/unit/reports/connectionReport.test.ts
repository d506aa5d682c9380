import * as assert from 'node:assert/strict';
import {
  summarizeConnectionTest,
  tokensPerSecond,
  type ConnectionTestInput,
} from '../../../src/core/reports/connectionReport';

const base: Omit<ConnectionTestInput, 'result' | 'error'> = {
  url: 'https://api.example/v1/completions',
  requestedModel: 'm-1',
  keySent: true,
  keyRequired: true,
};
const line = (r: ReturnType<typeof summarizeConnectionTest>, label: string) => r.lines.find((l) => l.label === label);

describe('summarizeConnectionTest', () => {
  it('reports reachability, auth, model, first byte, first token and speed of a good answer', () => {
    const r = summarizeConnectionTest({
      ...base,
      result: {
        status: 200,
        model: 'm-1',
        text: 'return a + b',
        finishReason: 'length',
        usage: { prompt_tokens: 9, completion_tokens: 11 },
        timing: { headersMs: 120.4, firstTokenMs: 200, totalMs: 700 },
      },
    });
    assert.equal(r.ok, true);
    assert.deepEqual(line(r, 'Reachable'), { label: 'Reachable', value: 'yes (HTTP 200)', ok: true });
    assert.equal(line(r, 'Authentication')?.value, 'accepted');
    assert.equal(line(r, 'Model')?.value, 'm-1');
    assert.equal(line(r, 'Time to first byte')?.value, '120 ms');
    assert.equal(line(r, 'Time to first token')?.value, '200 ms');
    // 10 tokens after the first, in 0.5 s.
    assert.equal(r.tokensPerSecond, 20);
    assert.equal(r.speedEstimated, false);
    assert.match(r.headline, /first token after 200 ms, 20\.0 tokens\/s/);
  });

  it('says when the server answered as another model', () => {
    const r = summarizeConnectionTest({
      ...base,
      result: {
        status: 200,
        model: 'loaded.gguf',
        text: 'x',
        finishReason: 'stop',
        timing: { headersMs: 1, totalMs: 2 },
      },
    });
    assert.equal(line(r, 'Model')?.value, 'm-1 (the server answered as loaded.gguf)');
  });

  it('an unreachable server is a failed reachability check', () => {
    const r = summarizeConnectionTest({ ...base, error: { kind: 'network', message: 'Connection refused' } });
    assert.equal(r.ok, false);
    assert.deepEqual(line(r, 'Reachable'), { label: 'Reachable', value: 'no: Connection refused', ok: false });
    assert.equal(line(r, 'Authentication'), undefined);
  });

  it('a 401 is reachable but failed authentication, with a hint when no key was sent', () => {
    const rejected = summarizeConnectionTest({
      ...base,
      error: { kind: 'auth', message: 'HTTP 401 (check the API key): invalid key', status: 401 },
    });
    assert.equal(line(rejected, 'Reachable')?.ok, true);
    assert.equal(line(rejected, 'Authentication')?.ok, false);
    assert.match(line(rejected, 'Authentication')!.value, /rejected/);
    const missing = summarizeConnectionTest({
      ...base,
      keySent: false,
      error: { kind: 'auth', message: 'HTTP 401', status: 401 },
    });
    assert.match(line(missing, 'Authentication')!.value, /Set API Key/);
  });

  it('a 404 points at the URL and model settings', () => {
    const r = summarizeConnectionTest({ ...base, error: { kind: 'notFound', message: 'HTTP 404', status: 404 } });
    assert.match(line(r, 'Hint')!.value, /infill.baseUrl/);
  });
});

describe('tokensPerSecond', () => {
  it('estimates from characters when the server reports no usage', () => {
    const s = tokensPerSecond({
      status: 200,
      text: 'x'.repeat(35),
      finishReason: 'length',
      timing: { headersMs: 1, firstTokenMs: 100, totalMs: 1100 },
    });
    assert.deepEqual(s, { value: 9, estimated: true });
  });
  it('gives nothing without a first token or with a single token', () => {
    assert.equal(
      tokensPerSecond({ status: 200, text: 'abc', finishReason: null, timing: { headersMs: 1, totalMs: 5 } }),
      undefined,
    );
    assert.equal(
      tokensPerSecond({
        status: 200,
        text: 'a',
        finishReason: null,
        usage: { completion_tokens: 1 },
        timing: { headersMs: 1, firstTokenMs: 2, totalMs: 5 },
      }),
      undefined,
    );
  });
});
