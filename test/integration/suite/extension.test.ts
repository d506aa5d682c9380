// Extension-host-level checks of the installed Infill build, run inside VS Code's
// extension host (behind the web workbench) against an in-process test server.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TestServer } from '../../e2e/src/testServer';
import { EXT_ID, sleep, until } from '../waiting';

const CONTRACT_COMMANDS = [
  'infill.setApiKey',
  'infill.clearApiKey',
  'infill.completeAtCursor',
  'infill.toggle',
  'infill.showLog',
  'infill.testConnection',
  'infill.explainLastSuggestion',
];

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXT_ID);
  assert.ok(
    ext,
    `extension ${EXT_ID} is installed (have: ${vscode.extensions.all
      .map((e) => e.id)
      .filter((id) => !id.startsWith('vscode.'))
      .join(', ')})`,
  );
  return ext;
}

/** Sets `infill.*` user settings; keys the extension does not declare are skipped. */
async function configure(values: Record<string, unknown>): Promise<void> {
  const declared = extension().packageJSON?.contributes?.configuration?.properties ?? {};
  const cfg = vscode.workspace.getConfiguration('infill');
  for (const [k, v] of Object.entries(values)) {
    if (`infill.${k}` in declared) await cfg.update(k, v, vscode.ConfigurationTarget.Global);
  }
}

function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri.fsPath;
}

async function openAtEnd(name: string, content: string): Promise<vscode.TextEditor> {
  const file = path.join(workspaceDir(), name);
  fs.writeFileSync(file, content);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const editor = await vscode.window.showTextDocument(doc);
  const end = doc.positionAt(doc.getText().length);
  editor.selection = new vscode.Selection(end, end);
  return editor;
}

/** Triggers an inline suggestion and commits it once it is shown; returns the document text. */
async function triggerAndCommit(editor: vscode.TextEditor, server: TestServer): Promise<string> {
  const before = editor.document.getText();
  const seen = server.requests.length;
  await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
  await until('a completion request', () => server.requests.length > seen);
  await until('the suggestion to be committed', async () => {
    await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
    return editor.document.getText() !== before;
  });
  return editor.document.getText();
}

describe('Infill in the extension host', () => {
  const server = new TestServer();

  before(async () => {
    await server.start();
    const ext = extension();
    await ext.activate();
    await configure({
      baseUrl: server.baseUrl,
      endpointPath: '/completions',
      provider: 'custom',
      model: 'integration-model',
      debounceMs: 0,
      fimMode: 'suffix',
      enable: true,
      // These tests count requests: a warm-up on regaining focus after a long suite would be one more.
      warmUp: false,
    });
  });

  after(async () => {
    await vscode.workspace.saveAll(false);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await server.stop();
  });

  beforeEach(() => server.reset());

  it('activates', () => {
    assert.equal(extension().isActive, true);
  });

  it('registers every contributed command, including the documented ones', async () => {
    const contributed: string[] = (extension().packageJSON?.contributes?.commands ?? []).map(
      (c: { command: string }) => c.command,
    );
    const registered = new Set(await vscode.commands.getCommands(true));
    const missingFromManifest = CONTRACT_COMMANDS.filter((c) => !contributed.includes(c));
    assert.deepEqual(missingFromManifest, [], 'commands missing from package.json contributes.commands');
    const unregistered = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(unregistered, [], 'contributed commands with no handler after activation');
  });

  it('the inline provider returns the server text: trigger then commit inserts it', async () => {
    server.responder = () => ({ chunks: ['_total', ' = a + b'] });
    const editor = await openAtEnd('provider.py', 'def add(a, b):\n    my');
    const text = await triggerAndCommit(editor, server);
    assert.equal(text, 'def add(a, b):\n    my_total = a + b');
    const req = server.requests.find((r) => r.prompt.endsWith('    my'));
    assert.ok(
      req,
      `a request whose prompt ends at the cursor (saw ${server.requests.map((r) => JSON.stringify(r.prompt.slice(-20))).join(', ')})`,
    );
    assert.equal(req.model, 'integration-model');
    assert.equal(req.body.stream, true);
  });

  it('sends the text after the cursor as the suffix', async () => {
    server.responder = () => ({ chunks: ['b'] });
    const file = path.join(workspaceDir(), 'suffix.ts');
    fs.writeFileSync(file, 'const x = a;\nconsole.log(x);\n');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const editor = await vscode.window.showTextDocument(doc);
    const pos = new vscode.Position(0, 'const x = a'.length);
    editor.selection = new vscode.Selection(pos, pos);
    const text = await triggerAndCommit(editor, server);
    assert.equal(text, 'const x = ab;\nconsole.log(x);\n');
    const req = server.requests.find((r) => r.prompt.endsWith('const x = a'));
    assert.ok(
      req,
      `a request whose prompt ends at the cursor (saw ${server.requests.map((r) => JSON.stringify(r.prompt.slice(-20))).join(', ')})`,
    );
    assert.ok(req.suffix.startsWith(';\nconsole.log(x);'), `suffix: ${JSON.stringify(req.suffix)}`);
  });

  it('infill.completeAtCursor inserts the streamed text at the cursor', async () => {
    server.responder = () => ({ chunks: ['(a: number', ', b: number)', ': number'], chunkDelayMs: 50 });
    const editor = await openAtEnd('command.ts', 'export function mul');
    await vscode.commands.executeCommand('infill.completeAtCursor');
    await until(
      'the streamed text',
      () => editor.document.getText() === 'export function mul(a: number, b: number): number',
    );
    assert.ok(server.requests.some((r) => r.prompt.endsWith('export function mul')));
  });

  it('infill.toggle turns requests off and back on', async () => {
    server.responder = () => ({ chunks: ['Name'] });
    const enabled = () => vscode.workspace.getConfiguration('infill').get<boolean>('enable');
    await vscode.commands.executeCommand('infill.toggle');
    let editor: vscode.TextEditor;
    try {
      await until('infill.enable to turn off', () => enabled() === false);
      editor = await openAtEnd('toggle.ts', 'let user');
      await sleep(300);
      const before = server.requests.length;
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      await sleep(1000);
      assert.deepEqual(
        server.requests.slice(before).map((r) => r.prompt),
        [],
        'no request while disabled',
      );
    } finally {
      await vscode.commands.executeCommand('infill.toggle');
    }
    await until('infill.enable to turn back on', () => enabled() === true);
    // Typing on (through the `type` command, as a keystroke would) asks again.
    server.responder = (r) => ({ chunks: r.prompt.endsWith('let userN') ? ['ame'] : [] });
    const seen = server.requests.length;
    await vscode.commands.executeCommand('type', { text: 'N' });
    await until('a request after re-enabling', () =>
      server.requests.slice(seen).some((r) => r.prompt.endsWith('let userN')),
    );
    await until('the suggestion to be committed', async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      return editor.document.getText() === 'let userName';
    });
  });
});
