import * as assert from 'node:assert/strict';
import { customTemplate, renderTemplate, templateForModel } from '../../../src/core/providers/fimTemplates';
import { assemblePrompt, chooseFimMode } from '../../../src/core/prompt/promptAssembler';
import { DEFAULT_SETTINGS } from '../../../src/core/settings';
import { StringDocument } from '../../../src/core/prompt/textDocumentLike';

describe('fimTemplates', () => {
  const cases: [string, string][] = [
    ['qwen2.5-coder:1.5b', 'qwen-coder'],
    ['Qwen/Qwen2.5-Coder-7B', 'qwen-coder'],
    ['qwen/qwen3-coder-30b-a3b-instruct', 'qwen-coder'],
    ['deepseek-ai/deepseek-coder-6.7b-base', 'deepseek-coder'],
    ['deepseek-coder-v2:16b', 'deepseek-coder'],
    ['bigcode/starcoder2-3b', 'starcoder'],
    ['codellama:7b-code', 'codellama'],
    ['codestral-latest', 'codestral'],
    ['codegemma:2b', 'codegemma'],
  ];
  for (const [model, id] of cases) {
    it(`knows ${model}`, () => assert.equal(templateForModel(model)?.id, id));
  }
  it('knows no template for a chat model', () => assert.equal(templateForModel('gpt-3.5-turbo-instruct'), undefined));

  it('renders each model format with its own token order', () => {
    assert.equal(renderTemplate(templateForModel('codellama')!, 'a', 'b'), '<PRE> a <SUF>b <MID>');
    assert.equal(renderTemplate(templateForModel('codestral')!, 'a', 'b'), '[SUFFIX]b[PREFIX]a');
    assert.equal(
      renderTemplate(templateForModel('deepseek-coder')!, 'a', 'b'),
      '<｜fim▁begin｜>a<｜fim▁hole｜>b<｜fim▁end｜>',
    );
  });

  it('leaves placeholders inside the code alone', () => {
    assert.equal(
      renderTemplate(templateForModel('starcoder')!, 'x = "{suffix}"', 'y'),
      '<fim_prefix>x = "{suffix}"<fim_suffix>y<fim_middle>',
    );
  });

  it('checks a custom template and takes its tokens as stops', () => {
    assert.deepEqual(customTemplate('<PRE>{prefix}'), { error: 'infill.fimTemplate must contain {suffix}' });
    const t = customTemplate('<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>');
    assert.ok(!('error' in t));
    assert.deepEqual(t.stops, ['<|fim_prefix|>', '<|fim_suffix|>', '<|fim_middle|>']);
  });
});

describe('chooseFimMode', () => {
  const s = { fimMode: 'auto' as const, fimTemplate: '', model: 'qwen2.5-coder:1.5b' };
  it('sends suffix to a server that fills in from it', () =>
    assert.equal(chooseFimMode(s, { acceptsSuffix: true }).mode, 'suffix'));
  it('uses the template for a server that ignores suffix', () =>
    assert.equal(chooseFimMode(s, { acceptsSuffix: false }).mode, 'template'));
  it('falls back to the prefix alone when neither works', () =>
    assert.equal(chooseFimMode({ ...s, model: 'mystery' }, { acceptsSuffix: false }).mode, 'off'));
  it('prefers the template for an unknown server running a known code model', () =>
    assert.equal(chooseFimMode(s, { acceptsSuffix: 'unknown' }).mode, 'template'));
  it('uses the model the server reports over the configured name', () => {
    assert.equal(
      chooseFimMode({ ...s, model: 'anything' }, { acceptsSuffix: false, learned: { serverModel: 'starcoder2-3b' } })
        .template?.id,
      'starcoder',
    );
  });
  it('honours explicit modes and the custom template', () => {
    assert.equal(chooseFimMode({ ...s, fimMode: 'off' }, { acceptsSuffix: true }).mode, 'off');
    assert.equal(chooseFimMode({ ...s, fimMode: 'suffix' }, { acceptsSuffix: false }).mode, 'suffix');
    assert.equal(
      chooseFimMode({ ...s, fimTemplate: '<A>{prefix}<B>{suffix}<C>' }, { acceptsSuffix: true }).template?.id,
      'custom',
    );
  });
});

