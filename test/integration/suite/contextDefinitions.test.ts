// Context from the language server, measured in the real extension host against VS Code's own
// TypeScript language features, on a project nobody here wrote: ajv's lib/ sources (they ship in
// node_modules). At each position right after a call to a function imported from another file
// that is not open, the `(` is typed and the request the server receives must carry that
// function's parameter list. Writes the recall to test/e2e/artifacts/context-recall.json.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TestServer } from '../../e2e/src/testServer';
import { callPositions, parameterList, squash, tsFiles } from '../../fixtures/callPositions';
import { EXT_ID, sleep, until } from '../waiting';

/** The repository root: the nearest folder above this (bundled) file holding Infill's package.json. */
function repoRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'infill')
      return dir;
  }
  return path.resolve(__dirname, '..', '..', '..', '..');
}
const REPO_ROOT = repoRoot();
const AJV_LIB = path.join(REPO_ROOT, 'node_modules', 'ajv', 'lib');
const POSITIONS = 90;

function copyTree(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    if (e.isDirectory()) copyTree(path.join(from, e.name), path.join(to, e.name));
    else fs.copyFileSync(path.join(from, e.name), path.join(to, e.name));
  }
}

describe('Context: definitions from the TypeScript language server (ajv lib/)', function () {
  this.timeout(420_000);
  const server = new TestServer();
  const settings: Record<string, unknown> = {
    provider: 'custom',
    endpointPath: '/completions',
    model: 'qwen2.5-coder:1.5b',
    fimMode: 'template',
    enable: true,
    'context.openFiles': false,
  };
  const editorSettings: Record<string, unknown> = {
    quickSuggestions: { other: 'off', comments: 'off', strings: 'off' },
    suggestOnTriggerCharacters: false,
    'parameterHints.enabled': false,
  };

  before(async function () {
    if (!fs.existsSync(AJV_LIB)) this.skip();
    await server.start();
    server.responder = () => ({ chunks: ['x'] });
    const ext = vscode.extensions.getExtension(EXT_ID);
    assert.ok(ext);
    await ext.activate();
    const cfg = vscode.workspace.getConfiguration('infill');
    for (const [k, v] of Object.entries({ ...settings, baseUrl: server.baseUrl }))
      await cfg.update(k, v, vscode.ConfigurationTarget.Global);
    // IntelliSense would otherwise pop up while the name is typed and take `(` as a commit character.
    const editorCfg = vscode.workspace.getConfiguration('editor');
    for (const [k, v] of Object.entries(editorSettings))
      await editorCfg.update(k, v, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const cfg = vscode.workspace.getConfiguration('infill');
    for (const k of [...Object.keys(settings), 'baseUrl'])
      await cfg.update(k, undefined, vscode.ConfigurationTarget.Global);
    const editorCfg = vscode.workspace.getConfiguration('editor');
    for (const k of Object.keys(editorSettings))
      await editorCfg.update(k, undefined, vscode.ConfigurationTarget.Global);
    await server.stop();
  });

  it('the request carries the parameter list of the function being called, at 50+ positions', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const root = path.join(folder.uri.fsPath, 'ajv');
    copyTree(AJV_LIB, path.join(root, 'lib'));
    fs.writeFileSync(
      path.join(root, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'es2018', module: 'commonjs', strict: true, resolveJsonModule: true },
        include: ['lib'],
      }),
    );
    const positions = callPositions(tsFiles(path.join(root, 'lib')), POSITIONS);
    assert.ok(positions.length >= 50, `only ${positions.length} call positions found`);

    // The TypeScript server loads the project once (seconds); a user waits for that too.
    const first = await vscode.workspace.openTextDocument(vscode.Uri.file(positions[0]!.file));
    await vscode.window.showTextDocument(first);
    await until(
      'the TypeScript server',
      async () => {
        const found = await vscode.commands.executeCommand<unknown[]>(
          'vscode.executeDefinitionProvider',
          first.uri,
          new vscode.Position(positions[0]!.line, positions[0]!.nameAt),
        );
        return (found?.length ?? 0) > 0;
      },
      120_000,
    );

    const results: { where: string; name: string; carried: boolean; requested: boolean }[] = [];
    let measured = 0;
    for (const p of positions) {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(p.file));
      const editor = await vscode.window.showTextDocument(doc);
      // Type the call as a person would: the name, then `(`, a keystroke every 80 ms. Gathering
      // starts with the first keystroke; the request made on `(` must carry the declaration.
      const lineEnd = doc.lineAt(p.line).range.end;
      await editor.edit((b) => b.delete(new vscode.Range(p.line, p.nameAt, lineEnd.line, lineEnd.character)));
      const at = new vscode.Position(p.line, p.nameAt);
      editor.selection = new vscode.Selection(at, at);
      server.reset();
      for (const ch of `${p.name}(`) {
        await vscode.commands.executeCommand('type', { text: ch });
        await sleep(80);
      }
      const marker = doc
        .lineAt(p.line)
        .text.slice(0, p.parenAt + 1)
        .trimStart();
      let request = await until(
        'a request',
        () => server.completions.find((r) => r.prompt.includes(`${marker}<|fim_suffix|>`)),
        3000,
      ).catch(() => undefined);
      const requested = request !== undefined;
      if (!request) {
        await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
        request = await until(
          'a triggered request',
          () => server.completions.find((r) => r.prompt.includes(`${marker}<|fim_suffix|>`)),
          3000,
        ).catch(() => undefined);
      }
      // What the function's parameters are, asked of the language server by the test itself.
      const defs = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
        'vscode.executeDefinitionProvider',
        doc.uri,
        new vscode.Position(p.line, p.nameAt),
      );
      const def = defs?.[0];
      await vscode.commands.executeCommand('workbench.action.files.revert');
      if (!def) continue;
      const uri = 'targetUri' in def ? def.targetUri : def.uri;
      const range = 'targetUri' in def ? (def.targetSelectionRange ?? def.targetRange) : def.range;
      if (uri.fsPath === doc.uri.fsPath) continue;
      const target = await vscode.workspace.openTextDocument(uri);
      const params = parameterList(target.getText(), target.offsetAt(range.start));
      if (!params) continue;
      measured++;
      const carried = request !== undefined && squash(request.prompt).includes(squash(params));
      results.push({ where: `${path.relative(root, p.file)}:${p.line + 1}`, name: p.name, carried, requested });
      await sleep(50);
    }
    const recall = results.filter((r) => r.carried).length / Math.max(1, measured);
    const figure = {
      project: `ajv ${JSON.parse(fs.readFileSync(path.join(AJV_LIB, '..', 'package.json'), 'utf8')).version} lib/`,
      positions: positions.length,
      measured,
      carried: results.filter((r) => r.carried).length,
      recall,
      requestedOnTyping: results.filter((r) => r.requested).length,
      missed: results.filter((r) => !r.carried).map((r) => `${r.where} ${r.name}`),
    };
    const artifacts = path.join(REPO_ROOT, 'test', 'e2e', 'artifacts');
    fs.mkdirSync(artifacts, { recursive: true });
    fs.writeFileSync(path.join(artifacts, 'context-recall.json'), JSON.stringify(figure, null, 2));
    console.log(`context recall: ${JSON.stringify(figure)}`);
    assert.ok(measured >= 50, `only ${measured} positions had a function definition in another file`);
    assert.ok(recall >= 0.9, `recall ${(recall * 100).toFixed(0)}% < 90%: ${JSON.stringify(figure)}`);
  });
});
