/**
 * Figure 7, context: over a typing replay on a real multi-file TypeScript project (Infill's own
 * src/), with a simulated language server whose answers take 3 ms to 300 ms, the added latency
 * before the request (from the end of the debounce to the prompt being ready: waiting for context
 * within `infill.context.deadlineMs`, then budgeting and layout), the share of consecutive requests
 * whose context block is byte-identical while the user types in one place, and the tokens of
 * context per request.
 *
 *   npm run bench -- --only=7      # as part of the table
 *   npx tsx bench/contextLatency.ts   # alone
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ContextGatherer, type ContextHost, type DefinitionTarget } from '../src/core/prompt/context/contextGatherer';
import { historyPieces, LocationHistory } from '../src/core/prompt/context/recentEdits';
import { assemblePrompt } from '../src/core/prompt/promptAssembler';
import { StringDocument, type CursorPosition } from '../src/core/prompt/textDocumentLike';
import { DEFAULT_SETTINGS, type InfillSettings } from '../src/core/settings';
import type { FigureRow } from './report';
import { mean, percentile, seededRandom, spread } from './stats';

const SRC = path.resolve(__dirname, '../src');

interface SourceFile {
  fileName: string;
  path: string;
  text: string;
}

function sourceFiles(dir = SRC): SourceFile[] {
  const out: SourceFile[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(full));
    else if (e.name.endsWith('.ts'))
      out.push({ fileName: full, path: path.relative(path.dirname(SRC), full), text: readFileSync(full, 'utf8') });
  }
  return out;
}

/** Where each exported name is declared: the simulated language server's index. */
function declarationIndex(files: readonly SourceFile[]): Map<string, DefinitionTarget> {
  const index = new Map<string, DefinitionTarget>();
  for (const f of files) {
    f.text.split('\n').forEach((line, n) => {
      const m = /^export\s+(?:async\s+)?(?:function|class|interface|type|const|enum)\s+([A-Za-z_$][\w$]*)/.exec(line);
      if (m && !index.has(m[1]!))
        index.set(m[1]!, { fileName: f.fileName, path: f.path, line: n, character: line.indexOf(m[1]!) });
    });
  }
  return index;
}

/** A language server that knows the index and answers after 3–300 ms (most answers are quick). */
function simulatedServer(
  files: readonly SourceFile[],
  current: () => StringDocument,
  random: () => number,
): ContextHost {
  const index = declarationIndex(files);
  const docs = new Map(files.map((f) => [f.fileName, new StringDocument(f.text, 'typescript', f.fileName)]));
  const latency = () => {
    const r = random();
    return r < 0.7 ? 3 + random() * 7 : r < 0.9 ? 10 + random() * 30 : 100 + random() * 200;
  };
  const wordAt = (pos: CursorPosition) => {
    const text = current().lineText(pos.line);
    return /^[A-Za-z_$][\w$]*/.exec(text.slice(pos.character))?.[0] ?? '';
  };
  return {
    async definitions(_key, kind, pos) {
      const name = wordAt(pos);
      await new Promise((r) => setTimeout(r, latency()));
      const at = kind === 'definition' ? index.get(name) : undefined;
      return at ? [at] : [];
    },
    async openTarget(fileName) {
      const document = docs.get(fileName);
      return document ? { document, symbols: [] } : undefined;
    },
  };
}

