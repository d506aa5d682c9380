import type { DayStatistics } from './statisticsStore';

/**
 * The Usage view's chart of the last days: one column per day, the suggestions shown as a light
 * bar with the accepted ones over it, the day's acceptance rate as a dot. A self-contained SVG
 * string (no scripts, no external references), so a webview with a strict CSP can show it; each
 * column has a <title> so hovering tells the day's numbers.
 */

export interface ChartLabels {
  /** Accessible name of the whole chart. */
  title: string;
  /** One day's hover text from its numbers, e.g. "2026-03-10: 12 shown, 5 accepted (42 %)". */
  describeDay(day: DayStatistics): string;
  /** Legend entries. */
  shown: string;
  accepted: string;
  rate: string;
}

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { left: 36, right: 36, top: 14, bottom: 34 };

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Round axis maximum: 1, 2, 5 × 10^n, at least `value`. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

export function renderStatisticsChart(days: readonly DayStatistics[], labels: ChartLabels): string {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const max = niceCeiling(Math.max(0, ...days.map((d) => d.shown)));
  const slot = days.length > 0 ? plotW / days.length : plotW;
  const barW = Math.max(2, slot * 0.7);
  const y = (v: number) => PAD.top + plotH - (plotH * v) / max;
  const yRate = (r: number) => PAD.top + plotH - plotH * r;
  const f = (n: number) => n.toFixed(1);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" style="max-width: ${WIDTH}px" role="img" aria-label="${escapeXml(labels.title)}" font-family="sans-serif" font-size="10">`,
    `<title>${escapeXml(labels.title)}</title>`,
    // Axes: counts on the left, rate (0-100 %) on the right.
    `<line x1="${PAD.left}" y1="${PAD.top + plotH}" x2="${WIDTH - PAD.right}" y2="${PAD.top + plotH}" stroke="currentColor" stroke-opacity="0.4"/>`,
    `<text x="${PAD.left - 4}" y="${f(y(max) + 4)}" text-anchor="end" fill="currentColor">${max}</text>`,
    `<text x="${PAD.left - 4}" y="${f(y(0))}" text-anchor="end" fill="currentColor">0</text>`,
    `<text x="${WIDTH - PAD.right + 4}" y="${f(yRate(1) + 4)}" fill="currentColor">100%</text>`,
  ];
  days.forEach((d, i) => {
    const x = PAD.left + i * slot + (slot - barW) / 2;
    const hover = `<title>${escapeXml(labels.describeDay(d))}</title>`;
    parts.push(`<g class="day" data-day="${escapeXml(d.day)}">${hover}`);
    // An invisible full-height target, so empty days can be hovered too.
    parts.push(`<rect x="${f(x)}" y="${PAD.top}" width="${f(barW)}" height="${plotH}" fill="transparent"/>`);
    if (d.shown > 0)
      parts.push(
        `<rect class="shown" x="${f(x)}" y="${f(y(d.shown))}" width="${f(barW)}" height="${f(y(0) - y(d.shown))}" fill="#4f8fd9" fill-opacity="0.35"/>`,
      );
    const accepted = Math.min(d.suggestionsAccepted, d.shown);
    if (accepted > 0)
      parts.push(
        `<rect class="accepted" x="${f(x)}" y="${f(y(accepted))}" width="${f(barW)}" height="${f(y(0) - y(accepted))}" fill="#2f9e57"/>`,
      );
    if (d.acceptanceRate !== undefined)
      parts.push(
        `<circle class="rate" cx="${f(x + barW / 2)}" cy="${f(yRate(d.acceptanceRate))}" r="2.5" fill="#d9822b"/>`,
      );
    parts.push('</g>');
    // A date under the last day and every seventh day before it (labels never collide).
    if ((days.length - 1 - i) % 7 === 0)
      parts.push(
        `<text x="${f(x + barW / 2)}" y="${PAD.top + plotH + 14}" text-anchor="middle" fill="currentColor">${escapeXml(d.day.slice(5))}</text>`,
      );
  });
  const legendY = HEIGHT - 6;
  parts.push(
    `<rect x="${PAD.left}" y="${legendY - 8}" width="10" height="8" fill="#4f8fd9" fill-opacity="0.35"/>`,
    `<text x="${PAD.left + 14}" y="${legendY}" fill="currentColor">${escapeXml(labels.shown)}</text>`,
    `<rect x="${PAD.left + 120}" y="${legendY - 8}" width="10" height="8" fill="#2f9e57"/>`,
    `<text x="${PAD.left + 134}" y="${legendY}" fill="currentColor">${escapeXml(labels.accepted)}</text>`,
    `<circle cx="${PAD.left + 245}" cy="${legendY - 4}" r="3" fill="#d9822b"/>`,
    `<text x="${PAD.left + 252}" y="${legendY}" fill="currentColor">${escapeXml(labels.rate)}</text>`,
    '</svg>',
  );
  return parts.join('');
}
