import {
  addLatency,
  emptyHistogram,
  LATENCY_BINS,
  latencyQuantile,
  mergeHistogram,
  histogramCount,
} from './latencyHistogram';
import { dayKey } from './usageCounter';

/**
 * What Infill did for the user, per local day and per language and model: suggestions shown and
 * accepted (fully, partly), characters taken, keystroke-to-ghost-text latency, and how many
 * suggestions needed the network. Kept on this machine only (the VS Code glue backs it with
 * `globalState`); tokens and cost stay with the usage counter, which counts every request.
 */

/** The counters of one (day, language, model). */
export interface AcceptanceCounts {
  /** Suggestions on screen long enough to be seen (see SuggestionTracker). */
  shown: number;
  /** Accepted to the end (Tab, or a word/line accept that took the rest). */
  acceptedFully: number;
  /** Word and line accepts that left some of the suggestion on screen. */
  acceptedPartly: number;
  /** Shown suggestions of which anything was accepted: the acceptance rate's numerator. */
  suggestionsAccepted: number;
  /** Characters the accepts added to the document. */
  charsAccepted: number;
  /** Completion requests sent (prefetches included). */
  requestsSent: number;
  /** Suggestions served without the network: cache, typed-ahead, prefetch. */
  servedLocally: number;
}

export interface AcceptanceBucket extends AcceptanceCounts {
  /** Latency histogram (latencyHistogram.ts bins) of the suggestions counted as shown. */
  latency: number[];
}

export const STATISTICS_VERSION = 1;

/** What is persisted: local day (YYYY-MM-DD) → `language\u0000model` → bucket. */
export interface StatisticsData {
  version: typeof STATISTICS_VERSION;
  days: Record<string, Record<string, AcceptanceBucket>>;
}

export interface StatisticsPersistence {
  load(): unknown;
  /**
   * Called after every change with the live data (not a copy: counts change per keystroke and the
   * glue writes at most every few seconds); an implementation that keeps it must copy it when it writes.
   */
  save(data: StatisticsData): void | Promise<void>;
  /** Reset: forget what is stored (shared storage: other windows' counts too). Else an empty save. */
  clear?(): Promise<void>;
}

export interface AcceptanceTotals extends AcceptanceCounts {
  /** suggestionsAccepted / shown, 0..1; undefined when nothing was shown. */
  acceptanceRate?: number;
  latencyP50?: number;
  latencyP90?: number;
  latencySamples: number;
}

export interface DayStatistics extends AcceptanceTotals {
  day: string;
}

export interface StatisticsSummary {
  today: AcceptanceTotals;
  /** Every day of the period, oldest first, empty days included (the chart needs them). */
  days: DayStatistics[];
  /** Over the period, most shown first. */
  languages: (AcceptanceTotals & { language: string })[];
  models: (AcceptanceTotals & { model: string })[];
  total: AcceptanceTotals;
}

export const ACCEPTANCE_COUNT_KEYS: readonly (keyof AcceptanceCounts)[] = [
  'shown',
  'acceptedFully',
  'acceptedPartly',
  'suggestionsAccepted',
  'charsAccepted',
  'requestsSent',
  'servedLocally',
];

export interface StatisticsStoreOptions {
  now?: () => Date;
  /** Days kept; older ones are dropped as new days are counted. */
  retainDays?: number;
}

export class StatisticsStore {
  private data: StatisticsData;
  private readonly now: () => Date;
  private readonly retainDays: number;
  private changes = 0;

  constructor(
    private readonly persistence: StatisticsPersistence,
    options: StatisticsStoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.retainDays = Math.max(1, options.retainDays ?? 90);
    let raw: unknown;
    try {
      raw = persistence.load();
    } catch {
      raw = undefined; // unreadable storage: start over rather than fail activation
    }
    this.data = sanitizeStatistics(raw);
  }

  /** Adds `counts` (and one latency sample) to today's bucket of (language, model). */
  add(language: string, model: string, counts: Partial<AcceptanceCounts>, latencyMs?: number): void {
    const day = dayKey(this.now());
    const key = bucketKey(language, model);
    const bucket = ((this.data.days[day] ??= {})[key] ??= emptyAcceptanceBucket());
    for (const k of ACCEPTANCE_COUNT_KEYS) {
      const v = counts[k];
      if (typeof v === 'number' && Number.isFinite(v) && v > 0) bucket[k] += Math.round(v);
    }
    if (latencyMs !== undefined) addLatency(bucket.latency, latencyMs);
    this.changes++;
    this.prune(day);
    this.persist();
  }

  /** Grows with every change, so callers can tell whether anything was counted. */
  get revision(): number {
    return this.changes;
  }

