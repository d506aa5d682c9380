import * as vscode from 'vscode';
import { escapeXml, renderStatisticsChart } from '../core/reports/statisticsChart';
import {
  emptyAcceptanceTotals,
  type AcceptanceTotals,
  type DayStatistics,
  type StatisticsSummary,
} from '../core/reports/statisticsStore';
import type { Pricing, UsageSummary, UsageTotals } from '../core/reports/usageCounter';
import { formatCost } from './usageTracking';

/**
 * The HTML of the Usage view: no scripts, no remote or local resources (the chart is inline SVG),
 * so the CSP forbids everything but inline styles.
 */
export const USAGE_PAGE_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 16px 16px; }
table { border-collapse: collapse; margin: 8px 0 16px; }
th, td { padding: 2px 10px; border-bottom: 1px solid var(--vscode-panel-border, rgba(128,128,128,.3)); }
td { text-align: right; font-variant-numeric: tabular-nums; }
th { text-align: left; font-weight: 600; }
.chart { color: var(--vscode-foreground); max-width: 100%; }
.note { opacity: .8; }
`;

const n = (x: number) => x.toLocaleString(vscode.env.language);
const pct = (r: number | undefined) => (r === undefined ? '—' : `${n(Math.round(r * 100))}%`);
const ms = (v: number | undefined) => (v === undefined ? '—' : `${n(Math.round(v))} ms`);
const cell = (text: string) => `<td>${escapeXml(text)}</td>`;

function acceptanceHeader(first: string, withTokens: boolean, priced: boolean): string {
  const cols = [
    first,
    vscode.l10n.t('Shown'),
    vscode.l10n.t('Accepted fully'),
    vscode.l10n.t('Accepted partly'),
    vscode.l10n.t('Acceptance rate'),
    vscode.l10n.t('Characters accepted'),
    vscode.l10n.t('Latency p50'),
    vscode.l10n.t('Latency p90'),
    vscode.l10n.t('Requests sent'),
    vscode.l10n.t('Served without the network'),
    ...(withTokens ? [vscode.l10n.t('Tokens')] : []),
    ...(withTokens && priced ? [vscode.l10n.t('Estimated cost')] : []),
  ];
  return `<tr>${cols.map((c) => `<th>${escapeXml(c)}</th>`).join('')}</tr>`;
}

function acceptanceCells(t: AcceptanceTotals): string {
  return [
    n(t.shown),
    n(t.acceptedFully),
    n(t.acceptedPartly),
    pct(t.acceptanceRate),
    n(t.charsAccepted),
    ms(t.latencyP50),
    ms(t.latencyP90),
    n(t.requestsSent),
    n(t.servedLocally),
  ]
    .map(cell)
    .join('');
}

function tokenCells(u: UsageTotals | undefined, priced: boolean): string {
  const tokens = u ? n(u.promptTokens + u.completionTokens) : '0';
  if (!priced) return cell(tokens);
  const cost = u?.cost === undefined ? '—' : formatCost(u.cost) + (u.costIncomplete ? ' *' : '');
  return cell(tokens) + cell(cost);
}

function todayTable(t: AcceptanceTotals, u: UsageTotals, priced: boolean): string {
  const rows: [string, string, string][] = [
    ['shown', vscode.l10n.t('Suggestions shown'), n(t.shown)],
    ['acceptedFully', vscode.l10n.t('Accepted fully'), n(t.acceptedFully)],
    ['acceptedPartly', vscode.l10n.t('Accepted partly (word or line)'), n(t.acceptedPartly)],
    ['acceptanceRate', vscode.l10n.t('Acceptance rate'), pct(t.acceptanceRate)],
    ['charsAccepted', vscode.l10n.t('Characters accepted'), n(t.charsAccepted)],
    ['latency', vscode.l10n.t('Keystroke to ghost text (p50 / p90)'), `${ms(t.latencyP50)} / ${ms(t.latencyP90)}`],
    ['requestsSent', vscode.l10n.t('Requests sent'), n(t.requestsSent)],
    ['servedLocally', vscode.l10n.t('Served without the network (cache, typed-ahead, prefetch)'), n(t.servedLocally)],
    ['tokens', vscode.l10n.t('Tokens (prompt + completion)'), `${n(u.promptTokens)} + ${n(u.completionTokens)}`],
  ];
  if (priced)
    rows.push([
      'cost',
      vscode.l10n.t('Estimated cost'),
      u.cost === undefined ? '—' : formatCost(u.cost) + (u.costIncomplete ? ' *' : ''),
    ]);
  return `<table>${rows
    .map(([id, label, value]) => `<tr data-stat="${id}"><th>${escapeXml(label)}</th>${cell(value)}</tr>`)
    .join('')}</table>`;
}

function describeDay(d: DayStatistics): string {
  return vscode.l10n.t(
    '{0}: {1} shown, {2} accepted ({3}), median latency {4}',
    d.day,
    n(d.shown),
    n(d.suggestionsAccepted),
    pct(d.acceptanceRate),
    ms(d.latencyP50),
  );
}

/** The whole page for the last `days` days. */
export function renderUsagePage(stats: StatisticsSummary, usage: UsageSummary, pricing: Pricing, days = 30): string {
  const priced = Object.keys(pricing).length > 0;
  const chart = renderStatisticsChart(stats.days, {
    title: vscode.l10n.t('Suggestions shown and accepted per day, last {0} days', String(days)),
    describeDay,
    shown: vscode.l10n.t('Shown'),
    accepted: vscode.l10n.t('Accepted'),
    rate: vscode.l10n.t('Acceptance rate'),
  });
  const body = [
    `<h1>${escapeXml(vscode.l10n.t('Infill usage'))}</h1>`,
    `<h2>${escapeXml(vscode.l10n.t('Today'))}</h2>`,
    todayTable(stats.today, usage.today, priced),
    `<h2>${escapeXml(vscode.l10n.t('Last {0} days', String(days)))}</h2>`,
    `<div class="chart">${chart}</div>`,
    ...breakdownTables(stats, usage, priced),
    ...notes(usage, priced).map((t) => `<p class="note">${escapeXml(t)}</p>`),
  ];
  return [
    '<!DOCTYPE html><html><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${USAGE_PAGE_CSP}">`,
    `<title>${escapeXml(vscode.l10n.t('Infill usage'))}</title><style>${STYLE}</style></head>`,
    `<body>${body.join('\n')}</body></html>`,
  ].join('\n');
}

