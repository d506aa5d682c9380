/**
 * Figure 7, definitions recall without an editor: on ajv's lib/ sources (a multi-file TypeScript
 * project nobody here wrote; it ships in node_modules), at positions right after a call to a
 * function imported from another file, does the prompt carry that function's parameter list? The
 * language server is TypeScript's own language service (the engine behind VS Code's TypeScript
 * features), answering definitions and navigation trees; everything after it is Infill's code:
 * names at the cursor, declaration extraction, budget, layout. The real-editor version of this
 * figure is test/integration/suite/contextDefinitions.test.ts (run through test/e2e).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { ContextGatherer, type ContextHost } from '../src/core/prompt/context/contextGatherer';
import type { DeclaredSymbol, SymbolRange } from '../src/core/prompt/context/declarations';
import { assemblePrompt } from '../src/core/prompt/promptAssembler';
import { StringDocument } from '../src/core/prompt/textDocumentLike';
import { DEFAULT_SETTINGS } from '../src/core/settings';
import { callPositions, parameterList, squash, tsFiles } from '../test/fixtures/callPositions';
import type { FigureRow } from './report';
import { spread } from './stats';

export const AJV_LIB = path.resolve(__dirname, '..', 'node_modules', 'ajv', 'lib');

const KINDS: Record<string, string> = {
  function: 'Function',
  method: 'Method',
  class: 'Class',
  interface: 'Interface',
  enum: 'Enum',
  module: 'Module',
  constructor: 'Constructor',
  property: 'Property',
  const: 'Constant',
  let: 'Variable',
  var: 'Variable',
  type: 'TypeParameter',
  getter: 'Property',
  setter: 'Property',
};

function languageService(files: readonly string[]): ts.LanguageService {
  const host: ts.LanguageServiceHost = {
    getCompilationSettings: () => ({ target: ts.ScriptTarget.ES2018, module: ts.ModuleKind.CommonJS, strict: true }),
    getScriptFileNames: () => [...files],
    getScriptVersion: () => '1',
    getScriptSnapshot: (f) => (fs.existsSync(f) ? ts.ScriptSnapshot.fromString(fs.readFileSync(f, 'utf8')) : undefined),
    getCurrentDirectory: () => path.dirname(AJV_LIB),
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
  };
  return ts.createLanguageService(host);
}

const sources = new Map<string, ts.SourceFile>();
/** A parsed file, for converting between offsets and (line, character). */
function sourceOf(file: string): ts.SourceFile {
  let sf = sources.get(file);
  if (!sf) {
    sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
    sources.set(file, sf);
  }
  return sf;
}

function symbolsOf(service: ts.LanguageService, file: string): DeclaredSymbol[] {
  const sf = sourceOf(file);
  const pos = (offset: number) => sf.getLineAndCharacterOfPosition(offset);
  const range = (span: ts.TextSpan): SymbolRange => {
    const a = pos(span.start);
    const b = pos(span.start + span.length);
    return { startLine: a.line, startCharacter: a.character, endLine: b.line, endCharacter: b.character };
  };
  const convert = (item: ts.NavigationTree): DeclaredSymbol => ({
    name: item.text,
    kind: KINDS[item.kind] ?? 'Variable',
    range: range(item.spans[0]!),
    selectionRange: range(item.nameSpan ?? item.spans[0]!),
    children: (item.childItems ?? []).map(convert),
  });
  return (service.getNavigationTree(file).childItems ?? []).map(convert);
}

function tsHost(service: ts.LanguageService, root: string): ContextHost {
  return {
    async definitions(documentKey, kind, position) {
      const offset = sourceOf(documentKey).getPositionOfLineAndCharacter(position.line, position.character);
      const found =
        kind === 'definition'
          ? service.getDefinitionAtPosition(documentKey, offset)
          : service.getTypeDefinitionAtPosition(documentKey, offset);
      return (found ?? [])
        .filter((d) => d.fileName.startsWith(root))
        .map((d) => {
          const at = sourceOf(d.fileName).getLineAndCharacterOfPosition(d.textSpan.start);
          return {
            fileName: d.fileName,
            path: path.relative(path.dirname(root), d.fileName),
            line: at.line,
            character: at.character,
          };
        });
    },
    async openTarget(fileName) {
      return {
        document: new StringDocument(sourceOf(fileName).text, 'typescript', fileName),
        symbols: symbolsOf(service, fileName),
      };
    },
  };
}

export async function measureContextRecall(
  limit = 90,
): Promise<{ rows: FigureRow[]; detail: Record<string, unknown> }> {
  if (!fs.existsSync(AJV_LIB)) {
    return {
      rows: [],
      detail: { skipped: `${AJV_LIB} not found (ajv 8 ships its TypeScript sources; run npm ci)` },
    };
  }
  const files = tsFiles(AJV_LIB);
  const service = languageService(files);
  const host = tsHost(service, AJV_LIB);
  const gatherer = new ContextGatherer(host);
  const settings = { ...DEFAULT_SETTINGS, fimMode: 'template' as const, model: 'qwen2.5-coder:1.5b' };
  let measured = 0;
  let carried = 0;
  const missed: string[] = [];
  for (const p of callPositions(files, limit)) {
    const original = fs.readFileSync(p.file, 'utf8');
    const lines = original.split('\n');
    const typed = lines[p.line]!.slice(0, p.parenAt + 1);
    const document = new StringDocument(
      [...lines.slice(0, p.line), typed, ...lines.slice(p.line + 1)].join('\n'),
      'typescript',
      p.file,
    );
    const position = { line: p.line, character: typed.length };
    // What the parameters are: the language service's own answer, read from the declaration.
    const defs = await host.definitions(p.file, 'definition', { line: p.line, character: p.nameAt });
    const def = defs[0];
    if (!def || def.fileName === p.file) continue;
    const target = sourceOf(def.fileName);
    const params = parameterList(target.text, target.getPositionOfLineAndCharacter(def.line, def.character));
    if (!params) continue;
    measured++;
    const pieces = await gatherer
      .begin({ documentKey: p.file, document, position, definitions: true, imports: true })
      .settle(settings.contextDeadlineMs);
    const prompt = assemblePrompt({
      document,
      position,
      settings,
      provider: { acceptsSuffix: false },
      context: { pieces, repoName: 'ajv', currentPath: path.relative(path.dirname(AJV_LIB), p.file) },
    }).parts.prompt;
    if (squash(prompt).includes(squash(params))) carried++;
    else missed.push(`${path.relative(AJV_LIB, p.file)}:${p.line + 1} ${p.name}`);
  }
  const recall = measured === 0 ? Number.NaN : (carried / measured) * 100;
  return {
    rows: [
      {
        figure: 7,
        name: "Context: definition's parameter list in the prompt after a cross-file call (ajv lib/, TS language service)",
        unit: '%',
        value: spread([recall]),
        target: '≥ 90%',
        met: recall >= 90,
        note: `${carried} of ${measured} positions; the real-editor run of the same check is the e2e integration test "Context: definitions"`,
      },
    ],
    detail: { measured, carried, recall, missed },
  };
}

if (require.main === module) {
  void measureContextRecall().then(({ rows, detail }) => {
    for (const r of rows) process.stdout.write(`${r.name}: ${r.value.median.toFixed(1)} ${r.unit} (${r.note})\n`);
    process.stdout.write(`${JSON.stringify(detail)}\n`);
  });
}
