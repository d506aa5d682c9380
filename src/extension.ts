import * as vscode from 'vscode';
import { CompletionEngine } from './core/completionEngine';
import { HttpTransport } from './core/httpTransport';
import { ApiKeyStore } from './vscode/apiKeyStore';
import { readSettings } from './vscode/configuration';
import { InfillInlineProvider } from './vscode/inlineProvider';
import { StatusBar } from './vscode/statusBar';

let transport: HttpTransport | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Infill', { log: true });
  transport = new HttpTransport();
  const engine = new CompletionEngine(transport);
  const keys = new ApiKeyStore(context.secrets);
  const status = new StatusBar();
  const refreshStatus = () => {
    const s = readSettings();
    status.setModel(s.model);
    status.set(s.enable ? { kind: 'ready' } : { kind: 'disabled', why: 'infill.enable is off' });
  };
  refreshStatus();
  const provider = new InfillInlineProvider(engine, keys, log, status);

  context.subscriptions.push(
    log,
    keys,
    status,
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, provider),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('infill')) refreshStatus();
    }),
    vscode.commands.registerCommand('infill.setApiKey', async () => {
      const key = await vscode.window.showInputBox({
        title: vscode.l10n.t('Infill: Set API Key'),
        prompt: vscode.l10n.t('The key is kept in VS Code secret storage and sent as a Bearer token.'),
        password: true,
        ignoreFocusOut: true,
      });
      if (key === undefined) return;
      if (key.trim() === '') await keys.clear();
      else await keys.set(key.trim());
      void vscode.window.showInformationMessage(key.trim() ? vscode.l10n.t('Infill: API key saved.') : vscode.l10n.t('Infill: API key cleared.'));
    }),
    vscode.commands.registerCommand('infill.clearApiKey', async () => {
      await keys.clear();
      void vscode.window.showInformationMessage(vscode.l10n.t('Infill: API key cleared.'));
    }),
    vscode.commands.registerCommand('infill.showLog', () => log.show()),
    vscode.commands.registerCommand('infill.toggle', async () => {
      const config = vscode.workspace.getConfiguration('infill');
      await config.update('enable', !config.get<boolean>('enable', true), vscode.ConfigurationTarget.Global);
    }),
  );
  log.info('Infill activated');
}

export async function deactivate(): Promise<void> {
  await transport?.close();
  transport = undefined;
}
