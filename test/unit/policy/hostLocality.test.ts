import * as assert from 'node:assert/strict';
import { hostLocality, isLocalNetworkUrl, isLocalOrigin } from '../../../src/core/policy/hostLocality';
import { keyTransportVerdict } from '../../../src/core/policy/originPolicy';
import { resolveProvider } from '../../../src/core/providers/providerPresets';
import { proxyFor } from '../../../src/core/transport/proxyConfig';

describe('hostLocality', () => {
  it('recognizes local network addresses', () => {
    for (const url of [
      'http://localhost:1',
      'http://127.0.0.1',
      'http://[::1]:8080',
      'http://10.1.2.3',
      'http://172.20.0.1',
      'http://mac.local',
    ])
      assert.ok(isLocalNetworkUrl(url), url);
    for (const url of ['https://api.openai.com', 'http://172.32.0.1', 'http://8.8.8.8', 'not a url'])
      assert.equal(isLocalNetworkUrl(url), false, url);
  });

  it('tells this machine from the local network from the rest', () => {
    assert.equal(hostLocality('0.0.0.0'), 'thisMachine');
    assert.equal(hostLocality('[::1]'), 'thisMachine');
    assert.equal(hostLocality('localhost.'), 'thisMachine');
    assert.equal(hostLocality('192.168.1.20'), 'localNetwork');
    assert.equal(hostLocality('fd12:3456::1'), 'localNetwork');
    assert.equal(hostLocality('host.docker.internal'), 'localNetwork');
    assert.equal(hostLocality('192.169.1.20'), 'remote');
    assert.equal(hostLocality('localhost.evil.example'), 'remote');
  });

  // The three questions used to answer differently for 0.0.0.0 (local for the key, proxied anyway).
  it('gives the key, the proxy bypass and the presets the same answer for every host on this machine', () => {
    const proxy = { proxyUrl: 'http://corp:3128' };
    for (const origin of ['http://0.0.0.0:8080', 'http://[::ffff:127.0.0.1]:8080', 'http://localhost.localdomain:1']) {
      assert.equal(isLocalOrigin(origin), true, origin);
      assert.deepEqual(keyTransportVerdict(`${origin}/v1/completions`, true, []), { kind: 'send' }, origin);
      assert.equal(proxyFor(new URL(origin), proxy), undefined, origin);
      const custom = resolveProvider({ provider: 'custom', baseUrl: `${origin}/v1`, endpointPath: '' });
      assert.equal(custom.local, true, origin);
      assert.equal(custom.paid, false, origin);
    }
  });

  it('keeps the key and the proxy strict for the local network, while the presets count it as local', () => {
    const origin = 'http://192.168.1.20:11434';
    assert.equal(keyTransportVerdict(`${origin}/v1/completions`, true, []).kind, 'ask');
    assert.equal(proxyFor(new URL(origin), { proxyUrl: 'http://corp:3128' }), 'http://corp:3128');
    assert.equal(resolveProvider({ provider: 'custom', baseUrl: `${origin}/v1`, endpointPath: '' }).local, true);
  });
});
