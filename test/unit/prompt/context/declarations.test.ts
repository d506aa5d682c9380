import * as assert from 'node:assert/strict';
import { declarationAt, type DeclaredSymbol } from '../../../../src/core/prompt/context/declarations';
import { StringDocument } from '../../../../src/core/prompt/textDocumentLike';

const range = (startLine: number, endLine: number, startCharacter = 0, endCharacter = 200) => ({
  startLine,
  startCharacter,
  endLine,
  endCharacter,
});

function sym(name: string, kind: string, start: number, end: number, children: DeclaredSymbol[] = []): DeclaredSymbol {
  return { name, kind, range: range(start, end), selectionRange: range(start, start), children };
}

const source = [
  'import { x } from "y";', // 0
  '', // 1
  '/**', // 2
  ' * Compiles a schema.', // 3
  ' */', // 4
  'export function compile(', // 5
  '  schema: Schema,', // 6
  '  opts: Options = {},', // 7
  '): Validate {', // 8
  '  const a = 1;', // 9
  ...Array.from({ length: 10 }, (_, i) => `  step${i}();`), // 10-19
  '  return a;', // 20
  '}', // 21
  '', // 22
  '/** A code generator. */', // 23
  'export class CodeGen {', // 24
  '  private names: string[] = [];', // 25
  '  /** Adds a line. */', // 26
  '  add(line: string, indent = 0): this {', // 27
  ...Array.from({ length: 10 }, (_, i) => `    work${i}();`), // 28-37
  '  }', // 38
  '  static of(', // 39
  '    lines: string[],', // 40
  '  ): CodeGen {', // 41
  '    return new CodeGen();', // 42
  '  }', // 43
  '}', // 44
].join('\n');
const doc = new StringDocument(source, 'typescript', '/w/lib/compile.ts');
const symbols = [
  sym('compile', 'Function', 5, 21),
  sym('CodeGen', 'Class', 24, 44, [
    sym('names', 'Property', 25, 25),
    sym('add', 'Method', 27, 38),
    sym('of', 'Method', 39, 43),
  ]),
];

describe('declarations', () => {
  it('a function: its doc comment and whole parameter list, not its body', () => {
    const d = declarationAt(doc, symbols, 5, 16)!;
    assert.equal(
      d.text,
      '/**\n * Compiles a schema.\n */\nexport function compile(\n  schema: Schema,\n  opts: Options = {},\n): Validate',
    );
    assert.equal(d.startLine, 2);
    assert.equal(d.endLine, 8);
  });

  it('a class: header and every member signature, closed', () => {
    const d = declarationAt(doc, symbols, 24, 13)!;
    assert.equal(
      d.text,
      [
        '/** A code generator. */',
        'export class CodeGen {',
        '  private names: string[] = [];',
        '  add(line: string, indent = 0): this',
        '  static of(',
        '    lines: string[],',
        '  ): CodeGen',
        '}',
      ].join('\n'),
    );
  });

  it('a static method pointed at inside a class: that method alone, dedented, with its doc', () => {
    const at = { ...symbols[1]!.children[2]!, selectionRange: range(39, 39, 9, 11) };
    const withStatic = [
      symbols[0]!,
      { ...symbols[1]!, children: [symbols[1]!.children[0]!, symbols[1]!.children[1]!, at] },
    ];
    const d = declarationAt(doc, withStatic, 39, 10)!;
    assert.equal(d.text, 'static of(\n  lines: string[],\n): CodeGen');
    const add = declarationAt(doc, symbols, 27, 3)!;
    assert.equal(add.text, '/** Adds a line. */\nadd(line: string, indent = 0): this');
  });

  it('without symbols, the signature at the location', () => {
    const d = declarationAt(doc, [], 5, 16)!;
    assert.ok(d.text.endsWith('export function compile(\n  schema: Schema,\n  opts: Options = {},\n): Validate'));
  });

  it('python: def up to its colon, with the comment above', () => {
    const py = new StringDocument('# Totals a cart.\ndef total(items,\n          tax=0):\n    return 1\n', 'python');
    const d = declarationAt(py, [sym('total', 'Function', 1, 3)], 1, 4)!;
    assert.equal(d.text, '# Totals a cart.\ndef total(items,\n          tax=0):');
    const long = new StringDocument(
      'def total(items,\n          tax=0):\n' + Array.from({ length: 20 }, () => '    x = 1\n').join(''),
      'python',
    );
    assert.equal(
      declarationAt(long, [sym('total', 'Function', 0, 21)], 0, 4)!.text,
      'def total(items,\n          tax=0):',
    );
  });
});
