import * as vscode from 'vscode';
import { probeCapabilities, type ProbeOutcome } from '../core/protocol/capabilityProbe';
import {
  completionUrl,
  endpointFor,
  requestCompletion,
  type CompletionResult,
} from '../core/protocol/completionClient';
import { summarizeConnectionTest, type ConnectionTestReport } from '../core/reports/connectionReport';
import { toInfillError, type InfillError } from '../core/infillError';
import { resolveProvider, type ResolvedProvider } from '../core/providers/providerPresets';
import type { InfillSettings } from '../core/settings';
import { buildCompletionRequest } from '../core/protocol/requestBuilder';
import { GlobalStateCapabilityStore } from './capabilityStore';
import { readSettings } from './configuration';
import { countUsage } from './gatedInlineProvider';
import { newDecision, withResponse } from '../core/reports/decisionRecord';
import type { InfillServices } from './services';
import { originOf } from './apiKeyStore';

/** A prompt any code model continues; 16 tokens are enough to measure speed and cost next to nothing. */
const PROBE_PROMPT = 'def add(a, b):\n    """Return the sum of a and b."""\n    return';
const PROBE_MAX_TOKENS = 16;

interface TestRun {
  result?: CompletionResult;
  error?: InfillError;
  probe?: ProbeOutcome;
}

/**
 * `Infill: Test Connection`: one small request with the current settings and key. Reports
 * reachability, authentication, the model, time to first byte and to first token, and tokens per
 * second, in a notification and as a report.
 */
export async function testConnection(s: InfillServices): Promise<void> {
  const settings = readSettings(vscode.window.activeTextEditor?.document);
  const provider = resolveProvider(settings);
  const key = await s.keys.getFor(originOf(provider.baseUrl));
  const url = completionUrl(provider).toString();
  if (!(await s.keyGuard.mayCarryKey(url, Boolean(key), true))) return;
  const endpoint = endpointFor(provider, settings, key);
  const run = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Infill: testing the connection to {0}…', provider.label),
      cancellable: true,
    },
    (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      return requestAndProbe(s, endpoint, settings, provider, controller.signal);
    },
  );
  if (run.error?.kind === 'aborted') return;
  const report = summarizeConnectionTest(
    connectionTestInput(run, url, settings.model, Boolean(key), provider.keyRequired),
    vscode.l10n.t,
  );
  recordOutcome(s, run, settings.model);
  report.lines.push(...probeLines(run.probe));
  s.log.info(`Test connection: ${report.lines.map((l) => `${l.label}: ${l.value}`).join('; ')}`);
  const details = vscode.l10n.t('Show Details');
  const show = report.ok ? vscode.window.showInformationMessage : vscode.window.showErrorMessage;
  // Not awaited: the command is done when the test is; the notification may stay open.
  void Promise.resolve(show(vscode.l10n.t('Infill: {0}', report.headline), details)).then(
    (choice) =>
      choice === details
        ? s.reports.show('Infill connection test.md', formatReport(report, provider.label))
        : undefined,
    () => undefined,
  );
}

/** The test request itself, then (the user asked) the capability probe for every later request. */
async function requestAndProbe(
  s: InfillServices,
  endpoint: ReturnType<typeof endpointFor>,
  settings: InfillSettings,
  provider: ResolvedProvider,
  signal: AbortSignal,
): Promise<TestRun> {
  const probeSettings = {
    ...settings,
    maxTokens: PROBE_MAX_TOKENS,
    temperature: 0,
    n: null,
    bestOf: null,
    echo: null,
    logprobs: null,
  };
  const built = buildCompletionRequest(probeSettings, { prompt: PROBE_PROMPT, extraStops: [] }, provider);
  try {
    // No retries: the test should show what the server does on the first try.
    const result = await requestCompletion(s.transport, endpoint, built.body, {
      signal,
      clientStops: built.clientStops,
      expectedChoices: 1,
      retry: false,
    });
    const store = new GlobalStateCapabilityStore(s.context.globalState);
    const probe = await probeCapabilities(s.transport, endpoint, settings.model, provider, store, {
      allowPaid: true,
      force: true,
      signal,
    }).catch((err: unknown) => ({
      kind: 'skipped' as const,
      reason: err instanceof Error ? err.message : String(err),
    }));
    return { result, probe };
  } catch (err) {
    return { error: toInfillError(err) };
  }
}

