import { InfillError } from '../infillError';

/**
 * The one AbortController of one HTTP exchange, fed by its deadlines and by the caller's signal,
 * so every way an exchange can end early reaches undici and the body reader the same way.
 *
 * Our own timers rather than undici's alone: undici's are coarse (about half a second), and a
 * completion that is late by that much is already useless.
 */
export class ExchangeControl {
  private readonly controller = new AbortController();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly onOuterAbort: () => void;

  constructor(private readonly outer: AbortSignal | undefined) {
    // The caller's reason is kept when it is ours (a superseded request says why); anything else is a plain cancel.
    this.onOuterAbort = () =>
      this.controller.abort(
        outer?.reason instanceof InfillError ? outer.reason : new InfillError('aborted', 'Request cancelled'),
      );
    if (outer?.aborted) this.onOuterAbort();
    else outer?.addEventListener('abort', this.onOuterAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Aborts the exchange as a `timeout` with `message` unless disarmed within `ms`. */
  arm(ms: number, message: string): NodeJS.Timeout {
    const t = setTimeout(() => this.controller.abort(new InfillError('timeout', message)), ms);
    t.unref?.();
    this.timers.add(t);
    return t;
  }

  disarm(t: NodeJS.Timeout | undefined): void {
    if (t) {
      clearTimeout(t);
      this.timers.delete(t);
    }
  }

  /** The exchange is over: no deadline may fire and the caller's signal is let go. */
  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }
}
