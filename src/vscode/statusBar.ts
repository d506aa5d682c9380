import * as vscode from 'vscode';
import { redactText } from '../core/policy/redaction';

/** What the provider reports about requests. Whether suggestions are off is `Availability`, set apart. */
/** `loading`: a request to a local server that has not answered since Infill started (a model loading). */
export type StatusState =
  { kind: 'ready' } | { kind: 'requesting' } | { kind: 'loading' } | { kind: 'error'; reason: string };

/** Whether suggestions can appear in the active editor at all, and if not, why. */
export type Availability =
  { kind: 'on' } | { kind: 'off'; scope: 'global' | 'language' | 'file' | 'trust'; why: string };

/**
 * One status bar item: the state at a glance (ready, requesting, disabled, error), the model in
 * use, the reason for an error and today's usage in the tooltip. Clicking opens the Infill menu.
 * The text always contains "Infill", so people (and the end-to-end tests) can find it.
 */
export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private activity: StatusState = { kind: 'ready' };
  private availability: Availability = { kind: 'on' };
  private model = '';
  private usageLine = '';
  private acceptanceLine = '';

  constructor() {
    this.item = vscode.window.createStatusBarItem('infill.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Infill';
    this.item.command = 'infill.showMenu';
    this.render();
    this.item.show();
  }

  setModel(model: string): void {
    this.model = model;
    this.render();
  }

  /** Reports request activity (the provider calls this around each request). */
  set(state: StatusState): void {
    if (state.kind === 'error') state = { kind: 'error', reason: redactText(state.reason) };
    // An error stays visible until a request succeeds; a request merely starting does not hide it.
    if (!((state.kind === 'requesting' || state.kind === 'loading') && this.activity.kind === 'error'))
      this.activity = state;
    this.render();
  }

  setAvailability(availability: Availability): void {
    this.availability = availability;
    this.render();
  }

  /** Clears an error shown for a configuration that has since changed. */
  clearError(): void {
    if (this.activity.kind === 'error') this.activity = { kind: 'ready' };
    this.render();
  }

  /** One line about today's usage for the tooltip; '' hides it. */
  setUsage(line: string): void {
    this.usageLine = line;
    this.render();
  }

  /** Today's acceptance rate and median latency for the tooltip, next to the usage line; '' hides it. */
  setAcceptance(line: string): void {
    if (line === this.acceptanceLine) return;
    this.acceptanceLine = line;
    this.render();
  }

  /** What the menu shows: being off wins over the last request's outcome. */
  get current(): StatusState | { kind: 'disabled'; why: string } {
    if (this.availability.kind === 'off') return { kind: 'disabled', why: this.availability.why };
    return this.activity;
  }

  private render(): void {
    const model = this.model ? ` ${this.model}` : '';
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.isTrusted = false;
    const lines: string[] = [];
    this.item.backgroundColor = undefined;
    if (this.availability.kind === 'off') {
      this.item.text = `$(circle-slash) Infill${model}`;
      lines.push(vscode.l10n.t('Infill is disabled: {0}', this.availability.why));
    } else {
      switch (this.activity.kind) {
        case 'ready':
          this.item.text = `$(sparkle) Infill${model}`;
          lines.push(vscode.l10n.t('Infill is ready ({0})', this.model || vscode.l10n.t('no model')));
          break;
        case 'requesting':
          this.item.text = `$(loading~spin) Infill${model}`;
          lines.push(vscode.l10n.t('Infill is requesting a completion ({0})', this.model || vscode.l10n.t('no model')));
          break;
        case 'loading':
          this.item.text = `$(loading~spin) Infill${model}`;
          lines.push(
            vscode.l10n.t(
              'Infill is waiting for the server to load the model ({0})',
              this.model || vscode.l10n.t('no model'),
            ),
          );
          break;
        case 'error':
          this.item.text = `$(warning) Infill${model}`;
          lines.push(vscode.l10n.t('Infill error: {0}', this.activity.reason));
          this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
          break;
      }
    }
    if (this.usageLine) lines.push(this.usageLine);
    if (this.acceptanceLine) lines.push(this.acceptanceLine);
    lines.push(vscode.l10n.t('Click for the Infill menu.'));
    // Plain text: a server's error message must not be rendered as Markdown or links.
    for (const line of lines) tooltip.appendText(line + '\n\n');
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: lines.slice(0, 2).join('. ') };
  }

  dispose(): void {
    this.item.dispose();
  }
}
