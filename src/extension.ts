import * as vscode from 'vscode';
import { CompletionController } from './core/engine/completionController';
import { HttpTransport } from './core/transport/httpTransport';
import { isIgnoredWorkspaceOverride, RESTRICTED_SETTINGS } from './core/policy/trustPolicy';
import { AcceptanceTracking, RECORD_ACCEPT_COMMAND } from './vscode/acceptanceTracking';
import { clearApiKey, setApiKey } from './vscode/apiKeyCommands';
import { ApiKeyStore, originOf } from './vscode/apiKeyStore';
import { CompleteAtCursor } from './vscode/completeAtCursor';
import { resolveProvider } from './core/providers/providerPresets';
import { readSettings } from './vscode/configuration';
import { DecisionLog } from './vscode/decisionLog';
import { explainLastSuggestion } from './vscode/explainDecision';
import { countUsage, gateInlineProvider } from './vscode/gatedInlineProvider';
import { GlobalStateCapabilityStore } from './vscode/capabilityStore';
import { InfillInlineProvider, watchDocumentEdits } from './vscode/inlineProvider';
import { registerWarmUp } from './vscode/warmUp';
import { ContextService } from './vscode/context/contextService';
import { KeyTransportGuard } from './vscode/keyTransportGuard';
import { createRedactingLog } from './vscode/logger';
import { chooseProvider } from './vscode/providerPicker';
import { ReportDocuments } from './vscode/reportDocuments';
import { RequestGate } from './vscode/requestGate';
import { registerSafeCommand } from './vscode/safeCommand';
import type { InfillServices } from './vscode/services';
import { showAlternatives } from './vscode/showAlternatives';
import { StatusBar } from './vscode/statusBar';
import { showMenu } from './vscode/statusMenu';
import { testConnection } from './vscode/testConnection';
import { toggleForLanguage, toggleGlobally, triggerSuggestion } from './vscode/toggleCommands';
import { applyTransportSettings } from './vscode/transportSettings';
import { UsageTracking } from './vscode/usageTracking';
import { resetStatistics, UsageView } from './vscode/usageView';

let transport: HttpTransport | undefined;
let usage: UsageTracking | undefined;
let acceptance: AcceptanceTracking | undefined;

/**
 * Wires the extension in four steps: the shared services, the inline provider around the completion
 * controller, the status refresh with the events that trigger it, and the commands.
 */
export function activate(context: vscode.ExtensionContext): void {
  const channel = vscode.window.createOutputChannel('Infill', { log: true });
  const services = createServices(context, channel);
  const { keys, log, status } = services;
  const contextSources = new ContextService((uri, settings) => services.gate.isExcludedUri(uri, settings));
  context.subscriptions.push(contextSources);
  const { provider, accepted } = createInlineProvider(services, contextSources);
  acceptance = accepted;
  const usageView = new UsageView(services.usage, accepted);
  const completeAtCursor = new CompleteAtCursor(services);
  const refresh = createStatusRefresh(services, accepted);

  context.subscriptions.push(
    channel,
    keys,
    status,
    services.reports,
    services.usage,
    accepted,
    usageView,
    completeAtCursor,
    provider,
    watchDocumentEdits(),
    registerWarmUp(services),
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, provider),
    ...watchForRefresh(services, accepted, refresh),
    ...registerCommands(services, { channel, accepted, usageView, completeAtCursor }),
  );
  refresh(true);
  // Read the key once now, so log redaction knows it before the first request.
  void keys.get().catch(() => undefined);
  log.info(
    `Infill activated${vscode.workspace.isTrusted ? '' : ' (untrusted workspace: server address, headers and proxy come from user settings only)'}`,
  );
}

/** The services the provider and the commands share (also sets the module's `transport` and `usage`). */
function createServices(context: vscode.ExtensionContext, channel: vscode.LogOutputChannel): InfillServices {
  // Every line anyone writes to the log passes redaction, with the stored keys as known secrets.
  const log = createRedactingLog(channel, () => keys.peekAll());
  const keys = new ApiKeyStore(
    context.secrets,
    () => {
      try {
        return originOf(resolveProvider(readSettings()).baseUrl);
      } catch {
        return undefined; // an unknown provider: no key goes anywhere
      }
    },
    (err) =>
      log.warn(
        `The API key could not be read from secret storage, so requests go without one: ${err instanceof Error ? err.message : String(err)}`,
      ),
  );
  transport = new HttpTransport();
  usage = new UsageTracking(context.globalState);
  return {
    context,
    transport,
    keys,
    keyGuard: new KeyTransportGuard(context.globalState, log),
    gate: new RequestGate(),
    log,
    status: new StatusBar(),
    usage,
    decisions: new DecisionLog(),
    reports: new ReportDocuments(),
    capabilities: new GlobalStateCapabilityStore(context.globalState),
  };
}

/** The inline provider as VS Code sees it: controller, then the gate, then acceptance tracking around it. */
function createInlineProvider(
  services: InfillServices,
  contextSources: ContextService,
): { provider: InfillInlineProvider; accepted: AcceptanceTracking } {
  const { context, transport, keys, log, status, gate } = services;
  // Every request the controller sends is counted when its answer is in (prefetches, and requests
  // whose editor call was cancelled before another call used them, included).
  const controller = new CompletionController(transport, {
    onRequestSettled: (decision) => countUsage(services.usage, decision),
  });
  // The acceptance statistics read the controller's counters (requests sent, served locally).
  const accepted = new AcceptanceTracking(context.globalState, () => controller.stats);
  const inlineProvider = new InfillInlineProvider(
    controller,
    keys,
    log,
    status,
    (document, settings) => gate.isExcluded(document, settings),
    services.capabilities,
    contextSources,
  );
  inlineProvider.afterPartialAccept = (document) => accepted.afterPartialAccept(document);
  const gatedProvider = gateInlineProvider(inlineProvider, {
    shouldRequest: gate.shouldRequest,
    keyGuard: services.keyGuard,
    keys,
    decisions: services.decisions,
    log,
  });
  return { provider: accepted.wrap(gatedProvider), accepted };
}

