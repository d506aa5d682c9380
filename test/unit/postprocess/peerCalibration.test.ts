import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildPostprocessContext } from '../../../src/core/postprocess/context';
import { postprocess } from '../../../src/core/postprocess/pipeline';
import { windowFromText } from '../../../src/core/prompt/promptWindow';

/**
 * Calibration against other completion engines' golden cases (../shared/peer-cases), run through
 * the real pipeline with default settings and no special cases. Peers disagree with each other on
 * several rules, so 100% is neither possible nor the goal; the floor catches regressions, and the
 * deliberate differences are spelled out below.
 */
interface PeerCase {
  source: string;
  language: string;
  prefix: string;
  suffix: string;
  rawCompletion: string;
  expected: string | null;
  note: string;
}

// Beside the repository, as CI lays it out; a user's clone has no such folder and skips this suite.
const REPO_ROOT = path.resolve(__dirname, '../../..');
const DIR = process.env.INFILL_PEER_CASES ?? path.resolve(REPO_ROOT, '..', 'shared', 'peer-cases');

function load(): PeerCase[] {
  return ['peer-postprocess-cases.json', 'copilot-cases.json'].flatMap(
    (f) => JSON.parse(readFileSync(path.join(DIR, f), 'utf8')) as PeerCase[],
  );
}

function shown(c: Pick<PeerCase, 'prefix' | 'suffix' | 'rawCompletion' | 'language'>): string | null {
  const context = buildPostprocessContext(windowFromText(c.prefix, c.suffix), {
    languageId: c.language,
    maxLines: 16,
    multiline: 'auto',
  });
  return postprocess(c.rawCompletion, context).candidate?.text ?? null;
}

/** Line endings are compared loosely: Infill writes the document's own (see the CRLF case below). */
function same(a: string | null, b: string | null): boolean {
  return (a === null ? null : a.replace(/\r\n/g, '\n')) === (b === null ? null : b.replace(/\r\n/g, '\n'));
}

function byTitle(cases: PeerCase[], fragment: string): PeerCase {
  const found = cases.find((c) => c.source.includes(fragment));
  assert.ok(found, `peer case "${fragment}"`);
  return found;
}

describe('peer calibration (../shared/peer-cases)', function () {
  let cases: PeerCase[] = [];
  before(function () {
    if (!existsSync(DIR)) {
      console.log(`      peer calibration skipped: ${DIR} not found (it lies beside the repository in CI only)`);
      this.skip();
    }
    cases = load();
  });

  it('matches most peer expectations, well above passing raw output through', () => {
    const fullPipeline = cases.filter((c) => c.note.includes('full-pipeline') || c.source.includes('twinny'));
    const rate = (list: PeerCase[], f: (c: PeerCase) => string | null) =>
      list.filter((c) => same(f(c), c.expected)).length / list.length;
    const all = rate(cases, shown);
    const full = rate(fullPipeline, shown);
    const rawFull = rate(fullPipeline, (c) => c.rawCompletion);
    console.log(
      `      peer match: ${(100 * all).toFixed(1)}% of ${cases.length} cases; full-pipeline ${(100 * full).toFixed(1)}% of ${fullPipeline.length} (raw output: ${(100 * rawFull).toFixed(1)}%)`,
    );
    assert.ok(full >= 0.8, `full-pipeline match ${full}`);
    assert.ok(all >= 0.7, `overall match ${all}`);
    assert.ok(full > rawFull + 0.15, 'post-processing must beat passing raw output through');
  });

  // Deliberate differences, each with its reason.

  it('differs from Cody on blank lines: a block ends at the first blank line after a complete statement (the issue asks for it; long blocks cost time and tokens)', () => {
    const c = byTitle(cases, 'skips over empty lines');
    assert.equal(shown(c), "console.log('foo')");
    assert.notEqual(c.expected, "console.log('foo')");
  });

  it('differs from Continue at the end of a non-empty line: one line unless the completion opens a block (mid-statement, more lines are mostly noise)', () => {
    const c = byTitle(cases, 'Should autocomplete TypeScript interface properties');
    assert.equal(shown(c), 'mail: string;');
  });

  it('differs from Cody on CRLF documents: Infill shows CRLF text in a CRLF document, so accepting keeps the file consistent', () => {
    const c = byTitle(cases, 'works works with \\r\\n line terminators');
    const text = shown(c);
    assert.ok(text?.includes('\r\n'), 'CRLF kept');
    assert.ok(same(text, c.expected), 'same text otherwise');
  });

  it('differs from Continue on indentation: a tab-indented document gets tabs even when the model wrote spaces', () => {
    const c = byTitle(cases, 'Should autocomplete a simple Go function declaration');
    assert.equal(shown(c), '(length float64, width float64) float64 {\n\treturn length * width\n}');
  });

  it('differs from Cody on text the suffix repeats: Infill keeps the text and extends the replace range over the suffix (same document after accepting)', () => {
    const c = byTitle(cases, 'removes duplicate closing quote');
    assert.equal(shown(c), "word'");
    assert.equal(c.expected, 'word');
  });
});
