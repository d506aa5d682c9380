import * as assert from 'node:assert/strict';
import {
  ContextGatherer,
  type ContextHost,
  type DefinitionTarget,
} from '../../../../src/core/prompt/context/contextGatherer';
import type { DeclaredSymbol } from '../../../../src/core/prompt/context/declarations';
import { StringDocument } from '../../../../src/core/prompt/textDocumentLike';
import type { CursorPosition } from '../../../../src/core/prompt/textDocumentLike';

const lib = new StringDocument(
  '/** Compiles. */\nexport function compile(schema: object, opts?: Options): Validate {\n  return x;\n}\n',
  'typescript',
  '/w/lib.ts',
);
const compileSymbol: DeclaredSymbol = {
  name: 'compile',
  kind: 'Function',
  range: { startLine: 1, startCharacter: 0, endLine: 3, endCharacter: 1 },
  selectionRange: { startLine: 1, startCharacter: 16, endLine: 1, endCharacter: 23 },
  children: [],
};

/** Answers `compile` after `delayMs`; counts calls. */
function host(delayMs: number): ContextHost & { calls: number; fail?: boolean } {
  const h = {
    calls: 0,
    fail: false,
    async definitions(_key: string, kind: 'definition' | 'typeDefinition', _pos: CursorPosition) {
      h.calls++;
      await new Promise((r) => setTimeout(r, delayMs));
      if (h.fail) throw new Error('server gone');
      const at: DefinitionTarget = { fileName: '/w/lib.ts', path: 'lib.ts', line: 1, character: 16 };
      return kind === 'definition' ? [at] : [];
    },
    async openTarget(fileName: string) {
      return fileName === '/w/lib.ts' ? { document: lib, symbols: [compileSymbol] } : undefined;
    },
  };
  return h;
}

const cursor = StringDocument.withCursor(
  "import { compile } from './lib';\nconst v = compile(█",
  'typescript',
  '/w/main.ts',
);
const request = { documentKey: 'file:///w/main.ts', ...cursor, definitions: true, imports: false };

describe('ContextGatherer', () => {
  it('turns the call at the cursor into its declaration', async () => {
    const g = new ContextGatherer(host(1));
    const pieces = await g.begin(request).settle(1000);
    assert.equal(pieces.length, 1);
    assert.equal(pieces[0]!.source, 'definition');
    assert.equal(
      pieces[0]!.text,
      '/** Compiles. */\nexport function compile(schema: object, opts?: Options): Validate',
    );
    assert.equal(pieces[0]!.path, 'lib.ts');
  });

  it('never waits past the deadline; the late answer serves the next keystroke from the cache', async () => {
    const h = host(80);
    const g = new ContextGatherer(h);
    const started = performance.now();
    const first = await g.begin(request).settle(10);
    assert.ok(performance.now() - started < 60, 'waited past the deadline');
    assert.equal(first.length, 0);
    await new Promise((r) => setTimeout(r, 120));
    const calls = h.calls;
    const second = g.begin(request);
    assert.ok(second.complete);
    assert.equal((await second.settle(10)).length, 1);
    assert.equal(h.calls, calls, 'asked the server again for a cached name');
  });

  it('a failing server costs its pieces, nothing else', async () => {
    const h = host(1);
    h.fail = true;
    assert.deepEqual(await new ContextGatherer(h).begin(request).settle(100), []);
  });

  it('an import is the same declaration: kept once, as the definition the cursor asks for', async () => {
    const g = new ContextGatherer(host(1));
    const pieces = await g.begin({ ...request, imports: true }).settle(1000);
    assert.equal(pieces.length, 1);
    assert.equal(pieces[0]!.source, 'definition');
    const onlyImports = await new ContextGatherer(host(1))
      .begin({ ...request, definitions: false, imports: true })
      .settle(1000);
    assert.equal(onlyImports[0]!.source, 'import');
  });

  it('stamps a piece with when it was first seen, the same on every keystroke', async () => {
    const g = new ContextGatherer(host(1));
    const a = await g.begin(request).settle(1000);
    const b = await g.begin(request).settle(1000);
    assert.equal(a[0]!.seen, b[0]!.seen);
  });

  it('the import of the name being called stands in for its definition while that lookup is slow', async () => {
    const h = host(1);
    const answer = h.definitions.bind(h);
    // Asked at the call (line 1), the server is slow; at the import (line 0), quick.
    h.definitions = async (key, kind, pos) => {
      if (pos.line === 1) await new Promise((r) => setTimeout(r, 200));
      return answer(key, kind, pos);
    };
    const g = new ContextGatherer(h);
    // An earlier keystroke in the file resolved the imports.
    const earlier = StringDocument.withCursor(
      "import { compile } from './lib';\nconst v = █",
      'typescript',
      '/w/main.ts',
    );
    await g.begin({ ...request, ...earlier, imports: true }).settle(1000);
    const pieces = await g.begin({ ...request, imports: true }).settle(10);
    assert.equal(pieces.length, 1);
    assert.equal(pieces[0]!.source, 'definition');
    assert.equal(pieces[0]!.rank, 0);
  });
});
