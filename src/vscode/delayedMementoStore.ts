import type * as vscode from 'vscode';

/**
 * A value kept in a Memento (globalState), written at most once per `delayMs`: counters change on
 * every keystroke, and each globalState write goes to disk. `save` may be handed live data; the
 * copy is made when it is written.
 */
export class DelayedMementoStore<T> implements vscode.Disposable {
  private pending: T | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly state: vscode.Memento,
    private readonly key: string,
    private readonly delayMs = 2_000,
  ) {}

  load(): unknown {
    return this.state.get(this.key);
  }

  save(data: T): void {
    this.pending = data;
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
    this.timer.unref?.();
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const data = this.pending;
    this.pending = undefined;
    if (data !== undefined)
      await Promise.resolve(this.state.update(this.key, structuredClone(data))).catch(() => undefined);
  }

  dispose(): void {
    void this.flush();
  }
}
