import * as assert from 'node:assert/strict';
import { chooseFimMode } from '../../../../src/core/prompt/promptAssembler';
import { layOutPrompt, orderForBlock } from '../../../../src/core/prompt/context/contextLayout';
import type { ContextPiece } from '../../../../src/core/prompt/context/contextTypes';
import { windowFromText } from '../../../../src/core/prompt/promptWindow';
import { repoLayoutFor } from '../../../../src/core/providers/repoLayouts';

const def: ContextPiece = {
  source: 'definition',
  path: 'src/math.ts',
  fileName: '/w/src/math.ts',
  startLine: 3,
  endLine: 4,
  text: 'export function add(a: number, b: number): number',
  rank: 0,
  seen: 1,
};
const edit: ContextPiece = {
  source: 'recentEdit',
  path: 'src/util.ts',
  fileName: '/w/src/util.ts',
  startLine: 0,
  endLine: 0,
  text: 'const x = 1;',
  rank: 0,
  seen: 2,
};
const window = windowFromText('const y = add(', ');\n');

function layout(model: string, mode: 'template' | 'suffix') {
  const fim = chooseFimMode({ fimMode: mode, fimTemplate: '', model }, { acceptsSuffix: true });
  return layOutPrompt({
    fim,
    model,
    pieces: [def, edit],
    window,
    languageId: 'typescript',
    repoName: 'w',
    currentPath: 'src/main.ts',
  });
}

describe('contextLayout', () => {
  it('Qwen2.5-Coder: repo name, a file separator per piece, then the current path and the FIM prompt', () => {
    const out = layout('qwen2.5-coder:1.5b', 'template');
    assert.equal(
      out.parts.prompt,
      '<|repo_name|>w\n' +
        '<|file_sep|>src/math.ts\nexport function add(a: number, b: number): number\n' +
        '<|file_sep|>src/util.ts\nconst x = 1;\n' +
        '<|file_sep|>src/main.ts\n' +
        '<|fim_prefix|>const y = add(<|fim_suffix|>);\n<|fim_middle|>',
    );
    assert.equal(out.layout, 'qwen-repo');
    assert.ok(out.parts.prompt.startsWith(out.block));
  });

  it('StarCoder2: <file_sep> per piece, the current path inside the FIM prefix', () => {
    const out = layout('bigcode/starcoder2-3b', 'template');
    assert.equal(
      out.parts.prompt,
      '<repo_name>w' +
        '<file_sep>src/math.ts\nexport function add(a: number, b: number): number\n' +
        '<file_sep>src/util.ts\nconst x = 1;\n' +
        '<file_sep><fim_prefix>src/main.ts\nconst y = add(<fim_suffix>);\n<fim_middle>',
    );
  });

  it('StarCoder (1) has no file separator: commented header inside the template', () => {
    const out = layout('starcoder:1b', 'template');
    assert.equal(out.layout, 'comment');
    assert.ok(out.parts.prompt.startsWith('<fim_prefix>// Context from src/math.ts:\n// export function add('));
  });

  it('DeepSeek-Coder: each file introduced by a comment with its path, inside the FIM prefix', () => {
    const out = layout('deepseek-coder:6.7b-base', 'template');
    assert.equal(
      out.parts.prompt,
      '<｜fim▁begin｜>// src/math.ts\nexport function add(a: number, b: number): number\n' +
        '// src/util.ts\nconst x = 1;\n' +
        '// src/main.ts\nconst y = add(<｜fim▁hole｜>);\n<｜fim▁end｜>',
    );
  });

  it('suffix mode: a commented header in the file language, then the prefix; suffix untouched', () => {
    const out = layout('qwen2.5-coder:1.5b', 'suffix');
    assert.equal(
      out.parts.prompt,
      '// Context from src/math.ts:\n// export function add(a: number, b: number): number\n' +
        '// Context from src/util.ts:\n// const x = 1;\n\nconst y = add(',
    );
    assert.equal(out.parts.suffix, ');\n');
    assert.equal(out.layout, 'comment');
  });

  it('without pieces the prompt is the plain template', () => {
    const fim = chooseFimMode(
      { fimMode: 'template', fimTemplate: '', model: 'qwen2.5-coder' },
      { acceptsSuffix: true },
    );
    const out = layOutPrompt({ fim, model: 'qwen2.5-coder', pieces: [], window, languageId: 'typescript' });
    assert.equal(out.parts.prompt, '<|fim_prefix|>const y = add(<|fim_suffix|>);\n<|fim_middle|>');
    assert.equal(out.block, '');
  });

  it('orders pieces by when they were first seen, so a new piece goes last', () => {
    const newer = { ...def, path: 'src/z.ts', seen: 0 };
    assert.deepEqual(
      orderForBlock([edit, def, newer]).map((p) => p.path),
      ['src/z.ts', 'src/math.ts', 'src/util.ts'],
    );
  });

  it('knows which models have repository-level layouts', () => {
    assert.equal(repoLayoutFor('qwen-coder', 'qwen3-coder')?.id, 'qwen-repo');
    assert.equal(repoLayoutFor('deepseek-coder', 'deepseek-coder-v2')?.id, 'deepseek-files');
    assert.equal(repoLayoutFor('starcoder', 'starcoder2:7b')?.id, 'starcoder2-repo');
    assert.equal(repoLayoutFor('codellama', 'codellama'), undefined);
  });
});
