import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import type { InfillSettings } from '../src/core/settings';
import { CORPUS_DIR } from './benchDocuments';
import type { ReplayProbeInput, ReplayProbeOutput } from './replayProbe';
import type { FigureRow } from './report';
import { mean, spread, type Spread } from './stats';
import type { ReplayClient, ReplayResult } from './typingSession';

export interface TypingReplayOptions {
  timeScale: number;
  timeToFirstTokenMs: number;
  tokenDelayMs: number;
  maxChars?: number;
}

export interface ReplayVariant {
  label: string;
  client: ReplayClient;
  /** Replay only the start of each file (the naive client types every character and would take minutes). */
  maxChars?: number;
}

/** Enough for its per-character figures, which do not change along a file. */
const NAIVE_CHARS = 1000;

/** The shipped defaults, then the debounce sweep and single-line mode, then the naive client. */
export const VARIANTS: ReplayVariant[] = [
  { label: 'defaults', client: { kind: 'infill', settings: {} } },
  ...([0, 25, 50, 75, 150, 'auto'] as const).map((d) => ({
    label: `debounceMs ${d}`,
    client: { kind: 'infill' as const, settings: { debounceMs: d } as Partial<InfillSettings> },
  })),
  { label: 'single-line (multiline never)', client: { kind: 'infill', settings: { multiline: 'never' } } },
  { label: 'defaults, no prefetch (speculative off)', client: { kind: 'infill', settings: { speculative: 'off' } } },
  { label: 'naive client', client: { kind: 'naive' }, maxChars: NAIVE_CHARS },
];

export interface VariantSummary {
  label: string;
  requestsPerChar: Spread;
  meanLatencyMs: Spread;
  latencyOverServer: Spread;
  tokensGeneratedOverShown: Spread;
  results: ReplayResult[];
}

export function runProbe(probe: string, input: ReplayProbeInput): Promise<ReplayResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [probe, JSON.stringify(input)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', () => {
      let parsed: ReplayProbeOutput;
      try {
        parsed = JSON.parse(out.trim().split('\n').pop() ?? '') as ReplayProbeOutput;
      } catch {
        return reject(new Error(`replay probe printed no result: ${err.slice(-1500)}`));
      }
      if (parsed.error || !parsed.results) reject(new Error(`replay failed: ${parsed.error ?? 'no results'}`));
      else resolve(parsed.results);
    });
  });
}

export function summarize(label: string, results: ReplayResult[]): VariantSummary {
  return {
    label,
    requestsPerChar: spread(results.map((r) => r.requests / r.keystrokes)),
    meanLatencyMs: spread(results.map((r) => mean(r.shown.map((s) => s.latencyMs)))),
    latencyOverServer: spread(
      results.map((r) => mean(r.shown.map((s) => s.latencyMs)) / mean(r.shown.map((s) => s.serverMs))),
    ),
    tokensGeneratedOverShown: spread(results.map((r) => r.tokensGenerated / r.tokensShown)),
    results,
  };
}