describe('assemblePrompt', () => {
  const settings = { ...DEFAULT_SETTINGS, contextOpenFiles: true };
  it('puts prefix and suffix where the mode says', () => {
    const { document, position } = StringDocument.withCursor('def f():\n    return █\n', 'python', 'a.py');
    const suffixMode = assemblePrompt({ document, position, settings, provider: { acceptsSuffix: true } });
    assert.deepEqual(suffixMode.parts, {
      prompt: 'def f():\n    return ',
      suffix: '\n',
      extraStops: [],
      documentKey: 'a.py',
    });
    const template = assemblePrompt({
      document,
      position,
      settings: { ...settings, model: 'codellama:7b' },
      provider: { acceptsSuffix: false },
    });
    assert.equal(template.parts.prompt, '<PRE> def f():\n    return  <SUF>\n <MID>');
    assert.equal(template.parts.suffix, undefined);
    assert.deepEqual(template.parts.extraStops, ['<EOT>', '</s>']);
  });

  it('adds the most similar lines of another open file as a commented header, within the budget', () => {
    const { document, position } = StringDocument.withCursor(
      'from shop import cart\ntotal = cart_total(█',
      'python',
      '/p/main.py',
    );
    const other = new StringDocument(
      'def cart_total(items):\n    return sum(i.price for i in items)\n',
      'python',
      '/p/shop.py',
    );
    const unrelated = new StringDocument('import os\nprint(os.getcwd())\n', 'python', '/p/other.py');
    const a = assemblePrompt({
      document,
      position,
      settings,
      provider: { acceptsSuffix: true },
      openDocuments: [unrelated, other],
    });
    assert.ok(a.parts.prompt.startsWith('# Context from shop.py:\n# def cart_total(items):\n'), a.parts.prompt);
    assert.ok(a.parts.prompt.endsWith('total = cart_total('));
    assert.ok(!a.parts.prompt.includes('getcwd'));
    assert.ok(a.contextChars > 0 && a.contextChars <= settings.contextLength * 3.5 * 0.15);
    const off = assemblePrompt({
      document,
      position,
      settings: { ...settings, contextOpenFiles: false },
      provider: { acceptsSuffix: true },
      openDocuments: [other],
    });
    assert.equal(off.contextChars, 0);
  });
});

describe('assemblePrompt with gathered context', () => {
  const settings = { ...DEFAULT_SETTINGS, fimMode: 'template' as const };
  const lines = Array.from({ length: 30 }, (_, i) => `const v${i} = ${i};`);
  const { document, position } = StringDocument.withCursor(
    lines.join('\n') + '\nconst r = add(█',
    'typescript',
    '/w/main.ts',
  );
  const def = {
    source: 'definition' as const,
    path: 'src/math.ts',
    fileName: '/w/src/math.ts',
    startLine: 0,
    endLine: 0,
    text: 'export function add(a: number, b: number): number',
    rank: 0,
    seen: 0,
  };

  it('puts the definition first, in the model layout, and lists it for Explain', () => {
    const a = assemblePrompt({
      document,
      position,
      settings,
      provider: { acceptsSuffix: false },
      context: { pieces: [def], repoName: 'w', currentPath: 'main.ts' },
    });
    assert.ok(
      a.parts.prompt.startsWith('<|repo_name|>w\n<|file_sep|>src/math.ts\nexport function add('),
      a.parts.prompt,
    );
    assert.deepEqual(a.context, [{ source: 'definition', path: 'src/math.ts', lines: '1-1', tokens: 22 }]);
    assert.equal(a.layout, 'qwen-repo');
  });

  it('reserves the gathered share whether or not anything was found, so the window does not move', () => {
    const empty = assemblePrompt({
      document,
      position,
      settings,
      provider: { acceptsSuffix: false },
      context: { pieces: [] },
    });
    const full = assemblePrompt({
      document,
      position,
      settings,
      provider: { acceptsSuffix: false },
      context: { pieces: [def] },
    });
    assert.equal(empty.window.prefix, full.window.prefix);
    assert.equal(empty.contextBlock, '');
  });

  it('leaves out a piece of the current file that the window already shows', () => {
    const here = {
      ...def,
      source: 'recentEdit' as const,
      fileName: '/w/main.ts',
      path: 'main.ts',
      startLine: 29,
      endLine: 29,
    };
    const a = assemblePrompt({
      document,
      position,
      settings,
      provider: { acceptsSuffix: false },
      context: { pieces: [here] },
    });
    assert.deepEqual(a.context, []);
  });

  it('drops what does not fit whole, never a part of it', () => {
    const huge = { ...def, text: 'export function add(\n' + '  a: number,\n'.repeat(400) + ')' };
    const a = assemblePrompt({
      document,
      position,
      settings,
      provider: { acceptsSuffix: false },
      context: { pieces: [huge, { ...def, path: 'b.ts', fileName: '/w/b.ts' }] },
    });
    assert.deepEqual(
      a.context.map((c) => c.path),
      ['b.ts'],
    );
    assert.ok(!a.parts.prompt.includes('  a: number,\n'));
  });
});
