import * as vscode from 'vscode';
import { fetchModelIds } from '../core/protocol/modelList';
import { PROVIDER_IDS, PROVIDER_PRESETS, resolveProvider, type ProviderId } from '../core/providers/providerPresets';
import { originOf } from './apiKeyStore';
import { readSettings } from './configuration';
import type { InfillServices } from './services';

interface ProviderItem extends vscode.QuickPickItem {
  id: ProviderId;
}

interface ModelItem extends vscode.QuickPickItem {
  model?: string;
  typeByHand?: boolean;
}

/**
 * `Infill: Choose Provider and Model`: a preset from the provider list, a base URL for `custom`,
 * then a model from `GET {baseUrl}/models` when the server lists them, or typed by hand. Writes
 * user settings, which are also the ones an untrusted workspace is allowed to use.
 */
export async function chooseProvider(s: InfillServices): Promise<void> {
  const current = readSettings();
  const chosen = await pickPreset(current.provider);
  if (!chosen) return;
  const config = vscode.workspace.getConfiguration('infill');
  const preset = PROVIDER_PRESETS[chosen.id];
  let baseUrl: string | undefined;
  if (chosen.id === 'custom') {
    baseUrl = await askBaseUrl(current.baseUrl);
    if (baseUrl === undefined) return;
  }
  await config.update('provider', chosen.id, vscode.ConfigurationTarget.Global);
  // A preset brings its own address; an old custom one would silently win over it.
  await config.update('baseUrl', baseUrl?.trim() || undefined, vscode.ConfigurationTarget.Global);
  await config.update('endpointPath', undefined, vscode.ConfigurationTarget.Global);
  s.log.info(`Provider set to ${chosen.id}${baseUrl ? ` at ${baseUrl}` : ''}`);

  const settings = readSettings();
  const provider = resolveProvider(settings);
  // The key set for this server, never one set for the previous provider.
  const key = await s.keys.getFor(originOf(provider.baseUrl));
  if (preset.keyRequired && !key) offerToSetKey(preset.label);
  const model = await pickModel(s, provider.baseUrl, key, settings.headers, settings.model || preset.exampleModel);
  if (model === undefined) return;
  await config.update('model', model, vscode.ConfigurationTarget.Global);
  const inspected = config.inspect('model');
  if (inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t(
        'Infill: this workspace sets its own infill.model, which takes precedence over the one just chosen.',
      ),
    );
  }
  void vscode.window.showInformationMessage(vscode.l10n.t('Infill: using {0} with model {1}.', preset.label, model));
}

function pickPreset(currentProvider: string): Thenable<ProviderItem | undefined> {
  const items: ProviderItem[] = PROVIDER_IDS.map((id) => {
    const p = PROVIDER_PRESETS[id];
    const traits = [
      p.local ? vscode.l10n.t('runs locally') : undefined,
      p.paid ? vscode.l10n.t('paid, needs a key') : p.keyRequired ? vscode.l10n.t('needs a key') : undefined,
    ].filter(Boolean);
    return {
      id,
      label: p.label,
      description: p.baseUrl || vscode.l10n.t('any OpenAI-compatible server'),
      detail: [vscode.l10n.t('Example model: {0}', p.exampleModel), ...traits].join(' · '),
      picked: id === currentProvider,
    };
  });
  return vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Infill: choose a provider (1/2)'),
    placeHolder: vscode.l10n.t(
      'Current: {0}',
      PROVIDER_PRESETS[currentProvider as ProviderId]?.label ?? currentProvider,
    ),
    matchOnDescription: true,
    matchOnDetail: true,
    ignoreFocusOut: true,
  });
}

function askBaseUrl(currentBaseUrl: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: vscode.l10n.t('Infill: base URL of the server'),
    prompt: vscode.l10n.t('Without the endpoint path, e.g. http://127.0.0.1:8080/v1'),
    value: currentBaseUrl || 'http://127.0.0.1:8080/v1',
    ignoreFocusOut: true,
    validateInput: (v) => (isHttpUrl(v) ? undefined : vscode.l10n.t('Enter an http:// or https:// URL')),
  });
}

/** Not awaited: the model can be chosen while the notification waits. */
function offerToSetKey(label: string): void {
  const setKey = vscode.l10n.t('Set API Key');
  void vscode.window.showInformationMessage(vscode.l10n.t('Infill: {0} needs an API key.', label), setKey).then(
    (choice) => {
      if (choice === setKey) void vscode.commands.executeCommand('infill.setApiKey');
    },
    () => undefined,
  );
}

async function pickModel(
  s: InfillServices,
  baseUrl: string,
  key: string | undefined,
  headers: Record<string, string>,
  fallback: string,
): Promise<string | undefined> {
  const qp = vscode.window.createQuickPick<ModelItem>();
  qp.title = vscode.l10n.t('Infill: choose a model (2/2)');
  qp.placeholder = vscode.l10n.t('Asking the server for its models…');
  qp.busy = true;
  qp.ignoreFocusOut = true;
  const typeItem: ModelItem = {
    label: `$(edit) ${vscode.l10n.t('Type a model name…')}`,
    typeByHand: true,
    alwaysShow: true,
  };
  qp.items = [typeItem];
  qp.show();
  const controller = new AbortController();
  const hidden = new Promise<undefined>((resolve) => qp.onDidHide(() => resolve(undefined)));
  qp.onDidHide(() => controller.abort());

  // Listing models carries the key too: the same plain-HTTP consent applies.
  const mayList = !key || (await s.keyGuard.mayCarryKey(baseUrl, true, false));
  void (async () => {
    try {
      const ids = mayList
        ? await fetchModelIds(s.transport, { baseUrl, headers, ...(key ? { apiKey: key } : {}) }, controller.signal)
        : [];
      qp.items = [...ids.map((id) => ({ label: id, model: id })), typeItem];
      qp.placeholder =
        ids.length > 0
          ? vscode.l10n.t('{0} models on the server', ids.length)
          : vscode.l10n.t('The server listed no models; type the name');
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      s.log.info(`GET ${baseUrl}/models failed: ${message}`);
      qp.placeholder = vscode.l10n.t('Could not list models ({0}); type the name', message);
    } finally {
      qp.busy = false;
    }
  })();

  const accepted = new Promise<ModelItem | undefined>((resolve) =>
    qp.onDidAccept(() => resolve(qp.selectedItems[0] ?? qp.activeItems[0])),
  );
  const item = await Promise.race([accepted, hidden]);
  const filterText = qp.value.trim();
  qp.dispose();
  if (!item) return undefined;
  if (item.model) return item.model;
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Infill: model name'),
    value: filterText || fallback,
    prompt: vscode.l10n.t('Exactly as the server knows it, e.g. qwen2.5-coder:1.5b or gpt-3.5-turbo-instruct'),
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter a model name')),
  });
  return typed?.trim() || undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
