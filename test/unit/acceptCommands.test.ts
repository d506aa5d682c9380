import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

interface Manifest {
  contributes: {
    commands: { command: string }[];
    keybindings: { command: string; key: string; mac?: string; when?: string }[];
    menus: { commandPalette: { command: string; when?: string }[] };
  };
}

const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as Manifest;

describe('accept commands in the manifest', () => {
  it('bind Ctrl/Cmd+Right and Ctrl/Cmd+Alt+Right only while an inline suggestion shows in a focused editor', () => {
    const expected: Record<string, [string, string]> = {
      'infill.acceptNextWord': ['ctrl+right', 'cmd+right'],
      'infill.acceptNextLine': ['ctrl+alt+right', 'cmd+alt+right'],
    };
    for (const [command, [key, mac]] of Object.entries(expected)) {
      const bindings = pkg.contributes.keybindings.filter((k) => k.command === command);
      assert.equal(bindings.length, 1, command);
      const b = bindings[0]!;
      assert.equal(b.key, key);
      assert.equal(b.mac, mac);
      const terms = (b.when ?? '').split('&&').map((t) => t.trim());
      // Without these the keys would stop moving the cursor by word when no suggestion shows.
      for (const t of ['inlineSuggestionVisible', 'editorTextFocus', 'cursorBeforeGhostText'])
        assert.ok(terms.includes(t), `${command} when has ${t}: ${b.when}`);
      assert.ok(!/\|\|/.test(b.when ?? ''), 'no alternative that could hold without a suggestion');
    }
  });

  it('contribute Reset Statistics, and keep the full-accept recorder out of the palette', () => {
    const ids = pkg.contributes.commands.map((c) => c.command);
    for (const id of ['infill.acceptNextWord', 'infill.acceptNextLine', 'infill.resetStatistics', 'infill.showUsage'])
      assert.ok(ids.includes(id), id);
    // Registered but not contributed: VS Code lists only contributed commands in the palette.
    assert.ok(!ids.includes('infill.recordAccept'));
    const source = fs.readFileSync(path.join(__dirname, '../../src/vscode/acceptanceTracking.ts'), 'utf8');
    assert.match(source, /RECORD_ACCEPT_COMMAND = 'infill\.recordAccept'/);
  });
});
