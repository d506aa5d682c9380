import * as vscode from 'vscode';
import type { CompletionUsage } from '../core/protocol/completionTypes';
import type { ReportableDecision } from '../core/reports/decisionReport';
import { resolveProvider } from '../core/providers/providerPresets';
import { originOf, type ApiKeyStore } from './apiKeyStore';
import { readSettings } from './configuration';
import type { DecisionLog } from './decisionLog';
import type { KeyTransportGuard } from './keyTransportGuard';
import type { ShouldRequest } from './requestGate';
import { describeRequestTarget } from './requestSummary';
import type { UsageTracking } from './usageTracking';

/** What the wrapper reads from the engine's provider after each call. */
export interface DecidingProvider extends vscode.InlineCompletionItemProvider {
  lastDecision?: object;
}

export interface GateDependencies {
  shouldRequest: ShouldRequest;
  keyGuard: KeyTransportGuard;
  keys: ApiKeyStore;
  decisions: DecisionLog;
  usage: UsageTracking;
  log: vscode.LogOutputChannel;
}

/**
 * Wraps the engine's inline provider without changing it: before a call, the checks that decide
 * whether anything may be sent (on/off, language, exclusion, plain-HTTP key consent); after it,
 * the decision it made is kept per document for "Explain Last Suggestion" and its tokens counted.
 * Every other member of the provider passes through, so the engine's own hooks keep working.
 */
export function gateInlineProvider<P extends DecidingProvider>(inner: P, deps: GateDependencies): P {
  const provide: vscode.InlineCompletionItemProvider['provideInlineCompletionItems'] = async (
    document,
    position,
    context,
    token,
  ) => {
    try {
      const verdict = deps.shouldRequest(document);
      if (!verdict.allowed) {
        deps.log.debug(`No request: ${verdict.reason}`);
        deps.decisions.record(
          document,
          { outcome: 'skipped', reason: verdict.reason },
          { documentName: vscode.workspace.asRelativePath(document.uri), languageId: document.languageId },
        );
        return undefined;
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
        if (baseUrl && !(await deps.keyGuard.mayCarryKey(baseUrl, true, false))) {
          const reason = vscode.l10n.t('waiting for permission to send the API key over plain HTTP');
          deps.decisions.record(
            document,
            { outcome: 'skipped', reason },
            { documentName: vscode.workspace.asRelativePath(document.uri), languageId: document.languageId },
          );
          return undefined;
        }
      }
      const before = inner.lastDecision;
      const items = await inner.provideInlineCompletionItems(document, position, context, token);
      const after = inner.lastDecision;
      if (after && after !== before && isReportable(after)) {
        deps.decisions.record(document, after, {
          documentName: vscode.workspace.asRelativePath(document.uri),
          languageId: document.languageId,
          ...describeRequestTarget(settings),
          ...(key ? { secrets: [key] } : {}),
        });
        countUsage(deps.usage, after);
      }
      return items;
    } catch (err) {
      // Never throw into VS Code: a bug here costs one suggestion, not the editor.
      deps.log.error(
        `Unexpected failure around the inline provider: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      return undefined;
    }
  };
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'provideInlineCompletionItems') return provide;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function isReportable(value: object): value is ReportableDecision {
  const v = value as Record<string, unknown>;
  return typeof v.outcome === 'string' && typeof v.reason === 'string';
}

/**
 * Counts a decision's tokens when a server answered it. Decisions served from a cache made no
 * request and cost nothing; servers that report no usage get an estimate from characters.
 */
export function countUsage(usage: UsageTracking, d: ReportableDecision): void {
  if (d.status === undefined || d.status < 200 || d.status >= 300) return;
  if (d.fromCache === true || (typeof d.source === 'string' && d.source !== 'network' && d.source !== 'speculative'))
    return;
  const reported = d.usage && typeof d.usage === 'object' ? (d.usage as CompletionUsage) : undefined;
  usage.record(String(d.model ?? ''), reported, {
    promptChars:
      typeof d.promptChars === 'number' ? d.promptChars + (typeof d.suffixChars === 'number' ? d.suffixChars : 0) : 0,
    completionChars: typeof d.rawText === 'string' ? d.rawText.length : 0,
  });
}
