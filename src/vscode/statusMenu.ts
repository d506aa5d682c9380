import * as vscode from 'vscode';
import { isLanguageEnabled } from '../core/engine/languageGate';
import { readSettings } from './configuration';
import type { InfillServices } from './services';
import type { InfillSettings } from '../core/settings';

interface MenuItem extends vscode.QuickPickItem {
  run?: () => unknown;
}

/** The status bar item's menu (`Infill: Show Menu`): the state and every action in one place. */
export async function showMenu(s: InfillServices): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  const settings = readSettings(editor?.document);
  const hasKey = Boolean(await s.keys.get());
  const items: MenuItem[] = [
    ...statusItems(s, settings.model),
    ...suggestionItems(settings, editor),
    ...serverItems(settings.provider, hasKey),
    ...informationItems(s, settings),
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Infill',
    placeHolder: vscode.l10n.t('Choose an action'),
  });
  await picked?.run?.();
}

const command =
  (id: string, ...args: unknown[]) =>
  () =>
    vscode.commands.executeCommand(id, ...args);

function statusItems(s: InfillServices, model: string): MenuItem[] {
  const state = s.status.current;
  const stateLine =
    state.kind === 'error'
      ? vscode.l10n.t('Last request failed: {0}', state.reason)
      : state.kind === 'disabled'
        ? vscode.l10n.t('Disabled: {0}', state.why)
        : vscode.l10n.t('Model {0}', model);
  return [
    { label: vscode.l10n.t('Status'), kind: vscode.QuickPickItemKind.Separator },
    {
      label: `$(info) ${stateLine}`,
      run: command('infill.explainLastSuggestion'),
      detail: vscode.l10n.t('Explain the last suggestion'),
    },
  ];
}

function suggestionItems(settings: InfillSettings, editor: vscode.TextEditor | undefined): MenuItem[] {
  const items: MenuItem[] = [
    { label: vscode.l10n.t('Suggestions'), kind: vscode.QuickPickItemKind.Separator },
    {
      label: settings.enable
        ? `$(circle-slash) ${vscode.l10n.t('Turn Suggestions Off')}`
        : `$(check) ${vscode.l10n.t('Turn Suggestions On')}`,
      run: command('infill.toggle'),
    },
  ];
  if (!editor) return items;
  const language = editor.document.languageId;
  const on = isLanguageEnabled(settings.languages, language);
  items.push(
    {
      label: on
        ? `$(circle-slash) ${vscode.l10n.t('Turn Off for {0}', language)}`
        : `$(check) ${vscode.l10n.t('Turn On for {0}', language)}`,
      run: command('infill.toggleLanguage'),
    },
    {
      label: `$(lightbulb) ${vscode.l10n.t('Trigger Suggestion')}`,
      run: command('infill.trigger'),
      description: 'Alt+\\',
    },
    { label: `$(play) ${vscode.l10n.t('Complete at Cursor')}`, run: command('infill.completeAtCursor') },
    { label: `$(list-unordered) ${vscode.l10n.t('Show Alternatives')}`, run: command('infill.showAlternatives') },
  );
  return items;
}

function serverItems(provider: string, hasKey: boolean): MenuItem[] {
  const items: MenuItem[] = [
    { label: vscode.l10n.t('Server'), kind: vscode.QuickPickItemKind.Separator },
    {
      label: `$(server) ${vscode.l10n.t('Choose Provider and Model')}`,
      run: command('infill.chooseProvider'),
      description: provider,
    },
    { label: `$(pulse) ${vscode.l10n.t('Test Connection')}`, run: command('infill.testConnection') },
    {
      label: `$(key) ${hasKey ? vscode.l10n.t('Change API Key') : vscode.l10n.t('Set API Key')}`,
      run: command('infill.setApiKey'),
    },
  ];
  if (hasKey) items.push({ label: `$(trash) ${vscode.l10n.t('Clear API Key')}`, run: command('infill.clearApiKey') });
  return items;
}

function informationItems(s: InfillServices, settings: InfillSettings): MenuItem[] {
  return [
    { label: vscode.l10n.t('Information'), kind: vscode.QuickPickItemKind.Separator },
    {
      label: `$(graph) ${vscode.l10n.t('Show Usage')}`,
      run: command('infill.showUsage'),
      description: s.usage.todayLine(settings.pricing),
    },
    { label: `$(discard) ${vscode.l10n.t('Reset Statistics')}`, run: command('infill.resetStatistics') },
    { label: `$(output) ${vscode.l10n.t('Show Log')}`, run: command('infill.showLog') },
    {
      label: `$(settings-gear) ${vscode.l10n.t('Open Settings')}`,
      run: command('workbench.action.openSettings', `@ext:${s.context.extension.id}`),
    },
  ];
}
