import type { Spread } from './stats';

/** One line of the results table: a figure over repeated runs, its target and whether it is met. */
export interface FigureRow {
  /** Issue figure number (1–5) and a short name. */
  figure: number;
  name: string;
  unit: string;
  value: Spread;
  /** Human-readable target, e.g. "< 2 ms"; empty when the figure is reported without one. */
  target: string;
  /** null when there is no target. */
  met: boolean | null;
  /** The same figure against the physical limit or the naive client measured in the same run. */
  ratio?: { value: Spread; against: string };
  note?: string;
}

export function formatNumber(n: number, unit: string): string {
  if (!Number.isFinite(n)) return String(n);
  if (unit === 'bytes') {
    if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(2)} MiB`;
    if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
    return `${n.toFixed(0)} B`;
  }
  if (unit === 'MB') return n.toFixed(2);
  const abs = Math.abs(n);
  if (Number.isInteger(n)) return String(n);
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  if (abs >= 1) return n.toFixed(2);
  return n.toFixed(3);
}

function cell(s: Spread, unit: string): string {
  const m = formatNumber(s.median, unit);
  if (s.runs <= 1 || (s.min === s.median && s.max === s.median)) return m;
  return `${m} (${formatNumber(s.min, unit)}–${formatNumber(s.max, unit)})`;
}

export function rowCells(row: FigureRow): string[] {
  const unit = row.unit === 'bytes' || row.unit === '' ? '' : ` ${row.unit}`;
  return [
    `${row.figure}. ${row.name}`,
    `${cell(row.value, row.unit)}${unit}`,
    row.ratio ? `${cell(row.ratio.value, 'x')}× ${row.ratio.against}` : '',
    row.target || '—',
    row.met === null ? '—' : row.met ? 'met' : 'MISSED',
  ];
}

const HEADERS = ['Figure', 'Median (min–max)', 'Ratio', 'Target', 'Met'];

/** A fixed-width table for the terminal. */
export function formatTable(rows: readonly FigureRow[]): string {
  const body = rows.map(rowCells);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(HEADERS), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/** The same table as Markdown, for the README. */
export function formatMarkdownTable(rows: readonly FigureRow[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    `| ${HEADERS.join(' | ')} |`,
    `|${HEADERS.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${rowCells(r).map(esc).join(' | ')} |`),
  ].join('\n');
}
