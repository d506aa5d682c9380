import type { CompletionUsage } from '../protocol/completionTypes';

/**
 * Tokens spent, per day and per model, from the `usage` the server reports. Relays charge per
 * token, so with `infill.pricing` (price per 1K tokens) the counter also gives an estimated cost.
 * When a server reports no usage (many streaming servers without `include_usage`), the caller may
 * pass character counts; those tokens are estimated and counted separately so the view can say so.
 */

export interface UsageBucket {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  /** Requests the server reported no usage for; their tokens are estimated from characters when known. */
  estimatedRequests: number;
}

/** What is persisted: local calendar day (YYYY-MM-DD) → model → bucket. */
export interface UsageData {
  version: 1;
  days: Record<string, Record<string, UsageBucket>>;
}

/** Persistence; the VS Code glue backs it with `globalState`. */
export interface UsageStore {
  load(): unknown;
  save(data: UsageData): void | Promise<void>;
}

/** Price per 1K tokens: one number for both directions, or separate prompt/completion prices. */
export type PriceEntry = number | { prompt?: number; completion?: number };
/** `infill.pricing`: model name (or `*` for any other model) → price per 1K tokens. */
export type Pricing = Record<string, PriceEntry>;

export interface UsageTotals extends UsageBucket {
  /** Estimated cost; undefined when no price applies to any of the tokens counted. */
  cost?: number;
  /** Some tokens had no price (a model missing from `infill.pricing`). */
  costIncomplete: boolean;
}

export interface ModelUsage extends UsageTotals {
  model: string;
}

export interface DayUsage extends UsageTotals {
  day: string;
  models: ModelUsage[];
}

export interface UsageSummary {
  today: UsageTotals;
  /** The last `days` days including today, newest first; days without requests are left out. */
  days: DayUsage[];
  /** Over the same period, per model, most tokens first. */
  models: ModelUsage[];
  total: UsageTotals;
}

/** The same estimate the prompt window uses for code. */
const CHARS_PER_TOKEN = 3.5;

export interface UsageCounterOptions {
  now?: () => Date;
  /** Days kept in storage; older ones are dropped when a new day starts. */
  retainDays?: number;
}

export class UsageCounter {
  private data: UsageData;
  private readonly now: () => Date;
  private readonly retainDays: number;

  constructor(
    private readonly store: UsageStore,
    options: UsageCounterOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.retainDays = Math.max(1, options.retainDays ?? 90);
    this.data = sanitize(store.load());
  }

  /**
   * Counts one request. `estimate` is used only when `usage` has no token counts; returns the bucket
   * of the model for today, after the update.
   */
  record(
    model: string,
    usage: CompletionUsage | undefined,
    estimate?: { promptChars: number; completionChars: number },
  ): UsageBucket {
    const day = dayKey(this.now());
    const name = model.trim() || '(unnamed model)';
    const models = (this.data.days[day] ??= {});
    const bucket = (models[name] ??= emptyBucket());
    bucket.requests++;
    const prompt = tokenCount(usage?.prompt_tokens);
    let completion = tokenCount(usage?.completion_tokens);
    // Some servers send only total_tokens; the completion is what the total adds to the prompt.
    if (completion === undefined && prompt !== undefined) {
      const total = tokenCount(usage?.total_tokens);
      if (total !== undefined && total >= prompt) completion = total - prompt;
    }
    if (prompt !== undefined || completion !== undefined) {
      bucket.promptTokens += prompt ?? 0;
      bucket.completionTokens += completion ?? 0;
    } else if (estimate) {
      bucket.promptTokens += Math.ceil(Math.max(0, estimate.promptChars) / CHARS_PER_TOKEN);
      bucket.completionTokens += Math.ceil(Math.max(0, estimate.completionChars) / CHARS_PER_TOKEN);
      bucket.estimatedRequests++;
    } else {
      bucket.estimatedRequests++;
    }
    this.prune(day);
    this.persist();
    return { ...bucket };
  }

  /** Totals for today and the last `days` days (default 30), costed with `pricing`. */
  summary(pricing: Pricing = {}, days = 30): UsageSummary {
    const today = dayKey(this.now());
    const from = dayKey(addDays(this.now(), -(Math.max(1, days) - 1)));
    const perDay: DayUsage[] = [];
    const perModel = new Map<string, UsageBucket>();
    for (const day of Object.keys(this.data.days).sort().reverse()) {
      if (day < from || day > today) continue;
      const models: ModelUsage[] = [];
      for (const [model, bucket] of Object.entries(this.data.days[day]!)) {
        models.push({ model, ...costed(bucket, pricing, model) });
        let sum = perModel.get(model);
        if (!sum) perModel.set(model, (sum = emptyBucket()));
        addInto(sum, bucket);
      }
      models.sort(byTokens);
      perDay.push({ day, ...sumTotals(models), models });
    }
    const models = [...perModel.entries()]
      .map(([model, bucket]) => ({ model, ...costed(bucket, pricing, model) }))
      .sort(byTokens);
    const todayEntry = perDay.find((d) => d.day === today);
    return {
      today: todayEntry ? withoutModels(todayEntry) : { ...emptyBucket(), costIncomplete: false },
      days: perDay,
      models,
      total: sumTotals(models),
    };
  }

