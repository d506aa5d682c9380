import type { SharedState } from './sharedUsageStore';
import {
  ACCEPTANCE_COUNT_KEYS,
  emptyAcceptanceBucket,
  sanitizeStatistics,
  STATISTICS_VERSION,
  type AcceptanceBucket,
  type StatisticsData,
  type StatisticsPersistence,
} from './statisticsStore';

/**
 * The acceptance statistics in state every VS Code window shares (globalState), as the usage
 * counts are (sharedUsageStore.ts): each window counts in memory, and a write adds what this window
 * counted since its last write to what is stored, so two windows add up instead of the later one
 * replacing the other's counts. Writes at most once per `delayMs`; Reset Statistics clears the
 * stored counts of every window.
 */
export class SharedStatisticsStore implements StatisticsPersistence {
  /** What this window held when it last loaded or wrote: counts above it are new. */
  private base: StatisticsData;
  private pending: StatisticsData | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly state: SharedState,
    private readonly key: string,
    private readonly delayMs = 2_000,
  ) {
    this.base = sanitizeStatistics(safeGet(state, key));
  }

  load(): unknown {
    return structuredClone(this.base);
  }

  /** `data` is the store's live object: only a reference is kept until the write. */
  save(data: StatisticsData): void {
    this.pending = data;
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
    this.timer.unref?.();
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const live = this.pending;
    this.pending = undefined;
    if (!live) return;
    const mine = structuredClone(live);
    const merged = addStatistics(sanitizeStatistics(safeGet(this.state, this.key)), this.base, mine);
    this.base = mine;
    await Promise.resolve(this.state.update(this.key, merged)).then(undefined, () => undefined);
  }

  /** Forgets what every window stored; counts other windows make from now on are added again. */
  async clear(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    this.base = { version: STATISTICS_VERSION, days: {} };
    await Promise.resolve(this.state.update(this.key, structuredClone(this.base))).then(undefined, () => undefined);
  }
}

function safeGet(state: SharedState, key: string): unknown {
  try {
    return state.get(key);
  } catch {
    return undefined;
  }
}

/** `stored` plus what `mine` counted above `base`, bucket by bucket; days `mine` pruned stay pruned. */
export function addStatistics(stored: StatisticsData, base: StatisticsData, mine: StatisticsData): StatisticsData {
  const out: StatisticsData = { version: STATISTICS_VERSION, days: {} };
  for (const day of new Set([...Object.keys(stored.days), ...Object.keys(mine.days)])) {
    if (!(day in mine.days) && day in base.days) continue;
    const keys = new Set([...Object.keys(stored.days[day] ?? {}), ...Object.keys(mine.days[day] ?? {})]);
    for (const key of keys) {
      (out.days[day] ??= {})[key] = sum(stored.days[day]?.[key], mine.days[day]?.[key], base.days[day]?.[key]);
    }
  }
  return out;
}

function sum(
  stored: AcceptanceBucket | undefined,
  mine: AcceptanceBucket | undefined,
  base: AcceptanceBucket | undefined,
): AcceptanceBucket {
  const added = (s: number | undefined, m: number | undefined, b: number | undefined) =>
    (s ?? 0) + Math.max(0, (m ?? 0) - (b ?? 0));
  const out = emptyAcceptanceBucket();
  for (const k of ACCEPTANCE_COUNT_KEYS) out[k] = added(stored?.[k], mine?.[k], base?.[k]);
  out.latency = out.latency.map((_, i) => added(stored?.latency[i], mine?.latency[i], base?.latency[i]));
  return out;
}
