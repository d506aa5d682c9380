// Infill: Accept Next Line in the real extension host: VS Code's own partial accept runs, the rest
// stays without a request, the item command counts the full accept, and the Usage view shows it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TestServer } from '../../e2e/src/testServer';
import { useTestServer } from '../serverSettings';
import { EXT_ID, until } from '../waiting';

/** Today's value of one row of the Usage view (`data-stat`), read from the page the command returns. */
async function todayStat(id: string): Promise<number> {
  const html = await vscode.commands.executeCommand<string>('infill.showUsage');
  const m = new RegExp(`data-stat="${id}"><th>[^<]*</th><td>([\\d,]+)`).exec(html);
  assert.ok(m, `the Usage view has a ${id} row`);
  return Number(m[1]!.replace(/,/g, ''));
}

async function stats(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const id of ['shown', 'acceptedPartly', 'acceptedFully', 'charsAccepted']) out[id] = await todayStat(id);
  return out;
}

describe('Accept Next Line in the extension host', () => {
  const server = new TestServer();

  before(async () => {
    await server.start();
    await vscode.extensions.getExtension(EXT_ID)?.activate();
    await useTestServer(server.baseUrl, 'accept-model');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await server.stop();
  });

  it('takes one line, keeps the rest without a request, and counts both accepts', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const file = path.join(folder.uri.fsPath, 'lines.py');
    const start = 'import os\n\n';
    fs.writeFileSync(file, start);
    server.responder = (r) =>
      r.prompt.endsWith(start) ? { chunks: ['a = 1\n', 'b = 2\n', 'c = a + b'] } : { chunks: [] };
    // Read before the editor is shown: the Usage view takes the focus.
    const before = await stats();
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const editor = await vscode.window.showTextDocument(doc);
    const end = doc.positionAt(doc.getText().length);
    editor.selection = new vscode.Selection(end, end);

    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    await until('a completion request', () => server.requests.some((r) => r.prompt.endsWith(start))).catch(
      (err: Error) => {
        const seen = server.requests.map((r) => `${r.path} ${JSON.stringify(r.prompt.slice(-20))}`).join(', ');
        throw new Error(`${err.message}; the server saw: ${seen || 'nothing'}`);
      },
    );
    await until('the first line to be accepted', async () => {
      await vscode.commands.executeCommand('infill.acceptNextLine');
      return doc.getText() !== start;
    });
    assert.equal(doc.getText(), start + 'a = 1\n', 'exactly one line was taken');
    // (The Usage view is read only at the end: opening it takes the focus, which hides ghost text.)
    await until('the rest to be committed', async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.commit');
      return doc.getText() !== start + 'a = 1\n';
    });
    assert.equal(doc.getText(), start + 'a = 1\nb = 2\nc = a + b');
    assert.deepEqual(
      server.requests.filter((r) => r.prompt.endsWith(start + 'a = 1\n')).map((r) => r.prompt.slice(-12)),
      [],
      'the rest came from what was already there: no request for the position after the line',
    );
    const done = await until('the full accept to be counted', async () => {
      const s = await stats();
      return s.acceptedFully > before.acceptedFully ? s : undefined;
    });
    assert.equal(done.acceptedFully - before.acceptedFully, 1);
    assert.equal(done.acceptedPartly - before.acceptedPartly, 1);
    assert.equal(done.shown - before.shown, 1, 'one suggestion, however many pieces');
    assert.equal(done.charsAccepted - before.charsAccepted, 'a = 1\nb = 2\nc = a + b'.length);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
