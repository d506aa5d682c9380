import * as assert from 'node:assert/strict';
import { isLocalHost, isLocalOrigin } from '../../../src/core/policy/hostLocality';
import { keyTransportVerdict } from '../../../src/core/policy/originPolicy';

describe('originPolicy', () => {
  it('recognizes loopback hosts', () => {
    for (const url of [
      'http://localhost:11434/v1',
      'http://LOCALHOST/',
      'http://api.localhost/',
      'http://127.0.0.1:8080',
      'http://127.1.2.3/',
      'http://[::1]:8000/',
      'http://0.0.0.0:1234/',
      'http://[::ffff:127.0.0.1]/',
    ]) {
      assert.equal(isLocalOrigin(url), true, url);
    }
  });

  it('does not take look-alikes for loopback', () => {
    for (const url of [
      'http://localhost.evil.example/',
      'http://127.0.0.1.nip.io/',
      'http://10.0.0.5/',
      'http://192.168.1.2:11434/',
      'http://[::2]/',
      'http://example.com/',
    ]) {
      assert.equal(isLocalOrigin(url), false, url);
    }
    assert.equal(isLocalHost('128.0.0.1'), false);
  });

  it('sends a key over https and to local servers without asking', () => {
    assert.deepEqual(keyTransportVerdict('https://api.openai.com/v1/completions', true, []), { kind: 'send' });
    assert.deepEqual(keyTransportVerdict('http://127.0.0.1:8080/v1/completions', true, []), { kind: 'send' });
  });

  it('asks before sending a key over http to another host, naming the origin', () => {
    assert.deepEqual(keyTransportVerdict('http://relay.example:8080/v1/completions', true, []), {
      kind: 'ask',
      origin: 'http://relay.example:8080',
    });
  });

  it('does not ask again for an origin the user approved, but does for another', () => {
    const approved = new Set(['http://relay.example:8080']);
    assert.deepEqual(keyTransportVerdict('http://relay.example:8080/v3/openai/completions', true, approved), {
      kind: 'send',
    });
    assert.equal(keyTransportVerdict('http://relay.example:9090/v1', true, approved).kind, 'ask');
    assert.equal(keyTransportVerdict('http://other.example/v1', true, ['http://relay.example:8080']).kind, 'ask');
  });

  it('does not ask when no key is sent', () => {
    assert.deepEqual(keyTransportVerdict('http://relay.example/v1', false, []), { kind: 'send' });
  });

  it('reports an unparsable URL instead of throwing', () => {
    assert.deepEqual(keyTransportVerdict('not a url', true, []), { kind: 'invalid' });
  });
});
