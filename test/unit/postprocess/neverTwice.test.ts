import * as assert from 'node:assert/strict';
import { buildPostprocessContext, type ContextOptions } from '../../../src/core/postprocess/context';
import { indentationAndLineEndings } from '../../../src/core/postprocess/indentation';
import { postprocess } from '../../../src/core/postprocess/pipeline';
import { readPromptWindow, windowFromText } from '../../../src/core/prompt/promptWindow';
import { StringDocument } from '../../../src/core/prompt/textDocumentLike';
import { LexicalStateIndex, MAX_LINES_PER_CALL } from '../../../src/core/stream/lexicalState';

/** What the user sees, and the file after accepting it. */
function accept(prefix: string, suffix: string, raw: string, options: Partial<ContextOptions> = {}) {
  const context = buildPostprocessContext(windowFromText(prefix, suffix), {
    languageId: 'typescript',
    maxLines: 16,
    multiline: 'auto',
    ...options,
  });
  const c = postprocess(raw, context).candidate;
  return { shown: c?.text ?? null, file: c ? prefix + c.text + suffix.slice(c.replaceSuffixChars) : null };
}

describe('nothing shown twice (issue 11)', () => {
  it('a multi-line answer that started mid-line stops where it repeats the lines after the cursor', () => {
    const prefix = 'class Id extends Base {\n  constructor(s: ';
    const suffix = '\n    super()\n    if (!IDENTIFIER.test(s)) throw new Error(s)\n  }\n}\n';
    const r = accept(prefix, suffix, 'string) {\n    super()\n    if (!IDENTIFIER.test(s)) throw new Error(s)\n');
    assert.equal(r.shown, 'string) {');
  });

  it('inside a Python docstring too, whitespace aside', () => {
    const prefix = 'def f():\n    """Return the\n    ';
    const suffix = '\n    value of x.\n    """\n    return x\n';
    const r = accept(prefix, suffix, 'first\n      value of x.\n    """', { languageId: 'python' });
    assert.equal(r.shown, 'first');
  });

  it('the rest of the line written again replaces it, not doubles it', () => {
    const r = accept('for (const k of ', ') {\n  use(k);\n}\n', 'keys) {\n  use(k);\n}');
    assert.deepEqual(r, { shown: 'keys) {', file: 'for (const k of keys) {\n  use(k);\n}\n' });
  });

  it('a closer the line still needs is not taken for a copy', () => {
    // `[[a, ` + `0]`: the `]` after the cursor closes the outer `[`, which is still open.
    const r = accept('const s = [[a, ', '];\n', '0]');
    assert.deepEqual(r, { shown: '0]', file: 'const s = [[a, 0]];\n' });
    // `add(` + `func)`: the `)` after the cursor is the one the answer wrote.
    assert.equal(
      accept('top.add(', ')\n\nx = 1\n', 'func)\n', { languageId: 'python' }).file,
      'top.add(func)\n\nx = 1\n',
    );
  });

  it('knows the window starts inside a docstring opened above it, so the closer after the cursor is not doubled', () => {
    const doc = [
      'def f():',
      '    """Long text (with brackets',
      ...Array.from({ length: 300 }, (_, i) => `    line ${i} of the docstring`),
      '    """',
      '    self.top_level.add(█)',
      '',
      'x = 1',
    ].join('\n');
    const { document, position } = StringDocument.withCursor(doc, 'python');
    const window = readPromptWindow(document, position, 256);
    assert.ok(window.startLine > 1 && window.startLine < 300, 'the window starts inside the docstring');
    const index = new LexicalStateIndex();
    const windowStartState = index.stateAtLine(document, window.startLine)!;
    assert.deepEqual(windowStartState.stack, ['"""']);
    const options = { languageId: 'python', maxLines: 16, multiline: 'auto' as const };
    const context = buildPostprocessContext(window, { ...options, windowStartState });
    assert.deepEqual(context.plan.prefixState.stack, ['('], 'at the cursor: in code, one bracket open');
    const assumed = buildPostprocessContext(window, options).plan.prefixState.stack;
    assert.deepEqual(assumed, ['"""'], 'assuming code at the window start reads the code after the docstring as text');
    assert.deepEqual(postprocess('func)\n', context).candidate, { text: 'func)', replaceSuffixChars: 1 });
  });

  it('an edit drops the states below it and only those', () => {
    const lines = ['/*', ...Array.from({ length: 1000 }, () => ' * text'), ' */', 'code();'];
    const document = {
      languageId: 'c',
      fileName: 'a.c',
      eol: '\n' as const,
      lineCount: lines.length,
      lineText: (l: number) => lines[l]!,
    };
    const index = new LexicalStateIndex();
    assert.equal(index.stateAtLine(document, 900)?.inBlockComment, true);
    assert.equal(index.stateAtLine(document, 1002)?.inBlockComment, false);
    lines[0] = 'code();';
    assert.equal(index.stateAtLine(document, 900)?.inBlockComment, true, 'not told: the kept state is stale');
    index.invalidateFrom(document, 0);
    assert.equal(index.stateAtLine(document, 900)?.inBlockComment, false);
  });

  it('a first scan of a huge document goes a bounded number of lines per call, then the state is known', () => {
    const lines = ['x = """', ...Array.from({ length: 3 * MAX_LINES_PER_CALL }, () => 'text (')];
    const document = new StringDocument(lines.join('\n'), 'python');
    const index = new LexicalStateIndex();
    const answers = [1, 2, 3, 4].map(() => index.stateAtLine(document, lines.length - 1));
    assert.deepEqual(answers.slice(0, 3), [undefined, undefined, undefined], 'unknown while the scan advances');
    assert.deepEqual(answers[3]?.stack, ['"""']);
  });

  it("indents with the editor's tabs: 16 spaces are 2 tabs where a tab is 8 columns", () => {
    const prefix = 'int f(void)\n{\n\tif (x) {\n\t\t';
    const context = buildPostprocessContext(windowFromText(prefix, '\n\t}\n}\n'), {
      languageId: 'c',
      maxLines: 16,
      multiline: 'auto',
      tabSize: 8,
      insertSpaces: false,
    });
    const out = indentationAndLineEndings.apply({ text: 'a();\n                b();', replaceSuffixChars: 0 }, context);
    assert.equal(out?.text, 'a();\n\t\tb();');
  });
});
