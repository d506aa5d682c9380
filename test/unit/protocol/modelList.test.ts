import * as assert from 'node:assert/strict';
import { InfillError } from '../../../src/core/infillError';
import { fetchModelIds, modelsUrl, parseModelIds } from '../../../src/core/protocol/modelList';
import { freshServerAndTransport } from '../../fixtures/serverAndTransport';

describe('modelList', () => {
  const env = freshServerAndTransport();

  it('GETs {baseUrl}/models with the key and lists the ids, sorted', async () => {
    env.server.setHandler(() => ({
      headers: { 'content-type': 'application/json' },
      pieces: [
        JSON.stringify({
          object: 'list',
          data: [{ id: 'qwen2.5-coder:7b' }, { id: 'deepseek-coder' }, { id: 'qwen2.5-coder:7b' }],
        }),
      ],
    }));
    const ids = await fetchModelIds(env.transport, {
      baseUrl: `${env.server.baseUrl}/`,
      apiKey: 'sk-test-abcdefgh',
      headers: { 'x-team': 'a' },
    });
    assert.deepEqual(ids, ['deepseek-coder', 'qwen2.5-coder:7b']);
    const req = env.server.requests[0]!;
    assert.equal(req.method, 'GET');
    assert.equal(req.url, '/v1/models');
    assert.equal(req.headers.authorization, 'Bearer sk-test-abcdefgh');
    assert.equal(req.headers['x-team'], 'a');
  });

  it('reports a server without the route as a typed error', async () => {
    env.server.setHandler(() => ({
      status: 404,
      headers: { 'content-type': 'text/html' },
      pieces: ['<html><title>404 Not Found</title></html>'],
    }));
    await assert.rejects(
      fetchModelIds(env.transport, { baseUrl: env.server.baseUrl }),
      (err: unknown) => err instanceof InfillError && err.kind === 'notFound',
    );
  });

  it('reports a body that is not JSON as a protocol error', async () => {
    env.server.setHandler(() => ({ headers: { 'content-type': 'text/plain' }, pieces: ['hello'] }));
    await assert.rejects(
      fetchModelIds(env.transport, { baseUrl: env.server.baseUrl }),
      (err: unknown) => err instanceof InfillError && err.kind === 'protocol',
    );
  });

  it('reads the list shapes servers use', () => {
    assert.deepEqual(parseModelIds({ data: [{ id: 'b' }, { id: 'a' }] }), ['a', 'b']);
    assert.deepEqual(parseModelIds({ models: [{ name: 'llama3:8b', model: 'llama3:8b' }, { name: 'x' }] }), [
      'llama3:8b',
      'x',
    ]);
    assert.deepEqual(parseModelIds(['m1', { id: 'm2' }, 3, null, { id: '' }]), ['m1', 'm2']);
    assert.deepEqual(parseModelIds({ error: 'nope' }), []);
    assert.deepEqual(parseModelIds('x'), []);
  });

  it('rejects a base URL that is not http(s)', () => {
    assert.throws(() => modelsUrl('ftp://x/v1'), InfillError);
    assert.throws(() => modelsUrl('not a url'), InfillError);
    assert.equal(modelsUrl('http://h/v1///').toString(), 'http://h/v1/models');
  });
});
