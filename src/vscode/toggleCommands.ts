import * as vscode from 'vscode';
import { isLanguageEnabled, toggleLanguage } from '../core/engine/languageGate';
import { readSettings } from './configuration';

/** `Infill: Toggle`: suggestions on or off everywhere (user settings). */
export async function toggleGlobally(): Promise<void> {
  const config = vscode.workspace.getConfiguration('infill');
  const enable = !config.get<boolean>('enable', true);
  await config.update('enable', enable, vscode.ConfigurationTarget.Global);
  const inspected = config.inspect<boolean>('enable');
  const overridden = [inspected?.workspaceValue, inspected?.workspaceFolderValue].find((v) => v !== undefined);
  if (overridden !== undefined && overridden !== enable) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        'Infill: this workspace sets infill.enable to {0}, which takes precedence over your user setting.',
        String(overridden),
      ),
    );
    return;
  }
  vscode.window.setStatusBarMessage(
    enable ? vscode.l10n.t('Infill: suggestions on') : vscode.l10n.t('Infill: suggestions off'),
    3000,
  );
}

/** `Infill: Toggle for This Language`: flips the active editor's language in `infill.languages`. */
export async function toggleForLanguage(languageId?: string): Promise<void> {
  const language = languageId ?? vscode.window.activeTextEditor?.document.languageId;
  if (!language) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Infill: open a file to turn suggestions on or off for its language.'),
    );
    return;
  }
  const config = vscode.workspace.getConfiguration('infill');
  const document = vscode.window.activeTextEditor?.document;
  const target = toggleLanguage(readSettings(document).languages, language)[language]!;
  // Edit the user's own map: writing the merged value would copy workspace entries into user settings.
  const userMap = config.inspect<Record<string, boolean>>('languages')?.globalValue ?? {};
  await config.update('languages', { ...userMap, [language]: target }, vscode.ConfigurationTarget.Global);
  const now = isLanguageEnabled(readSettings(document).languages, language);
  vscode.window.setStatusBarMessage(
    now
      ? vscode.l10n.t('Infill: suggestions on for {0}', language)
      : vscode.l10n.t('Infill: suggestions off for {0}', language),
    3000,
  );
  if (now !== target) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Infill: a workspace or language-specific setting decides infill.languages for {0}.', language),
    );
  }
}

/** `Infill: Trigger Suggestion`: asks for ghost text now, without waiting for typing to pause. */
export async function triggerSuggestion(): Promise<void> {
  await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
}
