import * as vscode from 'vscode';
import { capabilityKey, probeCapabilities, type CapabilityStore } from '../core/protocol/capabilityProbe';
import { endpointFor, type EndpointConfig } from '../core/protocol/completionClient';
import type { CompletionController } from '../core/engine/completionController';
import type { CompletionDecision } from '../core/engine/completionEngine';
import { NotificationLimiter } from '../core/reports/notificationLimiter';
import { resolveProvider, type ResolvedProvider } from '../core/providers/providerPresets';
import type { InfillSettings } from '../core/settings';
import { redactText } from '../core/policy/redaction';
import type { TextDocumentLike } from '../core/prompt/textDocumentLike';
import { documentLexicalStates } from '../core/stream/lexicalState';
import { originOf, type ApiKeyStore } from './apiKeyStore';
import { readSettings } from './configuration';
import type { StatusBar } from './statusBar';
import type { ContextService } from './context/contextService';

/** One adapter per editor document, so what core keeps per document (stream/lexicalState.ts) survives calls. */
const adapted = new WeakMap<vscode.TextDocument, TextDocumentLike>();

export function adaptDocument(document: vscode.TextDocument): TextDocumentLike {
  let like = adapted.get(document);
  if (!like) {
    like = adaptOnce(document);
    adapted.set(document, like);
  }
  return like;
}

/** Edits drop what core knows about the lines below them; closing a document forgets it. */
export function watchDocumentEdits(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.onDidChangeTextDocument((e) => {
      const like = adapted.get(e.document);
      if (!like || e.contentChanges.length === 0) return;
      const first = Math.min(...e.contentChanges.map((c) => c.range.start.line));
      documentLexicalStates.invalidateFrom(like, first);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      const like = adapted.get(d);
      if (like) documentLexicalStates.forget(like);
      adapted.delete(d);
    }),
  );
}

function adaptOnce(document: vscode.TextDocument): TextDocumentLike {
  return {
    get languageId() {
      return document.languageId;
    },
    fileName: document.fileName,
    get lineCount() {
      return document.lineCount;
    },
    lineText: (line) => document.lineAt(line).text,
    get eol() {
      return document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
    },
  };
}

/** Whether `infill.exclude` covers a document: the same matcher for every path that sends text. */
export type ExclusionCheck = (document: vscode.TextDocument, settings: InfillSettings) => boolean;

/** Other open editors offered for `infill.context.openFiles`: same language, not excluded. */
const MAX_OPEN_DOCUMENTS = 8;

/**
 * Adapts VS Code's inline completion calls to the completion controller; all decisions (gate,
 * cache, debounce, reuse, stop rules, post-processing) live in src/core.
 */
export class InfillInlineProvider implements vscode.InlineCompletionItemProvider, vscode.Disposable {
  private readonly limiter = new NotificationLimiter(60_000);
  /** (baseUrl, model) pairs probed in this session, so a failing probe is not repeated per keystroke. */
  private readonly probed = new Set<string>();
  lastDecision: CompletionDecision | undefined;
  /** Nothing typed since a word/line accept in this document: the next request asks for one line. */
  afterPartialAccept: ((document: vscode.TextDocument) => boolean) | undefined;

  constructor(
    /** Owned from here on: disposed with the provider. */
    private readonly controller: CompletionController,
    private readonly keys: ApiKeyStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly status: StatusBar,
    private readonly isExcluded: ExclusionCheck,
    /** What the capability probe learned per (baseUrl, model); absent in tests that do not probe. */
    private readonly capabilities?: CapabilityStore,
    /** Definitions, recent edits and the other `infill.context.*` sources; absent in tests without them. */
    private readonly contextSources?: ContextService,
  ) {}

  async provideInlineCompletionItems(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    try {
      return await this.provide(document, position, context, token);
    } catch (err) {
      // Never throw into VS Code: a bug here must cost one suggestion, not the editor.
      this.log.error(
        `Unexpected failure: ${redactText(String(err instanceof Error ? (err.stack ?? err.message) : err))}`,
      );
      return undefined;
    }
  }

  dispose(): void {
    this.controller.dispose();
  }