/** Lines of `file` that call a function declared in another file: where the replay types. */
function typingTargets(file: SourceFile, index: Map<string, DefinitionTarget>, count: number): number[] {
  const lines = file.text.split('\n');
  const out: number[] = [];
  lines.forEach((line, n) => {
    if (out.length >= count || n < 20) return;
    for (const m of line.matchAll(/([A-Za-z_$][\w$]*)\(/g)) {
      const at = index.get(m[1]!);
      if (at && at.fileName !== file.fileName && line.trim().length > 20 && line.trim().length < 100) {
        out.push(n);
        return;
      }
    }
  });
  return out;
}

export interface ContextReplayResult {
  latencyP95Ms: number;
  latencyMeanMs: number;
  identicalShare: number;
  meanContextTokens: number;
  requests: number;
  definitionShare: number;
}

/** Types each target line again, character by character, in `file`; one request per keystroke. */
async function replayFile(
  file: SourceFile,
  files: readonly SourceFile[],
  settings: InfillSettings,
  random: () => number,
  debounceMs: number,
  linesPerFile: number,
): Promise<{ latencies: number[]; identical: number; pairs: number; tokens: number[]; withDefinition: number }> {
  let document = new StringDocument(file.text, 'typescript', file.fileName);
  const server = simulatedServer(files, () => document, random);
  const gatherer = new ContextGatherer(server);
  const history = new LocationHistory();
  // The user edited two other files before coming here.
  const others = files.filter((f) => f.fileName !== file.fileName && f.path.includes('core/prompt')).slice(0, 2);
  for (const o of others) history.note(o.fileName, o.path, 10, 12);
  const otherDocs = new Map(others.map((o) => [o.fileName, new StringDocument(o.text, 'typescript', o.fileName)]));
  const openDocuments = [...otherDocs.values()];
  const lines = file.text.split('\n');
  const latencies: number[] = [];
  const tokens: number[] = [];
  let identical = 0;
  let pairs = 0;
  let withDefinition = 0;
  for (const target of typingTargets(file, declarationIndex(files), linesPerFile)) {
    const full = lines[target]!;
    const indent = /^\s*/.exec(full)![0];
    let previousBlock: string | undefined;
    for (let typed = indent.length; typed <= full.length; typed++) {
      const text = [...lines.slice(0, target), full.slice(0, typed), ...lines.slice(target + 1)].join('\n');
      document = new StringDocument(text, 'typescript', file.fileName);
      const position = { line: target, character: typed };
      history.noteEdit(file.fileName, file.path, target, target, 0);
      // The keystroke: gathering starts, then the debounce waits.
      const gathering = gatherer.begin({
        documentKey: file.fileName,
        document,
        position,
        definitions: true,
        imports: true,
      });
      await new Promise((r) => setTimeout(r, debounceMs));
      const started = performance.now();
      const declared = await gathering.settle(settings.contextDeadlineMs);
      const pieces = [
        ...declared,
        ...historyPieces(
          history.entries(),
          'recentEdit',
          (f) => (f === file.fileName ? document : otherDocs.get(f)),
          (k) => gatherer.seen.stamp(k),
        ),
      ];
      const assembled = assemblePrompt({
        document,
        position,
        settings,
        provider: { acceptsSuffix: false },
        openDocuments,
        context: { pieces, repoName: 'infill', currentPath: file.path },
      });
      latencies.push(performance.now() - started);
      tokens.push(assembled.context.reduce((n, c) => n + c.tokens, 0));
      if (assembled.context.some((c) => c.source === 'definition')) withDefinition++;
      if (previousBlock !== undefined) {
        pairs++;
        if (previousBlock === assembled.contextBlock) identical++;
      }
      previousBlock = assembled.contextBlock;
    }
  }
  return { latencies, identical, pairs, tokens, withDefinition };
}

export async function measureContextReplay(options: {
  runs?: number;
  debounceMs?: number;
  linesPerFile?: number;
  files?: number;
}): Promise<{ rows: FigureRow[]; detail: ContextReplayResult[] }> {
  const files = sourceFiles();
  const typed = files
    .filter((f) => /core\/(engine|prompt)\/|vscode\/inlineProvider/.test(f.path))
    .slice(0, options.files ?? 3);
  const settings: InfillSettings = { ...DEFAULT_SETTINGS, fimMode: 'template', model: 'qwen2.5-coder:1.5b' };
  const detail: ContextReplayResult[] = [];
  for (let run = 0; run < (options.runs ?? 2); run++) {
    const random = seededRandom(17 + run);
    const latencies: number[] = [];
    const tokens: number[] = [];
    let identical = 0;
    let pairs = 0;
    let withDefinition = 0;
    for (const file of typed) {
      const r = await replayFile(file, files, settings, random, options.debounceMs ?? 20, options.linesPerFile ?? 4);
      latencies.push(...r.latencies);
      tokens.push(...r.tokens);
      identical += r.identical;
      pairs += r.pairs;
      withDefinition += r.withDefinition;
    }
    detail.push({
      latencyP95Ms: percentile(latencies, 95),
      latencyMeanMs: mean(latencies),
      identicalShare: pairs === 0 ? Number.NaN : identical / pairs,
      meanContextTokens: mean(tokens),
      requests: latencies.length,
      definitionShare: withDefinition / latencies.length,
    });
  }
  const p95 = spread(detail.map((d) => d.latencyP95Ms));
  const same = spread(detail.map((d) => d.identicalShare * 100));
  const note = `${detail[0]?.requests ?? 0} requests per run over ${typed.length} files of src/, simulated language server 3–300 ms, deadline ${settings.contextDeadlineMs} ms`;
  return {
    rows: [
      {
        figure: 7,
        name: 'Context: added latency before the request, p95',
        unit: 'ms',
        value: p95,
        target: '< 20 ms',
        met: p95.median < 20,
        note,
      },
      {
        figure: 7,
        name: 'Context: consecutive requests with a byte-identical context block',
        unit: '%',
        value: same,
        target: '≥ 95%',
        met: same.median >= 95,
      },
      {
        figure: 7,
        name: 'Context: tokens of context per request (mean)',
        unit: 'tokens',
        value: spread(detail.map((d) => d.meanContextTokens)),
        target: '',
        met: null,
      },
      {
        figure: 7,
        name: 'Context: requests carrying a definition',
        unit: '%',
        value: spread(detail.map((d) => d.definitionShare * 100)),
        target: '',
        met: null,
      },
    ],
    detail,
  };
}

if (require.main === module) {
  void measureContextReplay({ runs: Number(process.env.BENCH_RUNS ?? 2) }).then(({ rows, detail }) => {
    for (const r of rows)
      process.stdout.write(
        `${r.name}: ${r.value.median.toFixed(2)} ${r.unit} (runs ${r.value.runs}, min ${r.value.min.toFixed(2)}, max ${r.value.max.toFixed(2)})${r.target ? `, target ${r.target}: ${r.met ? 'met' : 'MISSED'}` : ''}\n`,
      );
    process.stdout.write(`${JSON.stringify(detail)}\n`);
  });
}
