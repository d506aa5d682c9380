import * as vscode from 'vscode';
import { dayKey, type Pricing, type UsageSummary } from '../core/reports/usageCounter';
import { readSettings } from './configuration';
import type { ReportDocuments } from './reportDocuments';
import { formatCost, type UsageTracking } from './usageTracking';

/** `Infill: Show Usage`: tokens per day and per model over the last 30 days, with estimated cost. */
export async function showUsage(usage: UsageTracking, reports: ReportDocuments): Promise<void> {
  const pricing = readSettings().pricing;
  await reports.show('Infill usage.md', formatUsageReport(usage.counter.summary(pricing, 30), pricing));
}

export async function resetUsage(usage: UsageTracking): Promise<void> {
  const reset = vscode.l10n.t('Reset');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Forget all counted Infill token usage?'),
    { modal: true },
    reset,
  );
  if (choice !== reset) return;
  await usage.counter.reset();
  void vscode.window.showInformationMessage(vscode.l10n.t('Infill: usage counts were reset.'));
}

function formatUsageReport(s: UsageSummary, pricing: Pricing): string {
  const n = (x: number) => x.toLocaleString(vscode.env.language);
  const priced = Object.keys(pricing).length > 0;
  const cost = (c: number | undefined, incomplete: boolean) =>
    c === undefined ? '—' : formatCost(c) + (incomplete ? ' *' : '');
  const head = (first: string) =>
    `| ${first} | ${vscode.l10n.t('Requests')} | ${vscode.l10n.t('Prompt tokens')} | ${vscode.l10n.t('Completion tokens')} |${priced ? ` ${vscode.l10n.t('Estimated cost')} |` : ''}\n|---|--:|--:|--:|${priced ? '--:|' : ''}`;
  const row = (
    label: string,
    t: { requests: number; promptTokens: number; completionTokens: number; cost?: number; costIncomplete: boolean },
  ) =>
    `| ${label} | ${n(t.requests)} | ${n(t.promptTokens)} | ${n(t.completionTokens)} |${priced ? ` ${cost(t.cost, t.costIncomplete)} |` : ''}`;
  const lines = [`# ${vscode.l10n.t('Infill usage')}`, ''];
  if (s.total.requests === 0) {
    lines.push(vscode.l10n.t('No requests in the last 30 days.'));
    return lines.join('\n') + '\n';
  }
  lines.push(`## ${vscode.l10n.t('Today')}`, '', head(vscode.l10n.t('Model')));
  const today = s.days.find((d) => d.day === dayKey(new Date()));
  if (today) for (const m of today.models) lines.push(row(m.model, m));
  lines.push(row(`**${vscode.l10n.t('Total')}**`, s.today), '');
  lines.push(`## ${vscode.l10n.t('Last 30 days, by model')}`, '', head(vscode.l10n.t('Model')));
  for (const m of s.models) lines.push(row(m.model, m));
  lines.push(row(`**${vscode.l10n.t('Total')}**`, s.total), '');
  lines.push(`## ${vscode.l10n.t('Last 30 days, by day')}`, '', head(vscode.l10n.t('Day')));
  for (const d of s.days) lines.push(row(d.day, d));
  lines.push('');
  if (s.total.estimatedRequests > 0) {
    lines.push(
      vscode.l10n.t(
        '{0} of {1} requests got no token counts from the server; their tokens are estimated at 3.5 characters per token. Servers report usage in the stream when asked to (`infill.includeUsage`).',
        n(s.total.estimatedRequests),
        n(s.total.requests),
      ),
      '',
    );
  }
  if (!priced)
    lines.push(vscode.l10n.t('Set `infill.pricing` (price per 1,000 tokens by model) to see an estimated cost.'));
  else if (s.total.costIncomplete)
    lines.push(vscode.l10n.t('* Some models have no price in `infill.pricing`; their tokens are not in the cost.'));
  lines.push(
    '',
    vscode.l10n.t('Counted on this machine from the `usage` servers report; your provider’s bill is what counts.'),
  );
  return lines.join('\n') + '\n';
}