/** Bundles replayProbe.ts into a temporary directory (removed by the caller) to run in child processes. */
export function buildReplayProbe(): { dir: string; probe: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'infill-bench-replay-'));
  const probe = path.join(dir, 'replay-probe.cjs');
  buildSync({
    entryPoints: [path.join(__dirname, 'replayProbe.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: probe,
    logLevel: 'error',
  });
  return { dir, probe };
}

const sum = (results: ReplayResult[], pick: (r: ReplayResult) => number) => spread(results.map(pick));

/** Figure 2: typing three corpus files, through the controller as VS Code drives it. */
export async function measureTypingReplay(
  options: TypingReplayOptions,
): Promise<{ rows: FigureRow[]; sweep: VariantSummary[]; detail: unknown }> {
  const { dir, probe } = buildReplayProbe();
  try {
    const outputs = await Promise.all(
      VARIANTS.map((v) =>
        runProbe(probe, {
          corpusDir: CORPUS_DIR,
          client: v.client,
          timeScale: options.timeScale,
          timeToFirstTokenMs: options.timeToFirstTokenMs,
          tokenDelayMs: options.tokenDelayMs,
          ...(v.maxChars !== undefined || options.maxChars !== undefined
            ? { maxChars: Math.min(v.maxChars ?? Infinity, options.maxChars ?? Infinity) }
            : {}),
        }),
      ),
    );
    const sweep = VARIANTS.map((v, i) => summarize(v.label, outputs[i]!));
    const byLabel = (label: string) => sweep.find((s) => s.label === label)!;
    const defaults = byLabel('defaults');
    const singleLine = byLabel('single-line (multiline never)');
    const naive = byLabel('naive client');
    const d = defaults.results;
    // Per character of the file replayed: the naive client replays only the start of each file.
    const naiveRatio = (pick: (r: ReplayResult) => number) =>
      spread(
        d.map((r, i) => {
          const n = naive.results[i]!;
          return pick(n) === 0 ? Number.NaN : pick(r) / r.fileChars / (pick(n) / n.fileChars);
        }),
      );
    const clock = `time ×${options.timeScale}, server ${options.timeToFirstTokenMs} ms to first token + ${options.tokenDelayMs} ms/token`;
    const rows: FigureRow[] = [
      {
        figure: 2,
        name: 'requests per typed character (defaults)',
        unit: '',
        value: defaults.requestsPerChar,
        target: '≤ 0.25',
        met: defaults.requestsPerChar.max <= 0.25,
        ratio: {
          value: spread(
            d.map((r, i) => r.requests / r.keystrokes / (naive.results[i]!.requests / naive.results[i]!.keystrokes)),
          ),
          against: 'naive',
        },
        note: `${clock}; requests ${sum(d, (r) => r.requests).median} per file (of which speculative ${sum(d, (r) => r.speculativeRequests).median}), keystrokes ${sum(d, (r) => r.keystrokes).median}`,
      },
      {
        figure: 2,
        name: 'requests sent per file (defaults)',
        unit: '',
        value: sum(d, (r) => r.requests),
        target: '',
        met: null,
        ratio: { value: naiveRatio((r) => r.requests), against: 'naive (per character)' },
        note: `aborted ${sum(d, (r) => r.requestsAborted).median}, streams closed early by stop rules ${sum(d, (r) => r.streamsClosedEarly - r.requestsAborted).median}`,
      },
      {
        figure: 2,
        name: 'requests aborted per file (defaults)',
        unit: '',
        value: sum(d, (r) => r.requestsAborted),
        target: '',
        met: null,
        ratio: { value: naiveRatio((r) => r.requestsAborted), against: 'naive (per character)' },
      },
      {
        figure: 2,
        name: 'cache + typed-ahead hits per file (defaults)',
        unit: '',
        value: sum(d, (r) => r.cacheHits + r.typedAheadHits),
        target: '',
        met: null,
        note: `cache ${sum(d, (r) => r.cacheHits).median}, typed-ahead ${sum(d, (r) => r.typedAheadHits).median}, stream joins ${sum(d, (r) => r.streamJoins).median}, speculative hits ${sum(d, (r) => r.speculativeHits).median}`,
      },
      {
        figure: 2,
        name: 'suggestions shown per file (defaults)',
        unit: '',
        value: sum(d, (r) => r.suggestionsShown),
        target: '',
        met: null,
        note: `naive client showed ${sum(naive.results, (r) => r.suggestionsShown).median}: its whole-answer reads never finish before the next key`,
      },
      {
        figure: 2,
        name: 'characters accepted, share of file (defaults)',
        unit: '%',
        value: spread(d.map((r) => (100 * r.acceptedChars) / r.fileChars)),
        target: '',
        met: null,
        note: `accepted ${sum(d, (r) => r.acceptedChars).median} characters in ${sum(d, (r) => r.acceptances).median} acceptances per file`,
      },
      {
        figure: 2,
        // The target counts requests caused by typing. The prefetch of what follows a suggestion
        // (issue 4's `infill.speculative`, on for local servers) is sent once per suggestion when
        // its stream ends, which is often while the user types through it; it is counted below.
        name: 'requests caused by typing into a showing suggestion (defaults)',
        unit: '',
        value: sum(d, (r) => r.requestsWhileTypingThrough - r.speculativeWhileTypingThrough),
        target: '0',
        met: sum(d, (r) => r.requestsWhileTypingThrough - r.speculativeWhileTypingThrough).max === 0,
        note:
          `over ${sum(d, (r) => r.typedThroughKeystrokes).median} such keystrokes per file; ` +
          `with speculative off: ${sum(byLabel('defaults, no prefetch (speculative off)').results, (r) => r.requestsWhileTypingThrough).median} requests in all`,
      },
      {
        figure: 2,
        name: 'speculative prefetches sent while typing into a suggestion (one per suggestion at most)',
        unit: '',
        value: sum(d, (r) => r.speculativeWhileTypingThrough),
        target: '',
        met: null,
        note: `suggestions shown per file: ${sum(d, (r) => r.suggestionsShown).median}`,
      },
      {
        figure: 2,
        name: 'tokens generated / tokens shown (single-line mode)',
        unit: '',
        value: singleLine.tokensGeneratedOverShown,
        target: '≤ 1.5',
        met: singleLine.tokensGeneratedOverShown.max <= 1.5,
        ratio: {
          value: spread(
            singleLine.results.map(
              (r, i) =>
                r.tokensGenerated / r.fileChars / (naive.results[i]!.tokensGenerated / naive.results[i]!.fileChars),
            ),
          ),
          against: 'naive (tokens generated per character)',
        },
        note: `defaults (multi-line allowed): ${defaults.tokensGeneratedOverShown.median.toFixed(2)}; generated ${sum(singleLine.results, (r) => r.tokensGenerated).median}, shown ${sum(singleLine.results, (r) => r.tokensShown).median} per file`,
      },
      {
        figure: 2,
        name: 'keystroke → ghost text, mean (defaults)',
        unit: 'ms',
        value: defaults.meanLatencyMs,
        target: '',
        met: null,
        ratio: { value: defaults.latencyOverServer, against: "server's own time" },
        note: "the server's own time is what it needs to generate the shown text for that keystroke; hits from prefetch and typed-ahead beat it",
      },
    ];
    return {
      rows,
      sweep,
      detail: sweep.map((s) => ({ label: s.label, results: s.results.map(({ shown: _shown, ...rest }) => rest) })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
