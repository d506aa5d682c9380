import * as assert from 'node:assert/strict';
import { matchesNoProxy, proxyFor } from '../../../src/core/transport/proxyConfig';

const u = (s: string) => new URL(s);

describe('proxyFor', () => {
  it('uses the explicit proxy (http.proxy) first', () => {
    assert.equal(
      proxyFor(u('https://api.openai.com/v1'), { proxyUrl: 'http://corp:3128', env: { HTTPS_PROXY: 'http://env:1' } }),
      'http://corp:3128',
    );
  });

  it('falls back to HTTPS_PROXY / HTTP_PROXY by scheme', () => {
    const env = { HTTPS_PROXY: 'http://s:1', HTTP_PROXY: 'http://p:1' };
    assert.equal(proxyFor(u('https://a.example/v1'), { env }), 'http://s:1');
    assert.equal(proxyFor(u('http://a.example/v1'), { env }), 'http://p:1');
    assert.equal(proxyFor(u('https://a.example/v1'), { env: { https_proxy: 'http://lower:1' } }), 'http://lower:1');
    assert.equal(proxyFor(u('https://a.example/v1'), { env: {} }), undefined);
  });

  it('NO_PROXY and http.noProxy exempt hosts, curl-style', () => {
    const env = { HTTPS_PROXY: 'http://s:1', NO_PROXY: 'internal.corp, .lan,gpu:8443' };
    assert.equal(proxyFor(u('https://llm.internal.corp/v1'), { env }), undefined);
    assert.equal(proxyFor(u('https://box.lan/v1'), { env }), undefined);
    assert.equal(proxyFor(u('https://gpu:8443/v1'), { env }), undefined);
    assert.equal(proxyFor(u('https://gpu/v1'), { env }), 'http://s:1');
    assert.equal(proxyFor(u('https://api.openai.com/v1'), { env, noProxy: ['openai.com'] }), undefined);
    assert.equal(proxyFor(u('https://notinternal.corp/v1'), { env }), 'http://s:1');
    assert.equal(proxyFor(u('https://x.y/v1'), { env: { HTTPS_PROXY: 'http://s:1', NO_PROXY: '*' } }), undefined);
  });

  it('never sends a server on this machine through a proxy, unless told to', () => {
    assert.equal(proxyFor(u('http://127.0.0.1:11434/v1'), { proxyUrl: 'http://corp:3128' }), undefined);
    assert.equal(proxyFor(u('http://localhost:8080/v1'), { proxyUrl: 'http://corp:3128' }), undefined);
    assert.equal(proxyFor(u('http://[::1]:8080/v1'), { proxyUrl: 'http://corp:3128' }), undefined);
    assert.equal(
      proxyFor(u('http://127.0.0.1:11434/v1'), { proxyUrl: 'http://corp:3128', bypassLoopback: false }),
      'http://corp:3128',
    );
  });

  it('matchesNoProxy handles ports and IPv6', () => {
    assert.equal(matchesNoProxy('[::1]:80', '::1', '80'), true);
    assert.equal(matchesNoProxy('*.corp', 'a.corp', '443'), true);
    assert.equal(matchesNoProxy('', 'a', '1'), false);
  });
});
