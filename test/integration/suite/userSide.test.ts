// The user's side in the real extension host: Complete at Cursor, Show Alternatives' request,
// Explain Last Suggestion, Show Usage, Test Connection, Toggle for This Language, exclusion.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TestServer } from '../../e2e/src/testServer';
import { useTestServer } from '../serverSettings';
import { EXT_ID, sleep, until } from '../waiting';

async function open(name: string, content: string, line?: number, character?: number): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  const file = path.join(folder.uri.fsPath, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const editor = await vscode.window.showTextDocument(doc);
  const pos = line === undefined ? doc.positionAt(content.length) : new vscode.Position(line, character ?? 0);
  editor.selection = new vscode.Selection(pos, pos);
  return editor;
}

/** The text of the report tab Infill opened last (`infill-report:` documents). */
async function reportText(name: string): Promise<string> {
  const doc = await until(`the ${name} report`, () =>
    vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'infill-report' && d.uri.path.endsWith(name)),
  );
  return doc.getText();
}

describe('Infill commands in the extension host', () => {
  const server = new TestServer();

  before(async () => {
    await server.start();
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext);
    await ext.activate();
    await useTestServer(server.baseUrl, 'user-side-model');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await server.stop();
  });

  beforeEach(() => server.reset());

  it('Complete at Cursor streams into the document at the cursor; one undo removes it all', async () => {
    server.responder = () => ({
      chunks: ['if (n < 2) return n;', '\n  return fib(n - 1)', ' + fib(n - 2);'],
      chunkDelayMs: 150,
    });
    const original = 'function fib(n: number): number {\n  \n}\n';
    const editor = await open('cac.ts', original, 1, 2);
    await vscode.commands.executeCommand('infill.completeAtCursor');
    assert.equal(
      editor.document.getText(),
      'function fib(n: number): number {\n  if (n < 2) return n;\n  return fib(n - 1) + fib(n - 2);\n}\n',
    );
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0]!.body.stream, true);
    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), original, 'one undo restores the document');
  });

  it('Complete at Cursor stops when the user edits the document, keeping a prefix of the answer', async () => {
    const pieces = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    server.responder = () => ({ chunks: pieces, chunkDelayMs: 250 });
    const editor = await open('cac-edit.py', 'x = \n', 0, 4);
    const running = vscode.commands.executeCommand('infill.completeAtCursor');
    await until('the first piece', () => editor.document.getText() !== 'x = \n');
    await editor.edit((b) => b.insert(new vscode.Position(1, 0), '# typed\n'));
    await running;
    const text = editor.document.getText();
    const inserted = text.slice('x = '.length, text.indexOf('\n'));
    assert.ok(
      inserted.length > 0 && inserted.length < pieces.length && pieces.join('').startsWith(inserted),
      JSON.stringify(text),
    );
    assert.ok(text.endsWith('\n# typed\n'), 'the user edit is kept');
    await until('the request to be closed', () => server.requests[0]?.aborted === true, 5_000);
  });

  it('Complete at Cursor on an error leaves the document as it was', async () => {
    server.responder = () => ({ chunks: [], status: 500 });
    const editor = await open('cac-error.py', 'y = \n', 0, 4);
    await vscode.commands.executeCommand('infill.completeAtCursor');
    assert.equal(editor.document.getText(), 'y = \n');
  });

  it('Complete at Cursor sends nothing for a file matching infill.exclude', async () => {
    await open('secrets/token.py', 'TOKEN = \n', 0, 8);
    await vscode.commands.executeCommand('infill.completeAtCursor');
    await sleep(300);
    assert.equal(server.requests.length, 0);
  });

  it('Explain Last Suggestion reports what was sent and what came back, without a key', async () => {
    server.responder = () => ({ chunks: ['42'] });
    await open('explain.py', 'answer = ');
    await vscode.commands.executeCommand('infill.completeAtCursor');
    await vscode.commands.executeCommand('infill.explainLastSuggestion');
    const text = await reportText('Infill last suggestion.md');
    assert.match(text, /Model: user-side-model/);
    assert.match(text, /HTTP status: 200/);
    assert.match(text, /42/);
  });

  it('Show Usage lists the model that answered', async () => {
    server.responder = () => ({ chunks: ['1 + 1'] });
    await open('usage.py', 'two = ');
    await vscode.commands.executeCommand('infill.completeAtCursor');
    // The view is a webview without scripts; the command hands back the page it shows.
    const html = await vscode.commands.executeCommand<string>('infill.showUsage');
    assert.equal(typeof html, 'string');
    assert.match(html, /data-model="user-side-model"/);
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
    assert.doesNotMatch(html, /<script/i);
    // The tab appears once the workbench has created the panel.
    await until('the Usage view to open', () =>
      vscode.window.tabGroups.all.some((g) =>
        g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('infill.usage')),
      ),
    );
  });

  it('Test Connection sends one small request and then learns what the server takes', async () => {
    server.responder = () => ({ chunks: [' a', ' + b'] });
    await vscode.commands.executeCommand('infill.testConnection');
    const first = server.requests[0];
    assert.ok(first, 'a request was made');
    assert.equal(first.body.max_tokens, 16);
    assert.equal(first.model, 'user-side-model');
  });

  it('Toggle for This Language writes infill.languages in user settings', async () => {
    await open('lang.go', 'package main\n');
    const cfg = () => vscode.workspace.getConfiguration('infill');
    await vscode.commands.executeCommand('infill.toggleLanguage');
    assert.equal(cfg().inspect<Record<string, boolean>>('languages')?.globalValue?.go, false);
    await vscode.commands.executeCommand('infill.toggleLanguage');
    assert.equal(cfg().inspect<Record<string, boolean>>('languages')?.globalValue?.go, true);
  });
});
