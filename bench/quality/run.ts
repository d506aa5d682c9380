/**
 * `npm run bench:quality`: is what Infill shows exactly what the file still needs, on real code?
 * Cases are cut at run time from real source files on this machine that nobody here wrote (see
 * corpus.ts), at three kinds of positions, with the model's answer the truth plus typical
 * over-generation (cases.ts). Each goes through the same path as ghost text: prepareCompletion (the
 * prompt window, the window's start state, the post-processing context with the editor's indentation
 * settings), the stop rules while the answer streams in, then the post-processing pipeline. Prints
 * per language and kind: exact (accepting gives back the file), a correct start (the shown text
 * begins the truth), nothing shown, wrong.
 *
 *   npm run bench:quality                       # seed 1, 60 cases per language and kind
 *   npm run bench:quality -- --seed=7 --per=100
 *   npm run bench:quality -- --show=wrong:20    # print 20 wrong cases (also: nothing, start)
 */
import * as path from 'node:path';
import { prepareCompletion } from '../../src/core/engine/completionEngine';
import { postprocess } from '../../src/core/postprocess/pipeline';
import { StringDocument } from '../../src/core/prompt/textDocumentLike';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { createStreamStopper } from '../../src/core/stream/streamStopper';
import { CASE_KINDS, CASE_MAKERS, rng, type CaseKind, type QualityCase } from './cases';
import { findCorpus, readSource } from './corpus';

type Verdict = 'exact' | 'start' | 'nothing' | 'wrong';
const VERDICTS: readonly Verdict[] = ['exact', 'start', 'nothing', 'wrong'];

const args = process.argv.slice(2);
const arg = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const seed = Number(arg('seed') ?? 1);
const perCell = Number(arg('per') ?? 60);
const [showVerdict, showCount] = (arg('show') ?? '').split(':');

interface Outcome {
  verdict: Verdict;
  shown: string | null;
  replace: number;
}

/**
 * What VS Code's indentation detection would set for the file: tabs when more lines start with a tab
 * than with two or more spaces; a tab is 8 columns in C (the kernel and GNU styles), else the default 4.
 */
function editorIndentation(text: string, languageId: string): { tabSize: number; insertSpaces: boolean } {
  const tabs = (text.match(/^\t/gm) ?? []).length;
  const spaces = (text.match(/^ {2,}(?! *\*)/gm) ?? []).length;
  const insertSpaces = tabs <= spaces;
  return { insertSpaces, tabSize: !insertSpaces && languageId === 'c' ? 8 : 4 };
}

/** Feeds the answer in small chunks to the stop rules, as a stream would, then post-processes what was read. */
function runCase(c: QualityCase, random: () => number): Outcome {
  const before = c.document.slice(0, c.at);
  const line = before.split('\n').length - 1;
  const character = before.length - before.lastIndexOf('\n') - 1;
  const document = new StringDocument(c.document, c.languageId, c.file);
  const prepared = prepareCompletion({
    document,
    position: { line, character },
    settings: { ...DEFAULT_SETTINGS, baseUrl: 'http://127.0.0.1:9', model: 'quality-bench', fimMode: 'suffix' },
    endpoint: { baseUrl: 'http://127.0.0.1:9', endpointPath: '/completions' },
    // The editor's indentation settings for the file, as VS Code's detection would give them.
    ...editorIndentation(c.document, c.languageId),
  });
  const { context } = prepared;
  const stopper = createStreamStopper(context.plan);
  let received = '';
  while (received.length < c.raw.length) {
    received = c.raw.slice(0, received.length + 1 + Math.floor(random() * 6));
    if (stopper.onProgress({ index: 0, text: received, finished: false }) === 'stop') break;
  }
  const candidate = postprocess(received, context).candidate;
  if (candidate === null || candidate.text === '') return { verdict: 'nothing', shown: null, replace: 0 };
  const after = c.document.slice(c.at);
  const accepted = before + candidate.text + after.slice(candidate.replaceSuffixChars);
  if (accepted === c.original)
    return { verdict: 'exact', shown: candidate.text, replace: candidate.replaceSuffixChars };
  const start = candidate.replaceSuffixChars === 0 && c.truth.startsWith(candidate.text);
  return { verdict: start ? 'start' : 'wrong', shown: candidate.text, replace: candidate.replaceSuffixChars };
}

function generate(): QualityCase[] {
  const cases: QualityCase[] = [];
  for (const source of findCorpus(path.resolve(__dirname, '../..'))) {
    if (source.skipped) {
      console.log(`skipped: ${source.label} (${source.skipped})`);
      continue;
    }
    const random = rng(seed * 7919 + source.languageId.length * 104729);
    const order = [...source.files];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const counts = new Map<CaseKind, number>(CASE_KINDS.map((k) => [k, 0]));
    let used = 0;
    for (const file of order) {
      if ([...counts.values()].every((n) => n >= perCell)) break;
      const text = readSource(file);
      if (text === undefined) continue;
      used++;
      for (const kind of CASE_KINDS) {
        if (counts.get(kind)! >= perCell) continue;
        const made = CASE_MAKERS[kind](random, file, source.languageId, text);
        if (made && made.truth.trim() !== '') {
          cases.push(made);
          counts.set(kind, counts.get(kind)! + 1);
        }
      }
    }
    console.log(`${source.label}: ${source.files.length} files found, ${used} read`);
  }
  return cases;
}

function pct(n: number, of: number): string {
  return of === 0 ? '-' : `${((100 * n) / of).toFixed(1)}%`;
}

function main(): void {
  const cases = generate();
  const random = rng(seed);
  const results = cases.map((c) => ({ c, o: runCase(c, random) }));
  const rows: string[][] = [
    ['language', 'kind', 'cases', ...VERDICTS.map((v) => (v === 'start' ? 'correct start' : v))],
  ];
  const addRow = (language: string, kind: string, list: typeof results) => {
    if (list.length === 0) return;
    rows.push([
      language,
      kind,
      String(list.length),
      ...VERDICTS.map((v) => pct(list.filter((r) => r.o.verdict === v).length, list.length)),
    ]);
  };
  const languages = [...new Set(cases.map((c) => c.languageId))];
  for (const language of languages) {
    for (const kind of CASE_KINDS)
      addRow(
        language,
        kind,
        results.filter((r) => r.c.languageId === language && r.c.kind === kind),
      );
    addRow(
      language,
      'all',
      results.filter((r) => r.c.languageId === language),
    );
  }
  for (const kind of CASE_KINDS)
    addRow(
      'all',
      kind,
      results.filter((r) => r.c.kind === kind),
    );
  addRow('all', 'all', results);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log(`\nquality on real code, seed ${seed}, ${cases.length} cases`);
  for (const r of rows)
    console.log(r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
  if (showVerdict) {
    const shown = results.filter((r) => r.o.verdict === showVerdict).slice(0, Number(showCount ?? 10));
    for (const { c, o } of shown) {
      console.log(`\n--- ${o.verdict}: ${c.kind}, ${c.file}`);
      console.log(`prefix …${JSON.stringify(c.document.slice(Math.max(0, c.at - 160), c.at))}`);
      console.log(`suffix ${JSON.stringify(c.document.slice(c.at, c.at + 160))}…`);
      console.log(`truth  ${JSON.stringify(c.truth)}`);
      console.log(`raw    ${JSON.stringify(c.raw)}`);
      console.log(`shown  ${JSON.stringify(o.shown)} replace ${o.replace}`);
    }
  }
}

main();
