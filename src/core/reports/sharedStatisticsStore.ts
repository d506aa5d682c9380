import { SharedCountsStore, type DailyCountsRules, type SharedState } from './sharedCountsStore';
import {
  ACCEPTANCE_COUNT_KEYS,
  emptyAcceptanceBucket,
  sanitizeStatistics,
  STATISTICS_VERSION,
  type AcceptanceBucket,
  type StatisticsData,
  type StatisticsPersistence,
} from './statisticsStore';

const STATISTICS_RULES: DailyCountsRules<StatisticsData, AcceptanceBucket> = {
  sanitize: sanitizeStatistics,
  addBucket: addAcceptance,
  empty: () => ({ version: STATISTICS_VERSION, days: {} }),
};

/**
 * The acceptance statistics (shown, accepted, latency per day and language) in the state every VS
 * Code window shares, added up across windows as usage is (sharedCountsStore.ts); Reset Statistics
 * clears the stored counts of every window.
 */
export class SharedStatisticsStore
  extends SharedCountsStore<StatisticsData, AcceptanceBucket>
  implements StatisticsPersistence
{
  constructor(state: SharedState, key: string, delayMs = 2_000) {
    super(state, key, delayMs, STATISTICS_RULES);
  }
}

function addAcceptance(
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
