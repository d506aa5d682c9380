import * as vscode from 'vscode';
import { isLocalOrigin } from '../core/policy/hostLocality';
import { resolveProvider } from '../core/providers/providerPresets';
import type { ApiKeyStore } from './apiKeyStore';
import { readSettings } from './configuration';

/** `Infill: Set API Key`: into SecretStorage only; an empty entry clears it. */
export async function setApiKey(keys: ApiKeyStore): Promise<void> {
  let where: string;
  try {
    where = new URL(resolveProvider(readSettings()).baseUrl).origin;
  } catch {
    where = '';
  }
  const key = await vscode.window.showInputBox({
    title: vscode.l10n.t('Infill: Set API Key'),
    prompt: where
      ? vscode.l10n.t('Kept in VS Code secret storage and sent as a Bearer token to {0} only.', where)
      : vscode.l10n.t('The key is kept in VS Code secret storage and sent as a Bearer token.'),
    password: true,
    ignoreFocusOut: true,
    validateInput: (v) => (/\s/.test(v.trim()) ? vscode.l10n.t('An API key has no spaces or line breaks') : undefined),
  });
  if (key === undefined) return;
  const trimmed = key.trim();
  if (trimmed === '') {
    await keys.clear();
    void vscode.window.showInformationMessage(vscode.l10n.t('Infill: API key cleared.'));
    return;
  }
  await keys.set(trimmed);
  void vscode.window.showInformationMessage(vscode.l10n.t('Infill: API key saved.'));
  if (where && where.startsWith('http:') && !isLocalOrigin(where)) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Infill: {0} uses plain HTTP; you will be asked before the key is sent there.', where),
    );
  }
}

/** `Infill: Clear API Key`. */
export async function clearApiKey(keys: ApiKeyStore): Promise<void> {
  await keys.clear();
  void vscode.window.showInformationMessage(vscode.l10n.t('Infill: API key cleared.'));
}