  private async provide(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const settings = readSettings(document);
    const skipped = this.skipBeforeRequest(document, settings);
    if (skipped) return this.skip(skipped);
    if (token.isCancellationRequested) return undefined;
    // Started now, with the keystroke: the language server answers while the debounce waits.
    const gathered = this.contextSources?.begin(document, position, settings, { local: isLocalServer(settings) });
    const { endpoint, apiKey } = await this.endpointWithKey(settings);
    const provider = await this.providerWithCapabilities(settings, apiKey);
    const abort = new AbortController();
    const subscription = token.onCancellationRequested(() => abort.abort());
    const trigger = context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke ? 'invoke' : 'automatic';
    this.status.set({ kind: this.coldStart(provider, settings) ? 'loading' : 'requesting' });
    let outcome;
    try {
      outcome = await this.controller.provide({
        document: adaptDocument(document),
        position,
        trigger,
        settings,
        endpoint,
        signal: abort.signal,
        ...(provider ? { provider } : {}),
        ...(this.afterPartialAccept?.(document) ? { afterPartialAccept: true } : {}),
        ...(settings.contextOpenFiles ? { openDocuments: this.openDocumentsLike(document, settings) } : {}),
        ...(gathered ? { context: gathered.context, resolveContext: gathered.resolve } : {}),
        ...editorIndentation(document),
      });
    } finally {
      subscription.dispose();
    }
    const d = outcome.decision;
    this.lastDecision = d;
    const secrets = apiKey ? [apiKey] : [];
    this.logDecision(d, settings, secrets);
    if (d.outcome === 'error' && d.error) {
      this.reportError(d.error, secrets);
      return undefined;
    }
    this.status.set({ kind: 'ready' });
    if (d.outcome === 'cancelled' || token.isCancellationRequested) return undefined;
    return outcome.suggestions.map(
      (s) =>
        new vscode.InlineCompletionItem(
          s.insertText,
          new vscode.Range(position, position.translate(0, s.replaceSuffixChars)),
        ),
    );
  }

  /** The decision for a call that sends nothing (Infill or inline suggestions off, an excluded file). */
  private skipBeforeRequest(document: vscode.TextDocument, settings: InfillSettings): CompletionDecision | undefined {
    if (!settings.enable)
      return this.controller.skip(settings, 'disabled', 'Infill is disabled (infill.enable)').decision;
    if (!vscode.workspace.getConfiguration('editor', document).get<boolean>('inlineSuggest.enabled', true)) {
      return this.controller.skip(settings, 'disabled', 'editor.inlineSuggest.enabled is off').decision;
    }
    if (this.isExcluded(document, settings)) {
      return this.controller.skip(
        settings,
        'excludedFile',
        `${vscode.workspace.asRelativePath(document.uri)} matches infill.exclude; nothing is sent`,
      ).decision;
    }
    return undefined;
  }

  /** Where to send, with the key set for the server this document's settings name, never one set for another. */
  private async endpointWithKey(
    settings: InfillSettings,
  ): Promise<{ endpoint: EndpointConfig; apiKey: string | undefined }> {
    let origin: string | undefined;
    try {
      origin = originOf(resolveProvider(settings).baseUrl);
    } catch {
      origin = undefined; // the controller reports the bad provider
    }
    const apiKey = await this.keys.getFor(origin);
    // The settings' own address, as typed: the controller resolves the preset behind it.
    return { endpoint: endpointFor(settings, settings, apiKey), apiKey };
  }

  /** One log line per call: debug for what did not reach the network, info for a request sent. */
  private logDecision(d: CompletionDecision, settings: InfillSettings, secrets: string[]): void {
    if (d.outcome === 'skipped' || d.source !== 'network') {
      this.log.debug(`${d.outcome} (${d.reasonCode}, ${d.source}): ${redactText(d.reason, secrets)}`);
      return;
    }
    this.log.info(
      `POST ${settings.model}: prompt ${d.promptChars} chars, suffix ${d.suffixChars} chars, ${d.fimMode ?? '-'} -> ` +
        `${d.status ?? '-'} ${d.outcome}${d.headersMs !== undefined ? `, first byte ${d.headersMs.toFixed(0)} ms` : ''}` +
        `${d.totalMs !== undefined ? `, total ${d.totalMs.toFixed(0)} ms` : ''}${d.stopRule ? `, stopped: ${d.stopRule}` : ''}` +
        `${d.outcome === 'shown' ? '' : ` (${d.reasonCode}: ${redactText(d.reason, secrets)})`}`,
    );
  }

  /** A failed request: the status bar says why, and a rate-limited warning offers the log. */
  private reportError(error: NonNullable<CompletionDecision['error']>, secrets: string[]): void {
    const reason = redactText(error.message, secrets);
    this.status.set({ kind: 'error', reason });
    if (!this.limiter.shouldShow(error.signature)) return;
    void vscode.window
      .showWarningMessage(vscode.l10n.t('Infill: {0}', reason), vscode.l10n.t('Show Log'))
      .then((choice) => {
        if (choice) this.log.show(true);
      });
  }