/**
 * Brings the status bar up to date for the active editor; with `configurationChanged`, also applies the
 * transport settings and reports ignored workspace settings and invalid exclusion globs.
 */
function createStatusRefresh(
  services: InfillServices,
  accepted: AcceptanceTracking,
): (configurationChanged: boolean) => void {
  const { status, gate, log } = services;
  const warnedOverrides = new Set<string>();
  return (configurationChanged: boolean) => {
    try {
      const document = vscode.window.activeTextEditor?.document;
      const settings = readSettings(document);
      status.setModel(settings.model);
      if (document) {
        const verdict = gate.shouldRequest(document);
        if (verdict.allowed) status.setAvailability({ kind: 'on' });
        else
          status.setAvailability({
            kind: 'off',
            scope: verdict.scope === 'editor' ? 'file' : verdict.scope,
            why: verdict.reason,
          });
      } else {
        status.setAvailability(
          settings.enable
            ? { kind: 'on' }
            : { kind: 'off', scope: 'global', why: vscode.l10n.t('Infill is turned off (infill.enable)') },
        );
      }
      status.setUsage(services.usage.todayLine(settings.pricing));
      status.setAcceptance(accepted.todayLine());
      if (configurationChanged) {
        status.clearError();
        applyTransportSettings(services.transport, settings, log);
        reportIgnoredWorkspaceSettings(log, warnedOverrides);
        const invalid = gate.invalidPatterns(settings);
        if (invalid.length > 0) log.warn(`infill.exclude: not valid glob patterns, ignored: ${invalid.join(', ')}`);
      }
    } catch (err) {
      log.error(`Could not refresh the status: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
}

/** The events that change what the status bar shows: settings, the active editor, trust, the counters. */
function watchForRefresh(
  services: InfillServices,
  accepted: AcceptanceTracking,
  refresh: (configurationChanged: boolean) => void,
): vscode.Disposable[] {
  const { status, log } = services;
  return [
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (
        e.affectsConfiguration('infill') ||
        e.affectsConfiguration('editor.inlineSuggest') ||
        e.affectsConfiguration('http')
      )
        refresh(true);
    }),
    vscode.window.onDidChangeActiveTextEditor(() => refresh(false)),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      log.info('Workspace trusted: workspace settings for the server address, headers and proxy now apply');
      refresh(true);
    }),
    services.usage.onDidChange(() => status.setUsage(services.usage.todayLine(readSettings().pricing))),
    accepted.onDidChange(() => status.setAcceptance(accepted.todayLine())),
  ];
}

/** Every `infill.*` command, each behind registerSafeCommand so that a failure is logged, never thrown. */
function registerCommands(
  services: InfillServices,
  parts: {
    channel: vscode.LogOutputChannel;
    accepted: AcceptanceTracking;
    usageView: UsageView;
    completeAtCursor: CompleteAtCursor;
  },
): vscode.Disposable[] {
  const { keys, log, status } = services;
  const { channel, accepted, usageView, completeAtCursor } = parts;
  const command = (id: string, handler: (...args: unknown[]) => unknown) => registerSafeCommand(id, handler, log);
  return [
    command('infill.setApiKey', () => setApiKey(keys)),
    command('infill.clearApiKey', () => clearApiKey(keys)),
    command('infill.toggle', () => toggleGlobally()),
    command('infill.toggleLanguage', (languageId) =>
      toggleForLanguage(typeof languageId === 'string' ? languageId : undefined),
    ),
    command('infill.trigger', () => triggerSuggestion()),
    command('infill.completeAtCursor', () => completeAtCursor.run()),
    command('infill.stopCompleteAtCursor', () => completeAtCursor.stop()),
    command('infill.showAlternatives', () => showAlternatives(services)),
    command('infill.chooseProvider', () => chooseProvider(services)),
    command('infill.testConnection', () => testConnection(services)),
    command('infill.showLog', () => channel.show()),
    command('infill.showUsage', () => usageView.show()),
    command('infill.acceptNextWord', () => accepted.acceptNext('word')),
    command('infill.acceptNextLine', () => accepted.acceptNext('line')),
    command(RECORD_ACCEPT_COMMAND, (id) => accepted.recordAccept(id)),
    command('infill.resetStatistics', async () => {
      await resetStatistics(services.usage, accepted);
      status.setUsage(services.usage.todayLine(readSettings().pricing));
    }),
    command('infill.explainLastSuggestion', () => explainLastSuggestion(services.decisions, services.reports, keys)),
    command('infill.showMenu', () => showMenu(services)),
  ];
}

/** Says once per setting that an untrusted workspace's value is being ignored. */
function reportIgnoredWorkspaceSettings(log: vscode.LogOutputChannel, warned: Set<string>): void {
  if (vscode.workspace.isTrusted) return;
  const config = vscode.workspace.getConfiguration('infill');
  for (const key of RESTRICTED_SETTINGS) {
    if (warned.has(key) || !isIgnoredWorkspaceOverride(key, config.inspect(key), false)) continue;
    warned.add(key);
    log.warn(
      `This workspace sets infill.${key}, which is ignored until you trust the workspace; the user setting applies`,
    );
  }
}

export async function deactivate(): Promise<void> {
  await usage?.flush().catch(() => undefined);
  usage = undefined;
  await acceptance?.flush().catch(() => undefined);
  acceptance = undefined;
  await transport?.close();
  transport = undefined;
}
