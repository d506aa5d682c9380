import * as vscode from 'vscode';
import { prepareCompletion } from '../core/engine/completionEngine';
import { endpointFor, requestCompletion } from '../core/protocol/completionClient';
import {
  OLLAMA_KEEP_ALIVE_AFTER_PAUSE_MS,
  ollamaKeepAliveRequest,
  warmUpBody,
  WarmUpPolicy,
} from '../core/protocol/warmUp';
import { resolveProvider } from '../core/providers/providerPresets';
import { redactText } from '../core/policy/redaction';
import { withPromptSpeed } from '../core/engine/promptSpeed';
import { originOf } from './apiKeyStore';
import { readSettings } from './configuration';
import { adaptDocument } from './inlineProvider';
import type { InfillServices } from './services';

/**
 * Warms local servers up when an editor gains focus after a pause (see core/protocol/warmUp.ts):
 * the window regaining focus, or another editor becoming active. Never for a file the request gate
 * refuses (excluded, disabled, untrusted), never for a paid or remote server, never blocking.
 */
export function registerWarmUp(s: InfillServices): vscode.Disposable {
  const policy = new WarmUpPolicy();
  const quiet = (err: unknown) =>
    s.log.debug(`Warm-up skipped: ${redactText(err instanceof Error ? err.message : String(err))}`);
  const warm = (editor: vscode.TextEditor | undefined) => {
    if (editor) void warmUp(s, policy, editor).catch(quiet);
  };
  let pause: NodeJS.Timeout | undefined;
  const onEdit = (event: vscode.TextDocumentChangeEvent) => {
    if (event.document !== vscode.window.activeTextEditor?.document) return;
    clearTimeout(pause);
    pause = setTimeout(() => void keepOllamaLoaded(s, event.document).catch(quiet), OLLAMA_KEEP_ALIVE_AFTER_PAUSE_MS);
  };
  return vscode.Disposable.from(
    vscode.window.onDidChangeWindowState((state) => {
      if (state.focused) warm(vscode.window.activeTextEditor);
    }),
    vscode.window.onDidChangeActiveTextEditor(warm),
    vscode.workspace.onDidChangeTextDocument(onEdit),
    { dispose: () => clearTimeout(pause) },
  );
}

/** Ollama only: sets its native keep_alive, after the requests that reset it to Ollama's default. */
async function keepOllamaLoaded(s: InfillServices, document: vscode.TextDocument): Promise<void> {
  const settings = readSettings(document);
  const keepAlive = settings.ollamaKeepAlive.trim();
  if (!settings.enable || keepAlive === '' || !s.gate.shouldRequest(document).allowed) return;
  const provider = resolveProvider(settings);
  if (provider.id !== 'ollama' || !provider.local) return;
  const { url, body } = ollamaKeepAliveRequest(provider.baseUrl, settings.model, keepAlive);
  const response = await s.transport.post(url, body, settings.headers);
  await response.release();
}

async function warmUp(s: InfillServices, policy: WarmUpPolicy, editor: vscode.TextEditor): Promise<void> {
  const document = editor.document;
  const settings = readSettings(document);
  if (!settings.enable || !settings.warmUp) return;
  if (!s.gate.shouldRequest(document).allowed) return;
  const provider = withPromptSpeed(resolveProvider(settings), settings.baseUrl, s.transport);
  if (!provider.local || provider.paid) return;
  const origin = originOf(provider.baseUrl);
  if (!origin || !policy.shouldWarmUp(origin, Date.now(), s.transport.lastRequestAt(origin))) return;
  const apiKey = await s.keys.getFor(origin);
  // The same address, path and headers ghost text sends to (inlineProvider.ts endpointWithKey).
  const endpoint = endpointFor(settings, settings, apiKey);
  const position = editor.selection.active;
  const prepared = prepareCompletion({
    document: adaptDocument(document),
    position: { line: position.line, character: position.character },
    settings,
    endpoint,
    provider,
  });
  if (!(await s.keyGuard.mayCarryKey(prepared.endpoint.baseUrl, Boolean(apiKey), false))) return;
  const started = performance.now();
  await requestCompletion(s.transport, prepared.endpoint, warmUpBody(prepared.built.body), { retry: false });
  s.log.debug(`Warmed up ${origin} (${Math.round(performance.now() - started)} ms)`);
  await keepOllamaLoaded(s, document);
}