function connectionTestInput(
  { result, error }: TestRun,
  url: string,
  requestedModel: string,
  keySent: boolean,
  keyRequired: boolean,
): Parameters<typeof summarizeConnectionTest>[0] {
  const choice = result?.choices[0];
  return {
    url,
    requestedModel,
    keySent,
    keyRequired,
    ...(result
      ? {
          result: {
            status: result.status,
            ...(result.model ? { model: result.model } : {}),
            text: choice?.text ?? '',
            finishReason: choice?.finishReason ?? null,
            ...(result.usage ? { usage: result.usage } : {}),
            timing: result.timing,
          },
        }
      : {}),
    ...(error
      ? {
          error: {
            kind: error.kind,
            message: error.message,
            ...(error.status !== undefined ? { status: error.status } : {}),
          },
        }
      : {}),
  };
}

/** Usage counts the test's tokens like any other request's; the status bar shows the outcome. */
function recordOutcome(s: InfillServices, { result, error }: TestRun, model: string): void {
  if (result) {
    countUsage(
      s.usage,
      withResponse(
        newDecision(model, 'shown', 'shown', 'connection test', { promptChars: PROBE_PROMPT.length }),
        result,
      ),
    );
    s.status.set({ kind: 'ready' });
  } else if (error) {
    s.status.set({ kind: 'error', reason: error.message });
  }
}

/** What the probe learned about the server, as report lines. */
function probeLines(probe: ProbeOutcome | undefined): ConnectionTestReport['lines'] {
  if (probe?.kind === 'failed' || probe?.kind === 'skipped') {
    return [{ label: vscode.l10n.t('Probe'), value: probe.kind === 'failed' ? probe.error.message : probe.reason }];
  }
  if (probe?.kind !== 'probed' && probe?.kind !== 'cached') return [];
  const r = probe.record;
  const yesNo = (v: boolean | undefined) =>
    v === undefined ? vscode.l10n.t('not checked') : v ? vscode.l10n.t('yes') : vscode.l10n.t('no');
  const lines: ConnectionTestReport['lines'] = [
    { label: vscode.l10n.t('Takes suffix'), value: yesNo(r.acceptsSuffix) },
  ];
  if (r.maxStops !== undefined)
    lines.push({ label: vscode.l10n.t('Stop strings'), value: vscode.l10n.t('up to {0}', r.maxStops) });
  if ((r.rejectedParams ?? []).length > 0)
    lines.push({ label: vscode.l10n.t('Rejected parameters'), value: r.rejectedParams!.join(', '), ok: undefined });
  if (r.serverModel) lines.push({ label: vscode.l10n.t('Model loaded on the server'), value: r.serverModel });
  if (r.fimTemplate) lines.push({ label: vscode.l10n.t('Server FIM template'), value: vscode.l10n.t('found') });
  lines.push({
    label: vscode.l10n.t('Probe'),
    value: vscode.l10n.t('{0} small requests; the answers are remembered for this server and model', r.requests),
  });
  return lines;
}

function formatReport(report: ConnectionTestReport, label: string): string {
  const mark = (ok: boolean | undefined) => (ok === true ? '✅' : ok === false ? '❌' : '•');
  const lines = [`# ${vscode.l10n.t('Infill connection test: {0}', label)}`, '', report.headline, ''];
  for (const l of report.lines) lines.push(`- ${mark(l.ok)} **${l.label}**: ${l.value.replace(/\n/g, ' ')}`);
  lines.push('', vscode.l10n.t('The API key is never shown here.'));
  return lines.join('\n') + '\n';
}
