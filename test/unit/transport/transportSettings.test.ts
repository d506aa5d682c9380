import * as assert from 'node:assert/strict';
import { InfillError } from '../../../src/core/infillError';
import { DEFAULT_SETTINGS } from '../../../src/core/settings';
import {
  retryPolicyFromSettings,
  transportOptionsAndProblems,
  transportOptionsFromSettings,
} from '../../../src/core/transport/transportSettings';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('transportOptionsFromSettings', () => {
  it('maps timeouts, proxy and certificate checks', () => {
    const o = transportOptionsFromSettings({
      ...DEFAULT_SETTINGS,
      headersTimeoutMs: 5000,
      proxyUrl: 'http://corp:3128',
      proxyStrictSSL: false,
      noProxy: ['a'],
    });
    assert.equal(o.headersTimeoutMs, 5000);
    assert.equal(o.proxyUrl, 'http://corp:3128');
    assert.equal(o.rejectUnauthorized, false);
    assert.deepEqual(o.noProxy, ['a']);
    assert.equal(o.caCertificates, undefined);
  });

  it('keeps going past a bad setting: system certificates stay, a non-http proxy is left out, each reported', () => {
    const { options, problems } = transportOptionsAndProblems(
      { ...DEFAULT_SETTINGS, caCertificateFile: '/nope.pem', proxyUrl: 'socks5://corp:1080', headersTimeoutMs: 7000 },
      () => {
        throw new Error('ENOENT: no such file');
      },
    );
    assert.equal(options.caCertificates, undefined);
    assert.equal(options.proxyUrl, '');
    assert.equal(options.headersTimeoutMs, 7000);
    assert.deepEqual(
      problems.map((p) => [p.kind, /caCertificateFile/.test(p.message), /proxy URL/.test(p.message)]),
      [
        ['config', true, false],
        ['config', false, true],
      ],
    );
    assert.deepEqual(transportOptionsAndProblems(DEFAULT_SETTINGS).problems, []);
  });

  it('reads the CA certificate file', () => {
    const o = transportOptionsFromSettings({ ...DEFAULT_SETTINGS, caCertificateFile: '/etc/corp-ca.pem' }, (p) =>
      p === '/etc/corp-ca.pem' ? PEM : '',
    );
    assert.equal(o.caCertificates, PEM);
  });

  it('a missing or non-PEM CA file is a config error naming infill.caCertificateFile', () => {
    const missing = () =>
      transportOptionsFromSettings({ ...DEFAULT_SETTINGS, caCertificateFile: '/nope.pem' }, () => {
        throw new Error('ENOENT: no such file');
      });
    assert.throws(
      missing,
      (err: unknown) =>
        err instanceof InfillError && err.kind === 'config' && /infill\.caCertificateFile.*ENOENT/.test(err.message),
    );
    assert.throws(
      () => transportOptionsFromSettings({ ...DEFAULT_SETTINGS, caCertificateFile: '/x.pem' }, () => 'not a cert'),
      (err: unknown) => err instanceof InfillError && /no PEM certificate/.test(err.message),
    );
  });

  it('a proxy URL that is not http(s) is a config error', () => {
    assert.throws(
      () => transportOptionsFromSettings({ ...DEFAULT_SETTINGS, proxyUrl: 'socks5://x:1' }),
      (err: unknown) => err instanceof InfillError && err.kind === 'config',
    );
  });

  it('bounds the retry settings', () => {
    assert.deepEqual(retryPolicyFromSettings({ retryMaxAttempts: 99, retryMaxWaitMs: 500 }), {
      maxRetries: 5,
      maxWaitMs: 500,
      baseDelayMs: 250,
    });
    assert.equal(retryPolicyFromSettings({ retryMaxAttempts: -1, retryMaxWaitMs: 500 }).maxRetries, 0);
  });
});
