import * as assert from 'node:assert/strict';
import { errorFromResponse, parseRetryAfter } from '../../../src/core/protocol/httpErrorMapper';

describe('errorFromResponse', () => {
  it('reads an OpenAI-style error object', () => {
    const err = errorFromResponse(
      401,
      { 'content-type': 'application/json' },
      '{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}',
    );
    assert.equal(err.kind, 'auth');
    assert.equal(err.status, 401);
    assert.equal(err.code, 'invalid_api_key');
    assert.match(err.message, /Incorrect API key provided/);
  });

  it('reads relay shapes ({message}, {msg}, {error:"..."})', () => {
    assert.match(errorFromResponse(403, {}, '{"code":403,"msg":"余额不足"}').message, /余额不足/);
    assert.match(errorFromResponse(400, {}, '{"error":"model not found"}').message, /model not found/);
    assert.match(errorFromResponse(404, {}, '{"message":"no route"}').message, /no route/);
  });

  it('never passes an HTML page through, only its title', () => {
    const html =
      '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>';
    const err = errorFromResponse(502, { 'content-type': 'text/html' }, html);
    assert.equal(err.kind, 'server');
    assert.match(err.message, /502 Bad Gateway/);
    assert.doesNotMatch(err.message, /<|nginx/);
  });

  it('maps statuses to kinds', () => {
    const kinds = [401, 403, 404, 429, 500, 503, 400, 422, 504].map((s) => errorFromResponse(s, {}, '').kind);
    assert.deepEqual(kinds, [
      'auth',
      'forbidden',
      'notFound',
      'rateLimited',
      'server',
      'server',
      'invalidRequest',
      'invalidRequest',
      'timeout',
    ]);
  });

  it('carries Retry-After on 429', () => {
    const err = errorFromResponse(429, { 'retry-after': '7' }, '{"error":{"message":"slow down"}}');
    assert.equal(err.retryAfterSeconds, 7);
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('12', now), 12);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now), 30);
    assert.equal(parseRetryAfter('soon', now), undefined);
  });
});
