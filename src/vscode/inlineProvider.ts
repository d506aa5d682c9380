import * as vscode from 'vscode';
import type { EndpointConfig } from '../core/completionClient';
import { CompletionController } from '../core/completionController';
import type { CompletionDecision, CompletionEngine } from '../core/completionEngine';
import { NotificationLimiter } from '../core/notificationLimiter';
import { redactText } from '../core/redaction';
import type { TextDocumentLike } from '../core/textDocumentLike';
import type { ApiKeyStore } from './apiKeyStore';
import { readSettings } from './configuration';
import type { StatusBar } from './statusBar';

export function adaptDocument(document: vscode.TextDocument): TextDocumentLike {
  return {
    languageId: document.languageId,
    fileName: document.fileName,
    get lineCount() {
      return document.lineCount;
    },
    lineText: (line) => document.lineAt(line).text,
    eol: document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n',
  };
}

export function isExcluded(document: vscode.TextDocument, globs: readonly string[]): boolean {
  return globs.some((pattern) => vscode.languages.match({ pattern }, document) > 0);
}

/** Other open editors offered for `infill.context.openFiles`: same language, not excluded. */
const MAX_OPEN_DOCUMENTS = 8;

/**
 * Adapts VS Code's inline completion calls to the completion controller; all decisions (gate,
 * cache, debounce, reuse, stop rules, post-processing) live in src/core.
 */
export class InfillInlineProvider implements vscode.InlineCompletionItemProvider, vscode.Disposable {
  private readonly limiter = new NotificationLimiter(60_000);
  private readonly controller: CompletionController;
  private readonly ownsController: boolean;
  lastDecision: CompletionDecision | undefined;

  constructor(
    engine: CompletionEngine | CompletionController,
    private readonly keys: ApiKeyStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly status: StatusBar,
  ) {
    this.ownsController = !(engine instanceof CompletionController);
    this.controller = engine instanceof CompletionController ? engine : new CompletionController(engine.transport);
  }

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
      this.log.error(`Unexpected failure: ${redactText(String(err instanceof Error ? (err.stack ?? err.message) : err))}`);
      return undefined;
    }
  }

  dispose(): void {
    if (this.ownsController) this.controller.dispose();
  }

  private async provide(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const settings = readSettings(document);
    if (!settings.enable) return this.skip(this.controller.skip(settings, 'disabled', 'Infill is disabled (infill.enable)').decision);
    if (!vscode.workspace.getConfiguration('editor', document).get<boolean>('inlineSuggest.enabled', true)) {
      return this.skip(this.controller.skip(settings, 'disabled', 'editor.inlineSuggest.enabled is off').decision);
    }
    if (isExcluded(document, settings.exclude)) {
      return this.skip(this.controller.skip(settings, 'excludedFile', `${vscode.workspace.asRelativePath(document.uri)} matches infill.exclude; nothing is sent`).decision);
    }
    if (token.isCancellationRequested) return undefined;

    const apiKey = await this.keys.get();
    const endpoint: EndpointConfig = {
      baseUrl: settings.baseUrl,
      endpointPath: settings.endpointPath,
      headers: settings.headers,
      ...(apiKey ? { apiKey } : {}),
    };
    const abort = new AbortController();
    const subscription = token.onCancellationRequested(() => abort.abort());
    const trigger = context.triggerKind === vscode.InlineCompletionTriggerKind.Invoke ? 'invoke' : 'automatic';
    this.status.set({ kind: 'requesting' });
    let outcome;
    try {
      outcome = await this.controller.provide({
        document: adaptDocument(document),
        position,
        trigger,
        settings,
        endpoint,
        signal: abort.signal,
        ...(settings.contextOpenFiles ? { openDocuments: this.openDocumentsLike(document, settings.exclude) } : {}),
      });
    } finally {
      subscription.dispose();
    }
    const d = outcome.decision;
    this.lastDecision = d;
    const secrets = apiKey ? [apiKey] : [];
    if (d.outcome === 'skipped' || d.source !== 'network') {
      this.log.debug(`${d.outcome} (${d.reasonCode}, ${d.source}): ${redactText(d.reason, secrets)}`);
    } else {
      this.log.info(
        `POST ${settings.model}: prompt ${d.promptChars} chars, suffix ${d.suffixChars} chars, ${d.fimMode ?? '-'} -> ` +
          `${d.status ?? '-'} ${d.outcome}${d.headersMs !== undefined ? `, first byte ${d.headersMs.toFixed(0)} ms` : ''}` +
          `${d.totalMs !== undefined ? `, total ${d.totalMs.toFixed(0)} ms` : ''}${d.stopRule ? `, stopped: ${d.stopRule}` : ''}` +
          `${d.outcome === 'shown' ? '' : ` (${d.reasonCode}: ${redactText(d.reason, secrets)})`}`,
      );
    }
    if (d.outcome === 'error' && d.error) {
      const reason = redactText(d.error.message, secrets);
      this.status.set({ kind: 'error', reason });
      if (this.limiter.shouldShow(d.error.signature)) {
        void vscode.window.showWarningMessage(vscode.l10n.t('Infill: {0}', reason), vscode.l10n.t('Show Log')).then((choice) => {
          if (choice) this.log.show(true);
        });
      }
      return undefined;
    }
    this.status.set({ kind: 'ready' });
    if (d.outcome === 'cancelled' || token.isCancellationRequested) return undefined;
    return outcome.suggestions.map(
      (s) => new vscode.InlineCompletionItem(s.insertText, new vscode.Range(position, position.translate(0, s.replaceSuffixChars))),
    );
  }

  /** Other open documents of the same language that may be sent (not excluded, not the current one). */
  private openDocumentsLike(current: vscode.TextDocument, exclude: readonly string[]): TextDocumentLike[] {
    const out: TextDocumentLike[] = [];
    for (const doc of vscode.workspace.textDocuments) {
      if (out.length >= MAX_OPEN_DOCUMENTS) break;
      if (doc === current || doc.languageId !== current.languageId) continue;
      if (doc.uri.scheme !== 'file' && doc.uri.scheme !== 'untitled') continue;
      if (isExcluded(doc, exclude)) continue;
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
