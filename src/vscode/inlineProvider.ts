import * as vscode from 'vscode';
import type { EndpointConfig } from '../core/completionClient';
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

/** Adapts VS Code's inline completion calls to the engine; all decisions live in src/core. */
export class InfillInlineProvider implements vscode.InlineCompletionItemProvider {
  private readonly limiter = new NotificationLimiter(60_000);
  lastDecision: CompletionDecision | undefined;

  constructor(
    private readonly engine: CompletionEngine,
    private readonly keys: ApiKeyStore,
    private readonly log: vscode.LogOutputChannel,
    private readonly status: StatusBar,
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
      this.log.error(`Unexpected failure: ${redactText(String(err instanceof Error ? (err.stack ?? err.message) : err))}`);
      return undefined;
    }
  }

  private async provide(
    document: vscode.TextDocument,
    position: vscode.Position,
    context: vscode.InlineCompletionContext,
    token: vscode.CancellationToken,
  ): Promise<vscode.InlineCompletionItem[] | undefined> {
    const settings = readSettings(document);
    if (!settings.enable) return this.skip('Infill is disabled (infill.enable)');
    if (!vscode.workspace.getConfiguration('editor', document).get<boolean>('inlineSuggest.enabled', true)) {
      return this.skip('editor.inlineSuggest.enabled is off');
    }
    if (isExcluded(document, settings.exclude)) return this.skip(`${vscode.workspace.asRelativePath(document.uri)} matches infill.exclude; nothing is sent`);
    if (context.triggerKind === vscode.InlineCompletionTriggerKind.Automatic && settings.debounceMs > 0) {
      if (await cancelledDuring(settings.debounceMs, token)) return this.skip('superseded while waiting for typing to pause');
    }
    if (token.isCancellationRequested) return this.skip('cancelled before the request');

    const apiKey = await this.keys.get();
    const endpoint: EndpointConfig = {
      baseUrl: settings.baseUrl,
      endpointPath: settings.endpointPath,
      headers: settings.headers,
      ...(apiKey ? { apiKey } : {}),
    };
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    this.status.set({ kind: 'requesting' });
    let outcome;
    try {
      outcome = await this.engine.complete({ document: adaptDocument(document), position, settings, endpoint, signal: controller.signal });
    } finally {
      subscription.dispose();
    }
    const d = outcome.decision;
    this.lastDecision = d;
    this.log.info(
      `POST ${settings.model}: prompt ${d.promptChars} chars, suffix ${d.suffixChars} chars -> ` +
        `${d.status ?? '-'} ${d.outcome}${d.headersMs !== undefined ? `, first byte ${d.headersMs.toFixed(0)} ms` : ''}` +
        `${d.totalMs !== undefined ? `, total ${d.totalMs.toFixed(0)} ms` : ''}${d.outcome === 'shown' ? '' : ` (${redactText(d.reason, apiKey ? [apiKey] : [])})`}`,
    );
    if (d.outcome === 'error' && d.error) {
      const reason = redactText(d.error.message, apiKey ? [apiKey] : []);
      this.status.set({ kind: 'error', reason });
      if (this.limiter.shouldShow(d.error.signature)) {
        void vscode.window.showWarningMessage(vscode.l10n.t('Infill: {0}', reason), vscode.l10n.t('Show Log')).then((choice) => {
          if (choice) this.log.show(true);
        });
      }
      return undefined;
    }
    this.status.set({ kind: 'ready' });
    if (d.outcome === 'cancelled') return undefined;
    return outcome.suggestions.map(
      (s) => new vscode.InlineCompletionItem(s.insertText, new vscode.Range(position, position.translate(0, s.replaceSuffixChars))),
    );
  }

  private skip(reason: string): undefined {
    this.log.debug(`No request: ${reason}`);
    return undefined;
  }
}

/** Waits for typing to pause; true if the editor gave up on this position meanwhile. */
function cancelledDuring(ms: number, token: vscode.CancellationToken): Promise<boolean> {
  return new Promise((resolve) => {
    if (token.isCancellationRequested) return resolve(true);
    const timer = setTimeout(() => {
      sub.dispose();
      resolve(false);
    }, ms);
    const sub = token.onCancellationRequested(() => {
      clearTimeout(timer);
      sub.dispose();
      resolve(true);
    });
  });
}