  /**
   * The preset, narrowed by what the capability probe learned for this (baseUrl, model). A
   * `custom` server that is not billed is probed once, in the background, the first time it is
   * used, so its quirks are known without the user listing them; until the answer is in, the
   * preset's defaults apply. Paid servers are probed only by Infill: Test Connection.
   */
  private async providerWithCapabilities(
    settings: InfillSettings,
    apiKey: string | undefined,
  ): Promise<ResolvedProvider | undefined> {
    if (!this.capabilities) return undefined;
    let provider: ResolvedProvider;
    try {
      provider = resolveProvider(settings);
    } catch {
      return undefined; // the controller reports the configuration error with its reason
    }
    const key = capabilityKey(provider.baseUrl, settings.model);
    let learned;
    try {
      learned = await this.capabilities.get(key);
    } catch {
      learned = undefined;
    }
    if (learned) return resolveProvider(settings, learned);
    // Local presets that say what they run (llama.cpp /props, Ollama /api/show) are asked too: their
    // context size keeps the prompt from being cut.
    const worthProbing = provider.id === 'custom' || provider.templateSource !== undefined;
    if (worthProbing && !provider.paid && !this.probed.has(key)) {
      this.probed.add(key);
      const endpoint = endpointFor(provider, settings, apiKey);
      void probeCapabilities(this.controller.transport, endpoint, settings.model, provider, this.capabilities, {
        allowPaid: false,
      }).then(
        (outcome) =>
          this.log.info(`Capability probe of ${provider.baseUrl} (${settings.model}): ${describeProbe(outcome)}`),
        (err: unknown) => this.log.warn(`Capability probe failed: ${redactText(String(err), apiKey ? [apiKey] : [])}`),
      );
    }
    return provider;
  }

  /** True when this request goes to a local server that has not answered yet (it may be loading the model). */
  private coldStart(provider: ResolvedProvider | undefined, settings: InfillSettings): boolean {
    try {
      const base = settings.baseUrl || provider?.baseUrl || resolveProvider(settings).baseUrl;
      return this.controller.transport.isColdStart(new URL(base));
    } catch {
      return false;
    }
  }

  /** Other open documents of the same language that may be sent (not excluded, not the current one). */
  private openDocumentsLike(current: vscode.TextDocument, settings: InfillSettings): TextDocumentLike[] {
    // Only documents the user has open in an editor tab: VS Code also keeps documents that
    // extensions opened in the background, which the user never chose to show anyone.
    const inTabs = new Set<string>();
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs) if (tab.input instanceof vscode.TabInputText) inTabs.add(tab.input.uri.toString());
    }
    const out: TextDocumentLike[] = [];
    for (const doc of vscode.workspace.textDocuments) {
      if (out.length >= MAX_OPEN_DOCUMENTS) break;
      if (doc === current || doc.languageId !== current.languageId) continue;
      if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') continue;
      if (!inTabs.has(doc.uri.toString())) continue;
      if (this.isExcluded(doc, settings)) continue;
      out.push(adaptDocument(doc));
    }
    return out;
  }

  private skip(decision: CompletionDecision): undefined {
    this.lastDecision = decision;
    this.log.debug(`No request: ${decision.reason}`);
    return undefined;
  }
}

/** Whether the configured server runs on this machine (the clipboard goes only there by default). */
function isLocalServer(settings: InfillSettings): boolean {
  try {
    return resolveProvider(settings).local;
  } catch {
    return false;
  }
}

/** The real `tabSize` and `insertSpaces` of the editor showing `document` (VS Code resolves `auto`). */
export function editorIndentation(document: vscode.TextDocument): { tabSize?: number; insertSpaces?: boolean } {
  const editor =
    vscode.window.activeTextEditor?.document === document
      ? vscode.window.activeTextEditor
      : vscode.window.visibleTextEditors.find((e) => e.document === document);
  const { tabSize, insertSpaces } = editor?.options ?? {};
  return {
    ...(typeof tabSize === 'number' ? { tabSize } : {}),
    ...(typeof insertSpaces === 'boolean' ? { insertSpaces } : {}),
  };
}

function describeProbe(outcome: Awaited<ReturnType<typeof probeCapabilities>>): string {
  switch (outcome.kind) {
    case 'probed':
    case 'cached':
      return `${outcome.kind}; accepts [${outcome.record.acceptedParams.join(', ')}], rejects [${(outcome.record.rejectedParams ?? []).join(', ')}], suffix ${String(outcome.record.acceptsSuffix ?? 'unknown')}`;
    case 'skipped':
      return `skipped: ${outcome.reason}`;
    case 'failed':
      return `failed after ${outcome.requests} request(s): ${outcome.error.message}`;
  }
}
