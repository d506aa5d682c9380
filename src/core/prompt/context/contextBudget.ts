import type { InfillSettings } from '../../settings';
import { CHARS_PER_TOKEN } from '../promptWindow';
import type { ContextPiece, ContextSource } from './contextTypes';

/**
 * One token budget (`infill.contextLength`) for everything sent. The window around the cursor keeps
 * a guaranteed share; each context source has its own share, given in priority order, and a source
 * that needs less passes what it left to the next one. A piece that does not fit is dropped whole:
 * half a declaration misleads the model more than none.
 */
export type ContextBucket = 'definitions' | 'imports' | 'recentEdits' | 'openFiles' | 'clipboard';

/** Priority order: what fills first when the budget is short. */
export const BUCKET_ORDER: readonly ContextBucket[] = [
  'definitions',
  'imports',
  'recentEdits',
  'openFiles',
  'clipboard',
];

/** Default shares of `infill.contextLength` (`infill.context.shares` overrides them). */
export const DEFAULT_SHARES: Readonly<Record<ContextBucket, number>> = {
  definitions: 0.12,
  imports: 0.05,
  recentEdits: 0.08,
  openFiles: 0.1,
  clipboard: 0.05,
};

/** The window never gets less than this share, whatever the shares add up to. */
export const MIN_WINDOW_SHARE = 0.5;

export const BUCKET_OF: Readonly<Record<ContextSource, ContextBucket>> = {
  definition: 'definitions',
  import: 'imports',
  recentEdit: 'recentEdits',
  recentView: 'recentEdits',
  openFile: 'openFiles',
  clipboard: 'clipboard',
};

export type BudgetSettings = Pick<
  InfillSettings,
  | 'contextLength'
  | 'contextOpenFiles'
  | 'contextDefinitions'
  | 'contextImports'
  | 'contextRecentEdits'
  | 'contextRecentViews'
  | 'contextClipboard'
  | 'contextShares'
>;

/**
 * Shares of the buckets that may be used: open files when other files are offered, the gathered
 * sources when the glue gathers (`gathering`) and their setting is on. Depends on settings only,
 * never on what was found, so the window (and the cache keyed on it) stays put while sources come
 * and go.
 */
export function activeShares(
  settings: BudgetSettings,
  offers: { openFiles: boolean; gathering: boolean },
): Map<ContextBucket, number> {
  const on: Record<ContextBucket, boolean> = {
    definitions: offers.gathering && settings.contextDefinitions,
    imports: offers.gathering && settings.contextImports,
    recentEdits: offers.gathering && (settings.contextRecentEdits || settings.contextRecentViews),
    openFiles: offers.openFiles && settings.contextOpenFiles,
    clipboard: offers.gathering && settings.contextClipboard !== 'off',
  };
  const shares = new Map<ContextBucket, number>();
  let total = 0;
  for (const bucket of BUCKET_ORDER) {
    if (!on[bucket]) continue;
    const raw = settings.contextShares[bucket];
    const share = typeof raw === 'number' && Number.isFinite(raw) ? Math.max(0, raw) : DEFAULT_SHARES[bucket];
    if (share === 0) continue;
    shares.set(bucket, share);
    total += share;
  }
  // Too generous shares are scaled down together, so the window keeps its guaranteed part.
  const cap = 1 - MIN_WINDOW_SHARE;
  if (total > cap) for (const [bucket, share] of shares) shares.set(bucket, (share * cap) / total);
  return shares;
}

const estimateTokens = (text: string) => Math.ceil(text.length / CHARS_PER_TOKEN);

/** Tokens a piece costs in the prompt: its text plus the header line naming its file. */
export function pieceTokens(piece: Pick<ContextPiece, 'text' | 'path'>): number {
  return estimateTokens(piece.text) + estimateTokens(piece.path) + 4;
}

export interface BudgetSelection {
  kept: ContextPiece[];
  /** Pieces left out for lack of budget. */
  dropped: ContextPiece[];
}

/**
 * Fills each bucket, in priority order, with its best pieces (lowest rank) that fit whole; what a
 * bucket leaves passes to the next. Pieces of a bucket that has no share are dropped.
 */
export function selectWithinBudget(
  pieces: readonly ContextPiece[],
  contextLength: number,
  shares: ReadonlyMap<ContextBucket, number>,
): BudgetSelection {
  const kept: ContextPiece[] = [];
  const dropped: ContextPiece[] = [];
  let carry = 0;
  for (const bucket of BUCKET_ORDER) {
    const mine = pieces.filter((p) => BUCKET_OF[p.source] === bucket).sort((a, b) => a.rank - b.rank);
    const share = shares.get(bucket);
    if (share === undefined) {
      dropped.push(...mine);
      continue;
    }
    let left = Math.floor(contextLength * share) + carry;
    for (const piece of mine) {
      const cost = pieceTokens(piece);
      if (cost <= left) {
        kept.push(piece);
        left -= cost;
      } else dropped.push(piece);
    }
    carry = left;
  }
  return { kept, dropped };
}
