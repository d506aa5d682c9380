import * as assert from 'node:assert/strict';
import {
  activeShares,
  DEFAULT_SHARES,
  MIN_WINDOW_SHARE,
  pieceTokens,
  selectWithinBudget,
} from '../../../../src/core/prompt/context/contextBudget';
import type { ContextPiece } from '../../../../src/core/prompt/context/contextTypes';
import { DEFAULT_SETTINGS } from '../../../../src/core/settings';

function piece(source: ContextPiece['source'], chars: number, rank = 0, path = 'a.ts'): ContextPiece {
  return { source, path, startLine: 0, endLine: 0, text: 'x'.repeat(chars), rank, seen: 0 };
}

describe('contextBudget', () => {
  it('reserves shares by settings only: gathered sources when gathering, open files when offered', () => {
    const none = activeShares(DEFAULT_SETTINGS, { openFiles: false, gathering: false });
    assert.equal(none.size, 0);
    const all = activeShares(DEFAULT_SETTINGS, { openFiles: true, gathering: true });
    assert.deepEqual([...all.keys()], ['definitions', 'imports', 'recentEdits', 'openFiles']);
    assert.equal(all.get('definitions'), DEFAULT_SHARES.definitions);
    const clip = activeShares(
      { ...DEFAULT_SETTINGS, contextClipboard: 'localServers' },
      { openFiles: false, gathering: true },
    );
    assert.ok(clip.has('clipboard'));
    const noDefs = activeShares(
      { ...DEFAULT_SETTINGS, contextDefinitions: false },
      { openFiles: false, gathering: true },
    );
    assert.ok(!noDefs.has('definitions'));
  });

  it('scales shares that would squeeze the window below its guaranteed part', () => {
    const shares = activeShares(
      { ...DEFAULT_SETTINGS, contextShares: { definitions: 0.9, recentEdits: 0.9 } },
      { openFiles: false, gathering: true },
    );
    const total = [...shares.values()].reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - (1 - MIN_WINDOW_SHARE)) < 1e-9, String(total));
    assert.ok(shares.get('definitions')! > shares.get('imports')!);
  });

  it('fills in priority order, drops what does not fit whole, and passes leftovers on', () => {
    const shares = new Map([
      ['definitions', 0.1],
      ['recentEdits', 0.1],
    ] as const);
    // 1000 tokens: 100 per bucket.
    const big = piece('definition', 350 * 3.5, 0);
    const small = piece('definition', 100, 1);
    const edit1 = piece('recentEdit', 400, 0, 'b.ts');
    const edit2 = piece('recentEdit', 100, 1, 'c.ts');
    const { kept, dropped } = selectWithinBudget([edit2, big, edit1, small], 1000, shares);
    assert.deepEqual(
      kept.map((p) => p.text.length),
      [100, 400, 100],
    );
    assert.deepEqual(dropped, [big]);
    // The definitions bucket used pieceTokens(small); the rest carried over and let both edits in.
    assert.ok(pieceTokens(edit1) + pieceTokens(edit2) > 100);
  });

  it('drops pieces of a source without a share', () => {
    const { kept, dropped } = selectWithinBudget([piece('clipboard', 10)], 1000, new Map([['definitions', 0.1]]));
    assert.equal(kept.length, 0);
    assert.equal(dropped.length, 1);
  });
});