  async reset(): Promise<void> {
    this.data = { version: 1, days: {} };
    await this.store.save(this.data);
  }

  /** Counting must never fail a completion: a storage error costs at most the saved history. */
  private persist(): void {
    try {
      const pending = this.store.save(structuredClone(this.data));
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

/** The price per 1K tokens for a model: its own entry, else `*`, else none. */
export function priceFor(
  pricing: Pricing | undefined,
  model: string,
): { prompt: number; completion: number } | undefined {
  const entry = pricing?.[model] ?? pricing?.['*'];
  if (typeof entry === 'number')
    return Number.isFinite(entry) && entry >= 0 ? { prompt: entry, completion: entry } : undefined;
  if (entry && typeof entry === 'object') {
    const prompt = validPrice(entry.prompt);
    const completion = validPrice(entry.completion);
    if (prompt === undefined && completion === undefined) return undefined;
    // One side given: the other costs the same, the usual case for relays with a single price.
    return { prompt: prompt ?? completion!, completion: completion ?? prompt! };
  }
  return undefined;
}

export function estimateCost(
  bucket: Pick<UsageBucket, 'promptTokens' | 'completionTokens'>,
  price: { prompt: number; completion: number },
): number {
  return (bucket.promptTokens / 1000) * price.prompt + (bucket.completionTokens / 1000) * price.completion;
}

/** Local calendar day: usage "today" means the user's today, not UTC's. */
export function dayKey(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function addDays(date: Date, days: number): Date {
  const d = new Date(date.getTime());
  d.setDate(d.getDate() + days);
  return d;
}

function validPrice(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function tokenCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
}

function emptyBucket(): UsageBucket {
  return { requests: 0, promptTokens: 0, completionTokens: 0, estimatedRequests: 0 };
}

function addInto(target: UsageBucket, source: UsageBucket): void {
  target.requests += source.requests;
  target.promptTokens += source.promptTokens;
  target.completionTokens += source.completionTokens;
  target.estimatedRequests += source.estimatedRequests;
}

function costed(bucket: UsageBucket, pricing: Pricing, model: string): UsageTotals {
  const price = priceFor(pricing, model);
  const tokens = bucket.promptTokens + bucket.completionTokens;
  if (!price) return { ...bucket, costIncomplete: tokens > 0 };
  return { ...bucket, cost: estimateCost(bucket, price), costIncomplete: false };
}

function sumTotals(parts: readonly UsageTotals[]): UsageTotals {
  const out: UsageTotals = { ...emptyBucket(), costIncomplete: false };
  for (const p of parts) {
    addInto(out, p);
    if (p.cost !== undefined) out.cost = (out.cost ?? 0) + p.cost;
    if (p.costIncomplete) out.costIncomplete = true;
  }
  return out;
}

function withoutModels(day: DayUsage): UsageTotals {
  const { day: _day, models: _models, ...totals } = day;
  return totals;
}

function byTokens(a: ModelUsage, b: ModelUsage): number {
  return b.promptTokens + b.completionTokens - (a.promptTokens + a.completionTokens) || a.model.localeCompare(b.model);
}

/** Accepts whatever storage held (an older shape, garbage) and keeps only well-formed buckets. */
export function sanitize(raw: unknown): UsageData {
  const data: UsageData = { version: 1, days: {} };
  if (!raw || typeof raw !== 'object') return data;
  const days = (raw as { days?: unknown }).days;
  if (!days || typeof days !== 'object') return data;
  for (const [day, models] of Object.entries(days as Record<string, unknown>)) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !models || typeof models !== 'object') continue;
    for (const [model, b] of Object.entries(models as Record<string, unknown>)) {
      if (!b || typeof b !== 'object') continue;
      const v = b as Record<string, unknown>;
      const bucket: UsageBucket = {
        requests: tokenCount(v.requests) ?? 0,
        promptTokens: tokenCount(v.promptTokens) ?? 0,
        completionTokens: tokenCount(v.completionTokens) ?? 0,
        estimatedRequests: tokenCount(v.estimatedRequests) ?? 0,
      };
      (data.days[day] ??= {})[model] = bucket;
    }
  }
  return data;
}
