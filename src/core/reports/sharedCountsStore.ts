/** The part of VS Code's `Memento` (globalState) the shared stores need. */
export interface SharedState {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** Counts per day and per key (a model, a language): the shape both usage and acceptance statistics keep. */
export interface DailyCounts<B> {
  version: number;
  days: Record<string, Record<string, B>>;
}

/** What differs between the kinds of counts: how stored data is checked and how one bucket adds up. */
export interface DailyCountsRules<D extends DailyCounts<B>, B> {
  /** Checks what is stored (any shape, or nothing) and returns valid data. */
  sanitize(raw: unknown): D;
  /** `stored` plus what `mine` counted above `base`, for one bucket. */
  addBucket(stored: B | undefined, mine: B | undefined, base: B | undefined): B;
  /** Data with no days, of the current version. */
  empty(): D;
}

/**
 * Counts kept in state that every VS Code window shares (globalState). Each window counts in its
 * own memory; a write adds what this window counted since its last write to what is stored now, so
 * two windows add up instead of the later write replacing the other's counts. Writes at most once
 * per `delayMs`; `clear` forgets what every window stored.
 */
export class SharedCountsStore<D extends DailyCounts<B>, B> {
  /** What this window held when it last loaded or wrote: counts above it are new. */
  private base: D;
  private pending: D | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly state: SharedState,
    private readonly key: string,
    private readonly delayMs: number,
    private readonly rules: DailyCountsRules<D, B>,
  ) {
    this.base = rules.sanitize(safeGet(state, key));
  }

  load(): unknown {
    return structuredClone(this.base);
  }

  /** `data` is the caller's live object: only a reference is kept until the write. */
  save(data: D): void {
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
    const stored = this.rules.sanitize(safeGet(this.state, this.key));
    const merged = addDailyCounts(stored, this.base, mine, this.rules);
    this.base = mine;
    await Promise.resolve(this.state.update(this.key, merged)).then(undefined, () => undefined);
  }

  /** Forgets what every window stored; counts other windows make from now on are added again. */
  async clear(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    this.base = this.rules.empty();
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
export function addDailyCounts<D extends DailyCounts<B>, B>(
  stored: D,
  base: D,
  mine: D,
  rules: Pick<DailyCountsRules<D, B>, 'addBucket' | 'empty'>,
): D {
  const out = rules.empty();
  for (const day of new Set([...Object.keys(stored.days), ...Object.keys(mine.days)])) {
    if (!(day in mine.days) && day in base.days) continue; // pruned by this window's retention
    const keys = new Set([...Object.keys(stored.days[day] ?? {}), ...Object.keys(mine.days[day] ?? {})]);
    for (const key of keys) {
      (out.days[day] ??= {})[key] = rules.addBucket(
        stored.days[day]?.[key],
        mine.days[day]?.[key],
        base.days[day]?.[key],
      );
    }
  }
  return out;
}
