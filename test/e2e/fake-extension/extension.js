// Throwaway stand-in for the Infill extension: just enough behaviour to prove the
// e2e harness (ghost text, status bar, streaming command, trust, settings).
const vscode = require('vscode');
const http = require('http');

function cfg() { return vscode.workspace.getConfiguration('infill'); }

function request(prompt, suffix, token, onText) {
  const c = cfg();
  const url = new URL(c.get('baseUrl').replace(/\/$/, '') + c.get('endpointPath'));
  const body = JSON.stringify({ model: c.get('model'), prompt, suffix, stream: true, max_tokens: c.get('maxTokens'), stop: [] });
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      if (res.statusCode !== 200) { res.resume(); reject(new Error('HTTP ' + res.statusCode)); return; }
      let buf = '', text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        buf += d;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const ev = buf.slice(0, i); buf = buf.slice(i + 2);
          const data = ev.replace(/^data: ?/, '');
          if (data === '[DONE]') continue;
          const t = JSON.parse(data).choices[0].text || '';
          text += t;
          if (onText) onText(t);
        }
      });
      res.on('end', () => resolve(text));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (token) token.onCancellationRequested(() => req.destroy(new Error('cancelled')));
    req.end(body);
  });
}

let last;
let streaming;
function activate(context) {
  const log = vscode.window.createOutputChannel('Infill');
  const item = vscode.window.createStatusBarItem('infill.status', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Infill';
  const ok = () => { item.text = '$(sparkle) Infill ' + (cfg().get('model') || ''); item.tooltip = 'Infill: ready'; };
  const fail = (e) => { item.text = '$(error) Infill'; item.tooltip = 'Infill: ' + e.message; log.appendLine('request failed: ' + e.message); };
  ok(); item.show();
  context.subscriptions.push(item, log, vscode.workspace.onDidChangeConfiguration(() => ok()));

  context.subscriptions.push(vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, {
    async provideInlineCompletionItems(doc, pos, _ctx, token) {
      if (!cfg().get('enable')) return [];
      const rel = vscode.workspace.asRelativePath(doc.uri);
      for (const g of cfg().get('exclude')) {
        const base = g.replace(/^\*\*\//, '');
        if (rel === base || rel.endsWith('/' + base)) return [];
      }
      const off = doc.offsetAt(pos);
      const all = doc.getText();
      const prompt = all.slice(0, off);
      if (last && prompt.startsWith(last.prompt) && all.slice(off) === last.suffix) {
        const typed = prompt.slice(last.prompt.length);
        if (typed && last.text.startsWith(typed) && last.text.length > typed.length) {
          return [new vscode.InlineCompletionItem(last.text.slice(typed.length), new vscode.Range(pos, pos))];
        }
      }
      try {
        const text = await request(all.slice(0, off), all.slice(off), token);
        ok();
        last = { prompt, suffix: all.slice(off), text };
        if (!text) return [];
        return [new vscode.InlineCompletionItem(text, new vscode.Range(pos, pos))];
      } catch (e) {
        if (!token.isCancellationRequested) fail(e);
        return [];
      }
    },
  }));

  context.subscriptions.push(vscode.commands.registerCommand('infill.completeAtCursor', async () => {
    const ed = vscode.window.activeTextEditor;
    if (!ed) return;
    const doc = ed.document;
    const start = ed.selection.active;
    const off = doc.offsetAt(start);
    const all = doc.getText();
    const cts = new vscode.CancellationTokenSource();
    streaming = cts;
    await vscode.commands.executeCommand('setContext', 'infill.streaming', true);
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Infill: completing' }, async () => {
      const token = cts.token;
      let inserted = 0, first = true;
      let chain = Promise.resolve();
      await request(all.slice(0, off), all.slice(off), token, (t) => {
        chain = chain.then(() => ed.edit((b) => b.insert(doc.positionAt(off + inserted), t), { undoStopBefore: first, undoStopAfter: false }).then(() => { first = false; inserted += t.length; }));
      }).catch((e) => log.appendLine('complete at cursor: ' + e.message));
      await chain;
    });
    streaming = undefined;
    await vscode.commands.executeCommand('setContext', 'infill.streaming', false);
  }));
  context.subscriptions.push(vscode.commands.registerCommand('infill.cancelStream', () => streaming && streaming.cancel()));
  context.subscriptions.push(vscode.commands.registerCommand('infill.toggle', () => cfg().update('enable', !cfg().get('enable'), true)));
  context.subscriptions.push(vscode.commands.registerCommand('infill.showLog', () => log.show()));
  for (const c of ['infill.setApiKey', 'infill.clearApiKey', 'infill.testConnection', 'infill.explainLastSuggestion']) {
    context.subscriptions.push(vscode.commands.registerCommand(c, () => {}));
  }
}
exports.activate = activate;
exports.deactivate = () => {};
