/**
 * `npm run bench`: measures what a user of Infill feels, against the physical limit (the server's
 * own time) or a naive client measured in the same run, and prints one table with every figure,
 * its target and whether it is met. Results go to bench/results/latest.json (and latest.md, the
 * table the README shows). Not part of `npm test`: timings belong here, never in unit tests.
 *
 *   npm run bench                 # everything, about 3 minutes on 2 cores
 *   npm run bench -- --only=1,3   # some figures
 *   npm run bench -- --only=7     # context: latency, byte-identical block, tokens, recall (bench/contextLatency.ts)
 *   npm run bench -- --quick      # fewer samples, for a smoke run (results not written)
 *   npm run bench -- --readme     # also put the table in README.md's "## Performance" section
 *   npm run bench -- --only=6     # prompt tokens a llama.cpp server evaluates per keystroke
 *   LLAMA_URL=http://127.0.0.1:8080 npm run bench -- --llamacpp   # the same against a real llama-server
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measureActivation } from './activation';
import { loadCorpus } from './benchDocuments';
import { measureClientOverhead } from './clientOverhead';
import { measureConnections } from './connections';
import { measureContextReplay } from './contextLatency';
import { measureContextRecall } from './contextRecall';
import { measureMemory } from './memory';
import { runAgainstLlamaServer } from './llamaServer';
import { measurePromptCost, promptCostTable, type PromptCostSummary } from './promptCost';
import { controllerProvider } from './providerUnderTest';
import { formatMarkdownTable, formatNumber, formatTable, type FigureRow } from './report';
import { measureTypingReplay, type VariantSummary } from './typingReplay';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const updateReadme = args.includes('--readme');
const onlyArg = args.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',').map(Number)) : undefined;
const wanted = (figure: number) => !only || only.has(figure);
const timeScale = Number(process.env.BENCH_TIME_SCALE ?? 2);

const REPO_ROOT = path.resolve(__dirname, '..');

interface Machine {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
}

function machine(): Machine {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

function sweepTable(sweep: VariantSummary[], markdown: boolean): string {
  const headers = [
    'Variant',
    'Requests / typed char',
    'Keystroke → ghost, mean ms',
    '÷ server time',
    'Tokens generated / shown',
    'Accepted %',
  ];
  const cells = sweep.map((s) => [
    s.label,
    formatNumber(s.requestsPerChar.median, ''),
    formatNumber(s.meanLatencyMs.median, 'ms'),
    formatNumber(s.latencyOverServer.median, 'x'),
    formatNumber(s.tokensGeneratedOverShown.median, 'x'),
    formatNumber(
      (s.results.reduce((n, r) => n + r.acceptedChars, 0) / s.results.reduce((n, r) => n + r.fileChars, 0)) * 100,
      '%',
    ),
  ]);
  if (markdown)
    return [
      `| ${headers.join(' | ')} |`,
      `|${headers.map(() => '---').join('|')}|`,
      ...cells.map((c) => `| ${c.join(' | ')} |`),
    ].join('\n');
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((x, i) => x.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

const README_INTRO = [
  '## Performance',
  '',
  '`npm run bench` (about 3 minutes on 2 cores; not part of `npm test`) drives the real engine',
  '(`CompletionController` over `HttpTransport`) against the scripted server on 127.0.0.1, with a set time',
  'to first token and per-token delay, and the bundled extension for activation. Each figure is the',
  'median over repeated runs (min–max in brackets) with its ratio to the physical limit (the server’s',
  'own time) or to a naive client measured in the same run (no debounce, no cache, no early stop, a new',
  'connection per request). The typing replay types three files written for the benchmark',
  '(`bench/corpus/`: Python, Go, Rust) against a server that answers with each file’s true',
  'continuation, the way VS Code drives the provider. Full results: `bench/results/latest.json`.',
  '',
].join('\n');

const START = '<!-- bench:start (written by npm run bench -- --readme) -->';
const END = '<!-- bench:end -->';

/**
 * Puts the table between the markers of README.md's Performance section, keeping the hand-written
 * text around them (the closing note on missed targets); adds the section before Development.
 */
function writeReadmeSection(table: string): void {
  const file = path.join(REPO_ROOT, 'README.md');
  const readme = readFileSync(file, 'utf8');
  const block = `${START}\n\n${table.trimEnd()}\n\n${END}`;
  let next: string;
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start !== -1 && end > start) {
    next = readme.slice(0, start) + block + readme.slice(end + END.length);
  } else {
    const at = readme.indexOf('\n## Development\n');
    if (at === -1) throw new Error('README.md has no "## Development" section to put Performance before');
    next = readme.slice(0, at + 1) + `${README_INTRO}\n${block}\n\n` + readme.slice(at + 1);
  }
  writeFileSync(file, next);
}

