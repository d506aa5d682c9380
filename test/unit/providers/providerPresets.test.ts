import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InfillError } from '../../../src/core/infillError';
import { isLocalNetworkUrl } from '../../../src/core/policy/hostLocality';
import { PROVIDER_IDS, PROVIDER_PRESETS, resolveProvider } from '../../../src/core/providers/providerPresets';

const root = path.resolve(__dirname, '../../..');

describe('resolveProvider', () => {
  it('fills baseUrl and endpointPath from the preset when the settings are empty', () => {
    const p = resolveProvider({ provider: 'ppinfra', baseUrl: '', endpointPath: '' });
    assert.equal(p.baseUrl, 'https://api.ppinfra.com/v3/openai');
    assert.equal(p.endpointPath, '/completions');
    assert.equal(p.paid, true);
    assert.equal(p.acceptsSuffix, false);
    assert.ok(p.unsupportedParams.has('suffix'));
  });

  it('an explicit infill.baseUrl / infill.endpointPath overrides the preset, quirks stay', () => {
    const p = resolveProvider({
      provider: 'llamacpp',
      baseUrl: 'http://gpu-box:8080/v1',
      endpointPath: '/v1/../completions',
    });
    assert.equal(p.baseUrl, 'http://gpu-box:8080/v1');
    assert.equal(p.endpointPath, '/v1/../completions');
    assert.ok(p.unsupportedParams.has('echo'));
    assert.equal(p.requiresMaxTokens, true);
  });

  it('an unknown provider is a config error naming infill.provider and the choices', () => {
    assert.throws(
      () => resolveProvider({ provider: 'olama', baseUrl: '', endpointPath: '' }),
      (err: unknown) =>
        err instanceof InfillError && err.kind === 'config' && /infill\.provider "olama".*ollama/.test(err.message),
    );
  });

  it('a custom server is free when it is on this machine or the LAN, otherwise treated as paid', () => {
    assert.equal(
      resolveProvider({ provider: 'custom', baseUrl: 'http://192.168.1.20:8000/v1', endpointPath: '' }).paid,
      false,
    );
    assert.equal(
      resolveProvider({ provider: 'custom', baseUrl: 'https://llm.example.com/v1', endpointPath: '' }).paid,
      true,
    );
    assert.equal(resolveProvider({ provider: 'custom', baseUrl: '', endpointPath: '' }).acceptsSuffix, 'unknown');
  });

  it('learned capabilities narrow a preset but never widen it', () => {
    const learned = resolveProvider(
      { provider: 'llamacpp', baseUrl: '', endpointPath: '' },
      { acceptsSuffix: true, rejectedParams: ['logit_bias'], maxStops: 8 },
    );
    assert.equal(learned.acceptsSuffix, false);
    assert.ok(learned.unsupportedParams.has('suffix'));
    assert.ok(learned.unsupportedParams.has('logit_bias'));
    assert.equal(learned.maxStops, 8);
    const custom = resolveProvider(
      { provider: 'custom', baseUrl: 'http://127.0.0.1:1/v1', endpointPath: '' },
      { acceptsSuffix: true, maxStops: 16 },
    );
    assert.equal(custom.acceptsSuffix, true);
    assert.equal(custom.maxStops, 16);
  });

  it('every preset but custom has a valid URL, and acceptsSuffix false always withholds suffix', () => {
    for (const id of PROVIDER_IDS) {
      const p = resolveProvider({ provider: id, baseUrl: '', endpointPath: '' });
      if (id !== 'custom') assert.doesNotThrow(() => new URL(p.baseUrl + p.endpointPath), id);
      if (p.acceptsSuffix === false) assert.ok(p.unsupportedParams.has('suffix'), id);
      assert.equal(p.local, PROVIDER_PRESETS[id].local || isLocalNetworkUrl(p.baseUrl), id);
    }
  });
});

describe('provider documentation', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(
    readme.indexOf('## Providers'),
    readme.indexOf('\n## ', readme.indexOf('## Providers') + 5),
  );
  const rows = section.split('\n').filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l));

  it('the README provider table has a working row for every preset: id, base URL, endpoint path, suffix support', () => {
    for (const id of PROVIDER_IDS) {
      const row = rows.find((r) => r.includes(`\`${id}\``));
      assert.ok(row, `no README row for ${id}`);
      const p = PROVIDER_PRESETS[id];
      if (p.baseUrl) assert.ok(row.includes(`\`${p.baseUrl}\``), `${id}: README base URL differs from ${p.baseUrl}`);
      assert.ok(row.includes(`\`${p.endpointPath}\``), `${id}: README endpoint path differs`);
      const suffixWord = p.acceptsSuffix === true ? 'yes' : p.acceptsSuffix === false ? 'no' : 'probed';
      assert.ok(row.toLowerCase().includes(suffixWord), `${id}: README suffix column should say ${suffixWord}`);
    }
  });

  it('package.json offers exactly the presets as infill.provider values', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { enum?: string[]; default?: unknown }> } };
    };
    const setting = pkg.contributes.configuration.properties['infill.provider'];
    assert.deepEqual(setting?.enum, [...PROVIDER_IDS]);
    assert.equal(pkg.contributes.configuration.properties['infill.baseUrl']?.default, '');
  });
});
