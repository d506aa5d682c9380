import { sanitize, type UsageBucket, type UsageData, type UsageStore } from './usageCounter';

/** The part of VS Code's `Memento` (globalState) the store needs. */
export interface SharedState {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

/**
 * Usage kept in state that every VS Code window shares (globalState). Each window counts in its
 * own memory; a save adds what this window counted since its last write to what is stored now, so
 * two windows add up instead of the later write replacing the other's counts. Writes at most once
 * per `delayMs`.
 */
export class SharedUsageStore implements UsageStore {
  /** What this window's counter held when it last loaded or wrote: counts above it are new. */
  private base: UsageData;
  private pending: UsageData | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly state: SharedState,
    private readonly key: string,
    private readonly delayMs = 2_000,
  ) {
    this.base = sanitize(state.get(key));
  }

  load(): unknown {
    return this.base;
  }

  save(data: UsageData): void {
    this.pending = data;
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
    this.timer.unref?.();
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const mine = this.pending;
    this.pending = undefined;
    if (!mine) return;
    const merged = addCounts(sanitize(this.state.get(this.key)), this.base, mine);
    this.base = structuredClone(mine);
    await Promise.resolve(this.state.update(this.key, merged)).catch(() => undefined);
  }
}

/** `stored` plus what `mine` counted above `base`, bucket by bucket; days `mine` dropped stay dropped. */
function addCounts(stored: UsageData, base: UsageData, mine: UsageData): UsageData {
  const out: UsageData = { version: 1, days: {} };
  const days = new Set([...Object.keys(stored.days), ...Object.keys(mine.days)]);
  for (const day of days) {
    if (!(day in mine.days) && day in base.days) continue; // pruned by this window's retention
    const models = new Set([...Object.keys(stored.days[day] ?? {}), ...Object.keys(mine.days[day] ?? {})]);
    for (const model of models) {
      const s = stored.days[day]?.[model];
      const m = mine.days[day]?.[model];
      const b = base.days[day]?.[model];
      (out.days[day] ??= {})[model] = sum(s, m, b);
    }
  }
  return out;
}

function sum(
  stored: UsageBucket | undefined,
  mine: UsageBucket | undefined,
  base: UsageBucket | undefined,
): UsageBucket {
  const field = (k: keyof UsageBucket) => (stored?.[k] ?? 0) + Math.max(0, (mine?.[k] ?? 0) - (base?.[k] ?? 0));
  return {
    requests: field('requests'),
    promptTokens: field('promptTokens'),
    completionTokens: field('completionTokens'),
    estimatedRequests: field('estimatedRequests'),
  };
}
