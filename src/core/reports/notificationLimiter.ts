/** Lets the same message through at most once per interval, so a dead backend does not spam. */
export class NotificationLimiter {
  private readonly lastShown = new Map<string, number>();

  constructor(
    private readonly intervalMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  shouldShow(key: string): boolean {
    const t = this.now();
    const last = this.lastShown.get(key);
    if (last !== undefined && t - last < this.intervalMs) return false;
    this.lastShown.set(key, t);
    if (this.lastShown.size > 200) {
      for (const [k, v] of this.lastShown) if (t - v >= this.intervalMs) this.lastShown.delete(k);
    }
    return true;
  }
}
