import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '../..');
const readJson = (rel: string) => JSON.parse(fs.readFileSync(path.join(root, rel), 'utf8')) as Record<string, unknown>;

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
    );
}

/** Every literal passed to `vscode.l10n.t(...)`, or to a `t(...)` translator handed to core code. */
function messagesInSources(): Map<string, string> {
  const found = new Map<string, string>();
  const call = /(?:\bl10n\.t|(?<![.\w])t)\(\s*'((?:[^'\\\n]|\\.)*)'/g;
  for (const file of sourceFiles(path.join(root, 'src'))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(call)) {
      const message = m[1]!.replace(/\\(['"\\])/g, '$1').replace(/\\n/g, '\n');
      found.set(message, path.relative(root, file));
    }
  }
  return found;
}

/** Translation calls whose message is not a plain literal cannot be looked up in a bundle. */
function nonLiteralCalls(): string[] {
  const bad: string[] = [];
  for (const file of sourceFiles(path.join(root, 'src'))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bl10n\.t\(\s*([^'\s)])/g))
      bad.push(`${path.relative(root, file)}: l10n.t(${m[1]}…`);
  }
  return bad;
}

const placeholders = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();

describe('localization', () => {
  const pkg = readJson('package.json') as {
    l10n?: string;
    contributes: {
      commands: { command: string; title: string; category?: string }[];
      configuration: { properties: Record<string, { markdownDescription?: string; description?: string }> };
    };
  };
  const nls = readJson('package.nls.json');
  const nlsZh = readJson('package.nls.zh-cn.json');
  const bundleZh = readJson('l10n/bundle.l10n.zh-cn.json');

  it('every message shown through l10n has a Simplified Chinese translation with the same placeholders', () => {
    const missing: string[] = [];
    for (const [message, file] of messagesInSources()) {
      const zh = bundleZh[message];
      if (typeof zh !== 'string' || zh.trim() === '') missing.push(`${file}: ${JSON.stringify(message)}`);
      else assert.deepEqual(placeholders(zh), placeholders(message), `placeholders of ${JSON.stringify(message)}`);
    }
    assert.deepEqual(missing, [], 'add these to l10n/bundle.l10n.zh-cn.json');
  });

  it('l10n calls take literal messages, so the bundle can find them', () => {
    assert.deepEqual(nonLiteralCalls(), []);
  });

  it('the manifest points VS Code at the l10n folder', () => {
    assert.equal(pkg.l10n, './l10n');
  });

  it('every command is in the Infill category with a title from package.nls.json, translated', () => {
    for (const c of pkg.contributes.commands) {
      assert.equal(c.category, 'Infill', c.command);
      const key = /^%(.+)%$/.exec(c.title)?.[1];
      assert.ok(key, `${c.command} title is an nls key`);
      assert.equal(typeof nls[key], 'string', `package.nls.json has ${key}`);
      assert.equal(typeof nlsZh[key], 'string', `package.nls.zh-cn.json has ${key}`);
    }
  });

  it('every %key% in package.json exists in both nls files, and the two files have the same keys', () => {
    const used = [...JSON.stringify(pkg).matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!);
    for (const key of used) {
      assert.equal(typeof nls[key], 'string', `package.nls.json has ${key}`);
      assert.equal(typeof nlsZh[key], 'string', `package.nls.zh-cn.json has ${key}`);
    }
    assert.deepEqual(Object.keys(nlsZh).sort(), Object.keys(nls).sort());
  });

  it('the command ids the tests and docs rely on are contributed', () => {
    const ids = pkg.contributes.commands.map((c) => c.command);
    for (const id of [
      'infill.setApiKey',
      'infill.clearApiKey',
      'infill.toggle',
      'infill.showLog',
      'infill.toggleLanguage',
      'infill.trigger',
      'infill.completeAtCursor',
      'infill.showAlternatives',
      'infill.chooseProvider',
      'infill.testConnection',
      'infill.showUsage',
      'infill.explainLastSuggestion',
      'infill.showMenu',
    ]) {
      assert.ok(ids.includes(id), id);
    }
    assert.equal(nls['command.completeAtCursor'], 'Complete at Cursor');
  });
});
