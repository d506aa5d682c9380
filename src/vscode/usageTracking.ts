import * as vscode from 'vscode';
import type { CompletionUsage } from '../core/protocol/completionTypes';
import { SharedUsageStore } from '../core/reports/sharedUsageStore';
import { UsageCounter, type Pricing, type UsageTotals } from '../core/reports/usageCounter';

const STATE_KEY = 'infill.usage';
/** globalState writes go to disk; one write per burst of requests is plenty. */
const SAVE_DELAY_MS = 2_000;

/** Counts tokens of every request Infill makes and keeps the status bar's usage line current. */
export class UsageTracking implements vscode.Disposable {
  readonly counter: UsageCounter;
  private readonly store: SharedUsageStore;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(state: vscode.Memento) {
    // Every window shares globalState: saves add this window's counts to what is stored.
    this.store = new SharedUsageStore(state, STATE_KEY, SAVE_DELAY_MS);
    this.counter = new UsageCounter(this.store);
  }

  record(
    model: string,
    usage: CompletionUsage | undefined,
    estimate?: { promptChars: number; completionChars: number },
  ): void {
    try {
      this.counter.record(model, usage, estimate);
      this.changed.fire();
    } catch {
      // Counting must never cost a completion.
    }
  }

  /** One line for the status bar tooltip, e.g. "Today: 12 requests, 3,400 + 560 tokens, about 0.0123". */
  todayLine(pricing: Pricing): string {
    const today = this.counter.summary(pricing, 1).today;
    if (today.requests === 0) return '';
    return vscode.l10n.t('Today: {0}', formatTotals(today));
  }

  async flush(): Promise<void> {
    await this.store.flush();
  }

  dispose(): void {
    void this.store.flush();
    this.changed.dispose();
  }
}

/** "12 requests, 3,400 prompt + 560 completion tokens, about 0.0123" in the user's locale. */
export function formatTotals(t: UsageTotals): string {
  const n = (x: number) => x.toLocaleString(vscode.env.language);
  let text = vscode.l10n.t(
    '{0} requests, {1} prompt + {2} completion tokens',
    n(t.requests),
    n(t.promptTokens),
    n(t.completionTokens),
  );
  if (t.cost !== undefined)
    text +=
      vscode.l10n.t(', about {0}', formatCost(t.cost)) +
      (t.costIncomplete ? vscode.l10n.t(' (some models have no price)') : '');
  return text;
}

export function formatCost(cost: number): string {
  // Small per-token prices: four significant decimals say more than two.
  return cost >= 100 ? cost.toFixed(2) : cost >= 1 ? cost.toFixed(3) : cost.toFixed(4);
}
