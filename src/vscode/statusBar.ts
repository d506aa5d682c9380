import * as vscode from 'vscode';

export type StatusState = { kind: 'ready' } | { kind: 'requesting' } | { kind: 'disabled'; why: string } | { kind: 'error'; reason: string };

/** One status bar item: the state at a glance, the model in use, the reason for an error. */
export class StatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private state: StatusState = { kind: 'ready' };
  private model = '';

  constructor() {
    this.item = vscode.window.createStatusBarItem('infill.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Infill';
    this.item.command = 'infill.showLog';
    this.render();
    this.item.show();
  }

  setModel(model: string): void {
    this.model = model;
    this.render();
  }

  set(state: StatusState): void {
    this.state = state;
    this.render();
  }

  get current(): StatusState {
    return this.state;
  }

  private render(): void {
    const model = this.model ? ` ${this.model}` : '';
    switch (this.state.kind) {
      case 'ready':
        this.item.text = `$(sparkle) Infill${model}`;
        this.item.tooltip = vscode.l10n.t('Infill is ready ({0})', this.model || 'no model');
        this.item.backgroundColor = undefined;
        break;
      case 'requesting':
        this.item.text = `$(loading~spin) Infill${model}`;
        this.item.tooltip = vscode.l10n.t('Infill is requesting a completion');
        this.item.backgroundColor = undefined;
        break;
      case 'disabled':
        this.item.text = `$(circle-slash) Infill`;
        this.item.tooltip = vscode.l10n.t('Infill is disabled: {0}', this.state.why);
        this.item.backgroundColor = undefined;
        break;
      case 'error':
        this.item.text = `$(warning) Infill`;
        this.item.tooltip = vscode.l10n.t('Infill error: {0}', this.state.reason);
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
        break;
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