async function main(): Promise<void> {
  const started = performance.now();
  const rows: FigureRow[] = [];
  const details: Record<string, unknown> = {};
  let sweep: VariantSummary[] = [];
  const step = (label: string) =>
    process.stderr.write(`[bench] ${label} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
  const corpus = loadCorpus();

  if (wanted(1)) {
    step('1. client overhead');
    const r = await measureClientOverhead({
      corpus: corpus[0]!,
      makeProvider: () => controllerProvider(),
      rounds: quick ? 2 : 5,
      samplesPerRound: quick ? 10 : 60,
      lineCounts: [100, 10_000, 100_000],
    });
    rows.push(...r.rows);
    details.clientOverhead = r.detail;
  }
  if (wanted(3)) {
    step('3. connections');
    const r = await measureConnections({
      requests: quick ? 60 : 300,
      abortedShare: 0.7,
      runs: quick ? 1 : 3,
      gapAfterAbortMs: 25,
      makeProvider: (transport) => controllerProvider(transport),
    });
    rows.push(...r.rows);
    details.connections = r.detail;
  }
  if (wanted(5)) {
    step('5. memory');
    const r = await measureMemory({
      requests: quick ? 2000 : 10_000,
      checkpointEvery: quick ? 500 : 1000,
      runs: quick ? 1 : 2,
    });
    rows.push(...r.rows);
    details.memory = r.detail;
  }
  if (wanted(4)) {
    step('4. activation and size');
    const r = await measureActivation({ repoRoot: REPO_ROOT, samples: quick ? 3 : 10 });
    rows.push(...r.rows);
    details.activation = r.detail;
  }
  const replay = { timeScale, timeToFirstTokenMs: 200, tokenDelayMs: 20, ...(quick ? { maxChars: 800 } : {}) };
  if (wanted(2)) {
    step(`2. typing replay (time ×${timeScale})`);
    const r = await measureTypingReplay(replay);
    rows.push(...r.rows);
    sweep = r.sweep;
    details.typingReplay = r.detail;
  }
  let promptCost: PromptCostSummary[] = [];
  if (wanted(6)) {
    step(`6. prompt cost on a llama.cpp-like server (time ×${timeScale})`);
    const r = await measurePromptCost({
      timeScale,
      chars: quick ? 120 : 400,
      share: 0.45,
      llama: { promptTokensPerSecond: 500 },
      timeToFirstTokenMs: 30,
      tokenDelayMs: 20,
    });
    rows.push(...r.rows);
    promptCost = r.summaries;
    details.promptCost = promptCost;
  }
  if (wanted(7)) {
    step('7. context (definitions, edits, open files) over a typing replay');
    const r = await measureContextReplay({ runs: quick ? 1 : 3, ...(quick ? { linesPerFile: 2 } : {}) });
    const recall = await measureContextRecall();
    rows.push(...r.rows, ...recall.rows);
    details.context = { replay: r.detail, recall: recall.detail };
  }
  rows.sort((a, b) => a.figure - b.figure);
  const seconds = (performance.now() - started) / 1000;
  const m = machine();

  const notes = rows.filter((r) => r.note).map((r) => `- ${r.figure}. ${r.name}: ${r.note}`);
  const clockNote =
    `Typing replay: time runs ${timeScale}× faster than real (typing, pauses, reaction times, server delays and debounce all ` +
    `scaled; the controller gets the scaled clock), so three files × ${sweep.length || 'all'} variants fit the time budget; ` +
    `figures are in the user's milliseconds. The client's CPU time does not scale, so it is counted ${timeScale}× over. ` +
    `'defaults' and 'debounceMs auto' are the same settings: the gap between them is the run-to-run noise of the sweep.`;
  const header = `Measured ${m.date.slice(0, 10)} on ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}; run took ${seconds.toFixed(0)} s.`;

  process.stdout.write(`\n${header}\n\n${formatTable(rows)}\n`);
  if (sweep.length > 0)
    process.stdout.write(`\nTyping replay by variant (median of 3 files):\n${sweepTable(sweep, false)}\n`);
  if (promptCost.length > 0)
    process.stdout.write(`\nPrompt tokens per request on a llama.cpp-like server:\n${promptCostTable(promptCost)}\n`);
  process.stdout.write(`\nNotes:\n${notes.join('\n')}\n${wanted(2) ? `- ${clockNote}\n` : ''}`);

  const missed = rows.filter((r) => r.met === false);
  process.stdout.write(
    `\n${rows.filter((r) => r.met === true).length} targets met, ${missed.length} missed${missed.length ? `: ${missed.map((r) => `${r.figure}. ${r.name}`).join('; ')}` : ''}.\n`,
  );

  if (quick || only) {
    process.stdout.write('(partial or quick run: results not written)\n');
    return;
  }
  const outDir = path.join(__dirname, 'results');
  mkdirSync(outDir, { recursive: true });
  const json = {
    machine: m,
    seconds,
    settings: { replay },
    rows,
    sweep: sweep.map(({ results: _r, ...s }) => s),
    details,
  };
  writeFileSync(path.join(outDir, 'latest.json'), JSON.stringify(json, null, 2) + '\n');
  const md = [
    header,
    '',
    formatMarkdownTable(rows),
    '',
    sweep.length ? `Typing replay by variant (median of 3 files):\n\n${sweepTable(sweep, true)}\n` : '',
    'Notes:',
    '',
    ...notes,
    `- ${clockNote}`,
    '',
  ].join('\n');
  writeFileSync(path.join(outDir, 'latest.md'), md);
  process.stdout.write(`\nWrote ${path.relative(REPO_ROOT, path.join(outDir, 'latest.json'))} and latest.md\n`);
  if (updateReadme) {
    writeReadmeSection(md);
    process.stdout.write('Updated the Performance section of README.md\n');
  }
}

(args.includes('--llamacpp') ? runAgainstLlamaServer(args) : main()).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
