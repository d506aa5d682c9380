import * as vscode from 'vscode';
import { newDecision, type DecisionReasonCode, type DecisionRecord } from '../core/reports/decisionRecord';
import { resolveProvider } from '../core/providers/providerPresets';
import { originOf, type ApiKeyStore } from './apiKeyStore';
import { readSettings } from './configuration';
import type { InfillSettings } from '../core/settings';
import type { DecisionLog } from './decisionLog';
import type { KeyTransportGuard } from './keyTransportGuard';
import type { ShouldRequest } from './requestGate';
import { describeRequestTarget } from './requestSummary';
import type { UsageTracking } from './usageTracking';

/** What the wrapper reads from the engine's provider after each call. */
export interface DecidingProvider extends vscode.InlineCompletionItemProvider {
  lastDecision?: DecisionRecord | undefined;
}

export interface GateDependencies {
  shouldRequest: ShouldRequest;
  keyGuard: KeyTransportGuard;
  keys: ApiKeyStore;
  decisions: DecisionLog;
  log: vscode.LogOutputChannel;
}

/**
 * Wraps the engine's inline provider without changing it: before a call, the checks that decide
 * whether anything may be sent (on/off, language, exclusion, plain-HTTP key consent); after it,
 * the decision it made is kept per document for "Explain Last Suggestion". Tokens are counted by
 * the controller's onRequestSettled, once per request sent, not per editor call.
 * Every other member of the provider passes through, so the engine's own hooks keep working.
 */
export function gateInlineProvider<P extends DecidingProvider>(inner: P, deps: GateDependencies): P {
  const provide: vscode.InlineCompletionItemProvider['provideInlineCompletionItems'] = (
    document,
    position,
    context,
    token,
  ) => provideGated(inner, deps, document, position, context, token);
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'provideInlineCompletionItems') return provide;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

async function provideGated(
  inner: DecidingProvider,
  deps: GateDependencies,
  document: vscode.TextDocument,
  position: vscode.Position,
  context: vscode.InlineCompletionContext,
  token: vscode.CancellationToken,
): Promise<vscode.InlineCompletionItem[] | vscode.InlineCompletionList | undefined | null> {
  const skipped = (settings: InfillSettings, code: DecisionReasonCode, reason: string): undefined => {
    deps.decisions.record(document, newDecision(settings.model, 'skipped', code, reason), {
      documentName: vscode.workspace.asRelativePath(document.uri),
      languageId: document.languageId,
    });
    return undefined;
  };
  try {
    const verdict = deps.shouldRequest(document);
    if (!verdict.allowed) {
      deps.log.debug(`No request: ${verdict.reason}`);
      return skipped(readSettings(document), SKIP_CODES[verdict.scope], verdict.reason);
    }
    const settings = readSettings(document);
    let baseUrl: string | undefined;
    try {
      baseUrl = resolveProvider(settings).baseUrl;
    } catch {
      baseUrl = undefined; // The engine reports a bad provider with its own message.
    }
    const key = await deps.keys.getFor(originOf(baseUrl));
    if (key) {
      if (baseUrl && !(await deps.keyGuard.mayCarryKey(baseUrl, true, false)))
        return skipped(
          settings,
          'disabled',
          vscode.l10n.t('waiting for permission to send the API key over plain HTTP'),
        );
    }
    const before = inner.lastDecision;
    const items = await inner.provideInlineCompletionItems(document, position, context, token);
    const after = inner.lastDecision;
    if (after && after !== before) {
      deps.decisions.record(document, after, {
        documentName: vscode.workspace.asRelativePath(document.uri),
        languageId: document.languageId,
        ...describeRequestTarget(settings),
        ...(key ? { secrets: [key] } : {}),
      });
    }
    return items;
  } catch (err) {
    // Never throw into VS Code: a bug here costs one suggestion, not the editor.
    deps.log.error(
      `Unexpected failure around the inline provider: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    return undefined;
  }
}

/** The reason code of a gate verdict's scope. */
const SKIP_CODES: Record<'global' | 'language' | 'file' | 'editor', DecisionReasonCode> = {
  global: 'disabled',
  language: 'disabledLanguage',
  file: 'excludedFile',
  editor: 'disabled',
};

/**
 * Counts a decision's tokens when a server answered it. Decisions served from a cache made no
 * request and cost nothing; servers that report no usage get an estimate from characters.
 */
export function countUsage(usage: UsageTracking, d: DecisionRecord): void {
  if (d.status === undefined || d.status < 200 || d.status >= 300) return;
  if (d.fromCache === true || (d.source !== 'network' && d.source !== 'speculative')) return;
  usage.record(d.model, d.usage, {
    promptChars: d.promptChars + d.suffixChars,
    completionChars: d.rawText?.length ?? 0,
  });
}
