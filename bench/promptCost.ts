import { rmSync } from 'node:fs';
import type { InfillSettings } from '../src/core/settings';
import type { LlamaBehaviour } from '../test/fixtures/scriptedServer';
import { CORPUS_DIR } from './benchDocuments';
import type { FigureRow } from './report';
import { median, percentile, spread } from './stats';
import { buildReplayProbe, runProbe } from './typingReplay';
import type { ReplayClient, ReplayResult } from './typingSession';

/**
 * Figure 6: what each keystroke costs a llama.cpp server in prompt tokens. The user types
 * `chars` characters in the middle of each corpus file (the rest of the file after the cursor)
 * against the scripted server acting as llama.cpp: a prompt cache per slot, `timings.prompt_n` =
 * the tokens that do not share a prefix with the previous prompt. The client is Infill with the
 * `llamacpp` preset and a Qwen2.5-Coder model name (its FIM tokens in the prompt), at its defaults
 * and other context lengths, and a naive client sending the whole file on every keystroke. The
 * server answers with junk, like the random-weights model of the hand measurement in issue 13, so
 * every character is typed and nothing is accepted.
 */
export interface PromptCostOptions {
  timeScale: number;
  /** Characters typed in one place per file. */
  chars: number;
  /** Where, as a share of the file's length. */
  share: number;
  llama: LlamaBehaviour;
  timeToFirstTokenMs: number;
  tokenDelayMs: number;
}

const LLAMA_SETTINGS: Partial<InfillSettings> = {
  provider: 'llamacpp',
  model: 'qwen2.5-coder-1.5b',
  fimMode: 'auto',
};

interface CostVariant {
  label: string;
  client: ReplayClient;
}

const VARIANTS: CostVariant[] = [
  { label: 'defaults', client: { kind: 'infill', settings: LLAMA_SETTINGS } },
  ...[1024, 4096].map((contextLength) => ({
    label: `contextLength ${contextLength}`,
    client: { kind: 'infill' as const, settings: { ...LLAMA_SETTINGS, contextLength } },
  })),
  {
    label: 'suffixBudgetMs 0 (whole suffix)',
    client: { kind: 'infill', settings: { ...LLAMA_SETTINGS, suffixBudgetMs: 0 } },
  },
  // The naive client: every keystroke, the whole file (a window larger than any corpus file).
  {
    label: 'naive client (whole file)',
    client: { kind: 'naive', settings: { ...LLAMA_SETTINGS, contextLength: 1e6 } },
  },
];

export interface PromptCostSummary {
  label: string;
  requests: number;
  evaluatedMedian: number;
  evaluatedP90: number;
  /** Prompt tokens per request, evaluated + reused. */
  promptMedian: number;
  reusedShare: number;
  /** The same without each file's first request, which finds the cache cold. */
  warmReusedShare: number;
  warmEvaluatedP90: number;
}

export function summarizePromptCost(label: string, results: ReplayResult[]): PromptCostSummary {
  const evaluated = results.flatMap((r) => r.promptEvaluated);
  const reused = results.flatMap((r) => r.promptReused);
  const total = evaluated.map((e, i) => e + reused[i]!);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const warmEvaluated = results.flatMap((r) => r.promptEvaluated.slice(1));
  const warmReused = results.flatMap((r) => r.promptReused.slice(1));
  return {
    warmReusedShare: sum(warmReused) / Math.max(1, sum(warmReused) + sum(warmEvaluated)),
    warmEvaluatedP90: percentile(warmEvaluated, 90),
    label,
    requests: evaluated.length,
    evaluatedMedian: median(evaluated),
    evaluatedP90: percentile(evaluated, 90),
    promptMedian: median(total),
    reusedShare: sum(reused) / Math.max(1, sum(total)),
  };
}

export async function measurePromptCost(
  options: PromptCostOptions,
): Promise<{ rows: FigureRow[]; summaries: PromptCostSummary[] }> {
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
          typeAt: { share: options.share, chars: options.chars },
          llama: options.llama,
          answers: 'junk',
        }),
      ),
    );
    const summaries = VARIANTS.map((v, i) => summarizePromptCost(v.label, outputs[i]!));
    const server = `${options.llama.promptTokensPerSecond} prompt tokens/s, ${options.chars} characters typed at ${Math.round(options.share * 100)}% of each file`;
    const rows: FigureRow[] = summaries.map((s, i) => {
      const perFile = outputs[i]!.map((r) => median(r.promptEvaluated));
      const isTarget = s.label !== 'naive client (whole file)';
      return {
        figure: 6,
        name: `prompt tokens evaluated per request (${s.label})`,
        unit: '',
        value: spread(perFile),
        target: s.label === 'defaults' ? '≤ 100' : '',
        met: s.label === 'defaults' ? s.evaluatedMedian <= 100 : null,
        note:
          `all requests: median ${s.evaluatedMedian}, p90 ${s.evaluatedP90} of ${s.promptMedian} prompt tokens; ` +
          `reused ${(s.reusedShare * 100).toFixed(1)}%, after each file's first (cold) request ` +
          `${(s.warmReusedShare * 100).toFixed(1)}%${isTarget ? ' (target ≥ 95%)' : ''}, p90 ${s.warmEvaluatedP90}; ` +
          `${s.requests} requests; ${server}`,
      };
    });
    return { rows, summaries };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The table printed under the figures: one line per variant. */
export function promptCostTable(summaries: PromptCostSummary[]): string {
  const headers = [
    'Variant',
    'Requests',
    'Evaluated / request, median',
    'p90',
    'Prompt tokens, median',
    'Reused',
    'Reused after 1st',
    'p90 after 1st',
  ];
  const cells = summaries.map((s) => [
    s.label,
    String(s.requests),
    String(s.evaluatedMedian),
    String(s.evaluatedP90),
    String(s.promptMedian),
    `${(s.reusedShare * 100).toFixed(1)}%`,
    `${(s.warmReusedShare * 100).toFixed(1)}%`,
    String(s.warmEvaluatedP90),
  ]);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((x, i) => x.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}