  summary(days = 30): StatisticsSummary {
    const n = Math.max(1, Math.round(days));
    const today = dayKey(this.now());
    const period: string[] = [];
    for (let i = n - 1; i >= 0; i--) period.push(dayKey(addDays(this.now(), -i)));
    const perLanguage = new Map<string, AcceptanceBucket>();
    const perModel = new Map<string, AcceptanceBucket>();
    const all = emptyAcceptanceBucket();
    const dayRows: DayStatistics[] = [];
    for (const day of period) {
      const sum = emptyAcceptanceBucket();
      for (const [key, bucket] of Object.entries(this.data.days[day] ?? {})) {
        const { language, model } = splitKey(key);
        addInto(sum, bucket);
        addInto(entry(perLanguage, language), bucket);
        addInto(entry(perModel, model), bucket);
      }
      addInto(all, sum);
      dayRows.push({ day, ...totals(sum) });
    }
    const byShown = (a: AcceptanceTotals, b: AcceptanceTotals) => b.shown - a.shown || b.requestsSent - a.requestsSent;
    return {
      today: dayRows.find((d) => d.day === today) ?? emptyAcceptanceTotals(),
      days: dayRows,
      languages: [...perLanguage].map(([language, b]) => ({ language, ...totals(b) })).sort(byShown),
      models: [...perModel].map(([model, b]) => ({ model, ...totals(b) })).sort(byShown),
      total: totals(all),
    };
  }

  async reset(): Promise<void> {
    this.data = { version: STATISTICS_VERSION, days: {} };
    this.changes++;
    if (this.persistence.clear) await this.persistence.clear();
    else await this.persistence.save(this.data);
  }

  /** Counting must never fail a completion: a storage error costs at most the saved history. */
  private persist(): void {
    try {
      const pending = this.persistence.save(this.data);
      if (pending) pending.catch(() => undefined);
    } catch {
      // Kept in memory; the next save tries again.
    }
  }

  private prune(today: string): void {
    const oldest = dayKey(addDays(this.now(), -(this.retainDays - 1)));
    for (const day of Object.keys(this.data.days)) if (day < oldest || day > today) delete this.data.days[day];
  }
}

function bucketKey(language: string, model: string): string {
  return `${language.trim() || 'plaintext'}\u0000${model.trim() || '(unnamed model)'}`;
}

function splitKey(key: string): { language: string; model: string } {
  const at = key.indexOf('\u0000');
  return at < 0 ? { language: key, model: '' } : { language: key.slice(0, at), model: key.slice(at + 1) };
}

function entry(map: Map<string, AcceptanceBucket>, key: string): AcceptanceBucket {
  let b = map.get(key);
  if (!b) map.set(key, (b = emptyAcceptanceBucket()));
  return b;
}

export function emptyAcceptanceBucket(): AcceptanceBucket {
  return {
    shown: 0,
    acceptedFully: 0,
    acceptedPartly: 0,
    suggestionsAccepted: 0,
    charsAccepted: 0,
    requestsSent: 0,
    servedLocally: 0,
    latency: emptyHistogram(),
  };
}

/** The totals of a day, language or model with nothing counted. */
export function emptyAcceptanceTotals(): AcceptanceTotals {
  return totals(emptyAcceptanceBucket());
}

function addInto(target: AcceptanceBucket, source: AcceptanceBucket): void {
  for (const k of ACCEPTANCE_COUNT_KEYS) target[k] += source[k];
  mergeHistogram(target.latency, source.latency);
}

function totals(b: AcceptanceBucket): AcceptanceTotals {
  const { latency, ...counts } = b;
  const out: AcceptanceTotals = { ...counts, latencySamples: histogramCount(latency) };
  // Accepting a suggestion counted on another day (shown before midnight) must not exceed 100 %.
  if (b.shown > 0) out.acceptanceRate = Math.min(1, b.suggestionsAccepted / b.shown);
  const p50 = latencyQuantile(latency, 0.5);
  const p90 = latencyQuantile(latency, 0.9);
  if (p50 !== undefined) out.latencyP50 = p50;
  if (p90 !== undefined) out.latencyP90 = p90;
  return out;
}

function addDays(date: Date, days: number): Date {
  const d = new Date(date.getTime());
  d.setDate(d.getDate() + days);
  return d;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : 0;
}

/**
 * Whatever storage held, as current data: garbage gives an empty store; buckets keep the counters
 * they have. A latency histogram is kept only when written by this version with the same bins (an
 * older binning cannot be re-read into these bins, so its samples are dropped, not misplaced).
 */
export function sanitizeStatistics(raw: unknown): StatisticsData {
  const data: StatisticsData = { version: STATISTICS_VERSION, days: {} };
  if (!raw || typeof raw !== 'object') return data;
  const version = (raw as { version?: unknown }).version;
  const days = (raw as { days?: unknown }).days;
  if (!days || typeof days !== 'object') return data;
  for (const [day, buckets] of Object.entries(days as Record<string, unknown>)) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !buckets || typeof buckets !== 'object') continue;
    for (const [key, b] of Object.entries(buckets as Record<string, unknown>)) {
      if (!b || typeof b !== 'object' || Array.isArray(b)) continue;
      const v = b as Record<string, unknown>;
      const bucket = emptyAcceptanceBucket();
      for (const k of ACCEPTANCE_COUNT_KEYS) bucket[k] = count(v[k]);
      const latency = v.latency;
      if (
        version === STATISTICS_VERSION &&
        Array.isArray(latency) &&
        latency.length === LATENCY_BINS &&
        latency.every((x) => typeof x === 'number')
      )
        bucket.latency = latency.map(count);
      const { language, model } = splitKey(key);
      (data.days[day] ??= {})[bucketKey(language, model)] = bucket;
    }
  }
  return data;
}
