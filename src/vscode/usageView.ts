import * as vscode from 'vscode';
import type { AcceptanceTracking } from './acceptanceTracking';
import { readSettings } from './configuration';
import { renderUsagePage } from './usagePage';
import type { UsageTracking } from './usageTracking';

const DAYS = 30;
/** Counts change per keystroke; an open view is redrawn at most this often. */
const REFRESH_MS = 500;

/**
 * `Infill: Show Usage`: one webview tab with today's numbers, a chart of the last 30 days and the
 * tables by language, model and day. No scripts and no resources (enableScripts off, no local
 * roots); it is redrawn while open as counts change.
 */
export class UsageView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly usage: UsageTracking,
    private readonly acceptance: AcceptanceTracking,
  ) {
    const soon = () => this.refreshSoon();
    this.subscriptions = [usage.onDidChange(soon), acceptance.onDidChange(soon)];
  }

  /** Opens (or brings forward) the view; returns the page it shows. */
  show(): string {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        'infill.usage',
        vscode.l10n.t('Infill Usage'),
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
        { enableScripts: false, enableCommandUris: false, localResourceRoots: [] },
      );
      this.panel.onDidDispose(() => (this.panel = undefined));
    } else {
      this.panel.reveal(undefined, false);
    }
    return this.render();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.panel?.dispose();
  }

  private render(): string {
    // Whatever stayed on screen long enough by now is counted before it is shown.
    this.acceptance.tracker.settle(Date.now());
    const pricing = readSettings().pricing;
    const html = renderUsagePage(
      this.acceptance.store.summary(DAYS),
      this.usage.counter.summary(pricing, DAYS),
      pricing,
      DAYS,
    );
    if (this.panel) this.panel.webview.html = html;
    return html;
  }

  private refreshSoon(): void {
    if (!this.panel || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.panel) this.render();
    }, REFRESH_MS);
  }
}

/** `Infill: Reset Statistics`: forgets the acceptance statistics and the token counts, after asking. */
export async function resetStatistics(usage: UsageTracking, acceptance: AcceptanceTracking): Promise<void> {
  const reset = vscode.l10n.t('Reset');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Forget all Infill statistics (suggestions shown and accepted, latency, tokens)?'),
    { modal: true },
    reset,
  );
  if (choice !== reset) return;
  await acceptance.reset();
  await usage.counter.reset();
  void vscode.window.showInformationMessage(vscode.l10n.t('Infill: statistics were reset.'));
}
