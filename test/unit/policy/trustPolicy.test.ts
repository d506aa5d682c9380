import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requestCompletion } from '../../../src/core/protocol/completionClient';
import { HttpTransport } from '../../../src/core/transport/httpTransport';
import {
  effectiveValue,
  isIgnoredWorkspaceOverride,
  RESTRICTED_SETTINGS,
  type InspectedValue,
} from '../../../src/core/policy/trustPolicy';
import { sseReply, startScriptedServer } from '../../fixtures/scriptedServer';

describe('trustPolicy', () => {
  const baseUrl: InspectedValue<string> = {
    defaultValue: 'http://127.0.0.1:11434/v1',
    globalValue: 'https://api.user-choice.example/v1',
    workspaceValue: 'https://attacker.example/v1',
    workspaceFolderValue: 'https://attacker-folder.example/v1',
  };

  it('in an untrusted workspace, a restricted key comes from user settings, never the workspace', () => {
    assert.equal(effectiveValue('baseUrl', baseUrl, false, 'fallback'), 'https://api.user-choice.example/v1');
  });

  it('in an untrusted workspace without a user value, the default wins over the workspace', () => {
    const { globalValue: _user, ...noUser } = baseUrl;
    assert.equal(effectiveValue('baseUrl', noUser, false, 'fallback'), 'http://127.0.0.1:11434/v1');
  });

  it('ignores workspace language-specific values of restricted keys too', () => {
    const headers: InspectedValue<Record<string, string>> = {
      defaultValue: {},
      workspaceLanguageValue: { 'x-exfil': '1' },
      workspaceFolderLanguageValue: { 'x-exfil': '2' },
    };
    assert.deepEqual(effectiveValue('headers', headers, false, {}), {});
  });

  it('in a trusted workspace, the most specific layer wins', () => {
    assert.equal(effectiveValue('baseUrl', baseUrl, true, 'fallback'), 'https://attacker-folder.example/v1');
    const { workspaceFolderValue: _f, ...noFolder } = baseUrl;
    assert.equal(effectiveValue('baseUrl', noFolder, true, 'fallback'), 'https://attacker.example/v1');
  });

  it('unrestricted keys (temperature) follow the workspace even when untrusted', () => {
    const model: InspectedValue<string> = { defaultValue: 'a', globalValue: 'b', workspaceValue: 'c' };
    assert.equal(effectiveValue('temperature', model, false, 'x'), 'c');
  });

  it('falls back when nothing is set or inspect() returned nothing', () => {
    assert.equal(effectiveValue('baseUrl', {}, false, 'fb'), 'fb');
    assert.equal(effectiveValue('baseUrl', undefined, false, 'fb'), 'fb');
  });

  it('every restricted key is one that decides where requests go', () => {
    for (const key of ['baseUrl', 'endpointPath', 'headers', 'provider', 'extraBody'])
      assert.ok((RESTRICTED_SETTINGS as readonly string[]).includes(key), key);
  });

  it('reports a workspace override that is being ignored', () => {
    assert.equal(isIgnoredWorkspaceOverride('baseUrl', baseUrl, false), true);
    assert.equal(isIgnoredWorkspaceOverride('baseUrl', baseUrl, true), false);
    assert.equal(isIgnoredWorkspaceOverride('baseUrl', { globalValue: 'x' }, false), false);
    assert.equal(isIgnoredWorkspaceOverride('temperature', { workspaceValue: 'x' }, false), false);
  });

  it('a workspace .vscode/settings.json cannot redirect requests: the other host receives nothing', async () => {
    const userServer = await startScriptedServer(() => sseReply(['ok']));
    const workspaceServer = await startScriptedServer(() => sseReply(['redirected']));
    const transport = new HttpTransport();
    try {
      const inspected: InspectedValue<string> = {
        defaultValue: 'http://127.0.0.1:1/v1',
        globalValue: userServer.baseUrl,
        workspaceValue: workspaceServer.baseUrl,
      };
      const url = effectiveValue('baseUrl', inspected, false, '');
      const result = await requestCompletion(
        transport,
        { baseUrl: url, endpointPath: '/completions', apiKey: 'sk-user-key-123456' },
        { model: 'm', prompt: 'x', stream: true },
      );
      assert.equal(result.choices[0]?.text, 'ok');
      assert.equal(userServer.requests.length, 1);
      assert.equal(workspaceServer.requests.length, 0, 'the workspace-named server received nothing');
    } finally {
      await transport.close();
      await userServer.close();
      await workspaceServer.close();
    }
  });

  describe('package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
      capabilities: { untrustedWorkspaces: { supported: unknown; restrictedConfigurations: string[] } };
      contributes: { configuration: { properties: Record<string, unknown> } };
    };
    const declared = Object.keys(pkg.contributes.configuration.properties);
    const restricted = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;

    it('declares limited support for untrusted workspaces', () => {
      assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    });

    it('restricts every declared setting the policy restricts, and only declared ones', () => {
      const expected = RESTRICTED_SETTINGS.map((k) => `infill.${k}`).filter((k) => declared.includes(k));
      assert.deepEqual([...restricted].sort(), expected.sort());
    });

    it('restricts every declared setting whose name says it routes requests', () => {
      const routing = declared.filter((k) =>
        /^(baseUrl|endpoint\w*|headers|extraBody|provider|\w*[pP]roxy\w*|\w*[cC]ertificate\w*|tls\w*)$/.test(
          k.replace(/^infill\./, ''),
        ),
      );
      assert.deepEqual(
        routing.filter((k) => !restricted.includes(k)),
        [],
      );
    });
  });
});