/** By language (acceptance only: tokens are counted per model), by model and by day (with tokens). */
function breakdownTables(stats: StatisticsSummary, usage: UsageSummary, priced: boolean): string[] {
  const out: string[] = [];
  const table = (title: string, header: string, rows: string[]) => {
    if (rows.length > 0) out.push(`<h3>${escapeXml(title)}</h3><table>`, header, ...rows, '</table>');
  };
  table(
    vscode.l10n.t('By language'),
    acceptanceHeader(vscode.l10n.t('Language'), false, priced),
    stats.languages.map(
      (l) => `<tr data-language="${escapeXml(l.language)}"><th>${escapeXml(l.language)}</th>${acceptanceCells(l)}</tr>`,
    ),
  );
  const usageByModel = new Map(usage.models.map((m) => [m.model, m]));
  const models = new Set([...stats.models.map((m) => m.model), ...usage.models.map((m) => m.model)]);
  table(
    vscode.l10n.t('By model'),
    acceptanceHeader(vscode.l10n.t('Model'), true, priced),
    [...models].map((model) => {
      const s = stats.models.find((m) => m.model === model) ?? emptyAcceptanceTotals();
      return `<tr data-model="${escapeXml(model)}"><th>${escapeXml(model)}</th>${acceptanceCells(s)}${tokenCells(usageByModel.get(model), priced)}</tr>`;
    }),
  );
  const usageByDay = new Map(usage.days.map((d) => [d.day, d]));
  table(
    vscode.l10n.t('By day'),
    acceptanceHeader(vscode.l10n.t('Day'), true, priced),
    [...stats.days]
      .reverse()
      .filter((d) => d.shown > 0 || d.requestsSent > 0 || usageByDay.has(d.day))
      .map(
        (d) =>
          `<tr data-day="${d.day}"><th>${d.day}</th>${acceptanceCells(d)}${tokenCells(usageByDay.get(d.day), priced)}</tr>`,
      ),
  );
  return out;
}

function notes(usage: UsageSummary, priced: boolean): string[] {
  const out: string[] = [];
  if (usage.total.estimatedRequests > 0)
    out.push(
      vscode.l10n.t(
        '{0} of {1} requests got no token counts from the server; their tokens are estimated at 3.5 characters per token. Servers report usage in the stream when asked to (`infill.includeUsage`).',
        n(usage.total.estimatedRequests),
        n(usage.total.requests),
      ),
    );
  if (!priced)
    out.push(vscode.l10n.t('Set `infill.pricing` (price per 1,000 tokens by model) to see an estimated cost.'));
  else if (usage.total.costIncomplete)
    out.push(vscode.l10n.t('* Some models have no price in `infill.pricing`; their tokens are not in the cost.'));
  out.push(
    vscode.l10n.t(
      'A suggestion counts as shown when it stayed on screen for 100 ms; the acceptance rate is the share of shown suggestions of which anything was accepted. Latency is from the keystroke to the suggestion.',
    ),
    vscode.l10n.t(
      'Counted on this machine only: nothing of it is sent anywhere. Tokens come from the `usage` servers report; your provider’s bill is what counts. Infill: Reset Statistics clears it all.',
    ),
  );
  return out;
}
