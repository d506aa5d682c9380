import type * as vscode from 'vscode';
import { prepareCommandRequest, type CommandRequest } from '../core/engine/commandRequest';
import { capabilityKey, type CapabilityStore } from '../core/protocol/capabilityProbe';
import type { EndpointConfig } from '../core/protocol/completionClient';
import { resolveProvider } from '../core/providers/providerPresets';
import type { InfillSettings } from '../core/settings';
import { originOf } from './apiKeyStore';
import { readSettings } from './configuration';
import { adaptDocument, editorIndentation } from './inlineProvider';
import type { InfillServices } from './services';

export interface PreparedCommand {
  settings: InfillSettings;
  prepared: CommandRequest;
  /** With the key, once its origin was cleared. */
  endpoint: EndpointConfig;
  apiKey: string | undefined;
}

/**
 * What Complete at Cursor and Show Alternatives share before they send: the settings, what the
 * capability probe learned about the server, the editor's indentation, the request, and the key
 * (after the plain-HTTP consent). Undefined when the user did not allow the key to go; throws a
 * `config` InfillError on bad settings.
 */
export async function prepareCommand(
  s: InfillServices,
  editor: vscode.TextEditor,
  choices: number,
): Promise<PreparedCommand | undefined> {
  const document = editor.document;
  const settings = readSettings(document);
  const learned = await learnedFor(s.capabilities, settings);
  const prepared = prepareCommandRequest({
    document: adaptDocument(document),
    position: editor.selection.active,
    settings,
    choices,
    ...(learned ? { learned } : {}),
    ...editorIndentation(document),
  });
  const apiKey = await s.keys.getFor(originOf(prepared.endpoint.baseUrl));
  if (!(await s.keyGuard.mayCarryKey(prepared.endpoint.baseUrl, Boolean(apiKey), true))) return undefined;
  return { settings, prepared, endpoint: { ...prepared.endpoint, ...(apiKey ? { apiKey } : {}) }, apiKey };
}

async function learnedFor(store: CapabilityStore | undefined, settings: InfillSettings) {
  if (!store) return undefined;
  try {
    return (await store.get(capabilityKey(resolveProvider(settings).baseUrl, settings.model))) ?? undefined;
  } catch {
    return undefined; // the request reports a bad provider with its own message
  }
}
