import * as assert from 'node:assert/strict';
import { assemblePrompt, serverPromptLimit } from '../../../src/core/prompt/promptAssembler';
import { promptSuffixTokens, readPromptWindow, suffixForPrompt } from '../../../src/core/prompt/promptWindow';
import { StringDocument } from '../../../src/core/prompt/textDocumentLike';
import { DEFAULT_SETTINGS } from '../../../src/core/settings';
import { tokenizeCode } from '../../fixtures/llamaPromptCache';

/** A file of `count` numbered lines of about 40 characters, and the cursor on an empty line in it. */
function fileWithGap(count: number, at: number): { text: string; before: string; after: string } {
  const lines = Array.from({ length: count }, (_, i) => `    value_${i} = compute(${i}, factor * ${i % 7})`);
  const before = lines.slice(0, at).join('\n') + '\n';
  const after = '\n' + lines.slice(at).join('\n');
  return { text: before + after, before, after };
}

describe('promptSuffixTokens', () => {
  it('affords what the budget buys at the server speed, in steps, and nothing without a speed or budget', () => {
    assert.equal(promptSuffixTokens(100, 500), 32);
    assert.equal(promptSuffixTokens(100, 1000), 80);
    assert.equal(promptSuffixTokens(200, 500), 80);
    assert.equal(promptSuffixTokens(100, 60), 0);
    assert.equal(promptSuffixTokens(100, undefined), undefined);
    assert.equal(promptSuffixTokens(0, 500), undefined);
  });

  it('does not change with a small change of measured speed', () => {
    assert.equal(promptSuffixTokens(100, 480), promptSuffixTokens(100, 520));
  });
});

describe('suffixForPrompt', () => {
  const window = { suffix: ') + 1\nline one\nline two\nline three', lineSuffix: ') + 1', eol: '\n' as const };
  it('keeps the rest of the cursor line and whole lines within the budget', () => {
    assert.equal(suffixForPrompt(window, 8), ') + 1\nline one\nline two');
    assert.equal(suffixForPrompt(window, 0), ') + 1');
    assert.equal(suffixForPrompt(window, undefined), window.suffix);
    assert.equal(suffixForPrompt(window, 1000), window.suffix);
  });

  it("counts the budget in the server's characters per token when it is known", () => {
    assert.equal(suffixForPrompt(window, 8, 2), ') + 1\nline one');
  });

  it('cuts CRLF text at its line breaks', () => {
    const crlf = { suffix: '\r\nab\r\ncd', lineSuffix: '', eol: '\r\n' as const };
    assert.equal(suffixForPrompt(crlf, 1.5), '\r\nab');
  });
});

describe('window start while typing in one place', () => {
  for (const contextLength of [1024, 2048, 4096]) {
    it(`moves at most once over 400 typed characters at contextLength ${contextLength}`, () => {
      const { before, after } = fileWithGap(2000, 1200);
      const typing = 'total = 0\nfor item in items:\n    total += item.price * item.count\n'.repeat(6).slice(0, 400);
      const starts: number[] = [];
      for (let i = 0; i <= typing.length; i++) {
        const typed = before + typing.slice(0, i);
        const document = new StringDocument(typed + after, 'python');
        const line = typed.split('\n').length - 1;
        const character = typed.length - typed.lastIndexOf('\n') - 1;
        starts.push(readPromptWindow(document, { line, character }, contextLength).startLine);
      }
      const moves = starts.filter((s, i) => i > 0 && s !== starts[i - 1]).length;
      assert.ok(moves <= 1, `the first line moved ${moves} times: ${[...new Set(starts)].join(', ')}`);
    });
  }
});

describe('assemblePrompt with a known prompt speed', () => {
  const { text } = fileWithGap(200, 100);
  const document = new StringDocument(text, 'python', '/a.py');
  const position = { line: 100, character: 0 };
  const settings = { ...DEFAULT_SETTINGS, contextOpenFiles: false, model: 'qwen2.5-coder:1.5b' };

  it('cuts the suffix of a prefix-first template to the budget, and leaves the prefix as it was', () => {
    const full = assemblePrompt({ document, position, settings, provider: { acceptsSuffix: false } });
    const slow = assemblePrompt({
      document,
      position,
      settings,
      provider: { acceptsSuffix: false, learned: { promptTokensPerSecond: 500 } },
    });
    const suffixOf = (prompt: string) =>
      prompt.slice(prompt.indexOf('<|fim_suffix|>'), prompt.indexOf('<|fim_middle|>'));
    const prefixOf = (prompt: string) => prompt.slice(0, prompt.indexOf('<|fim_suffix|>'));
    assert.equal(prefixOf(slow.parts.prompt), prefixOf(full.parts.prompt));
    assert.ok(suffixOf(full.parts.prompt).length > 1000);
    assert.ok(suffixOf(slow.parts.prompt).length <= 32 * 3.5 + '<|fim_suffix|>'.length);
    assert.ok(slow.parts.prompt.endsWith('<|fim_middle|>'));
    // The window (cache keys, post-processing) keeps the whole suffix.
    assert.equal(slow.window.suffix, full.window.suffix);
  });

  it('keeps the whole suffix on a fast server, or with infill.suffixBudgetMs 0', () => {
    const full = assemblePrompt({ document, position, settings, provider: { acceptsSuffix: false } });
    for (const [speed, budget] of [
      [1e6, 100],
      [500, 0],
    ] as const) {
      const laid = assemblePrompt({
        document,
        position,
        settings: { ...settings, suffixBudgetMs: budget },
        provider: { acceptsSuffix: false, learned: { promptTokensPerSecond: speed } },
      });
      assert.equal(laid.parts.prompt, full.parts.prompt, `${speed} tokens/s, ${budget} ms`);
    }
  });

  it('cuts the suffix sent in `suffix` too', () => {
    const laid = assemblePrompt({
      document,
      position,
      settings: { ...settings, fimMode: 'suffix' },
      provider: { acceptsSuffix: true, learned: { promptTokensPerSecond: 500 } },
    });
    assert.ok((laid.parts.suffix ?? '').length <= 32 * 3.5);
    assert.ok((laid.parts.suffix ?? '').length > 0);
  });

  it('lays Code Llama out suffix-first, its documented SPM form, with the whole suffix', () => {
    const llama = { ...settings, model: 'codellama:7b-code' };
    const laid = assemblePrompt({
      document,
      position,
      settings: llama,
      provider: { acceptsSuffix: false, learned: { promptTokensPerSecond: 500 } },
    });
    assert.ok(laid.parts.prompt.startsWith('<PRE> <SUF>\n    value_100'));
    assert.ok(laid.parts.prompt.endsWith(` <MID> ${laid.window.prefix}`));
    assert.ok(laid.parts.prompt.includes(laid.window.suffix));
    const hosted = assemblePrompt({ document, position, settings: llama, provider: { acceptsSuffix: false } });
    assert.ok(hosted.parts.prompt.startsWith('<PRE> '), 'prefix-first without a known speed');
    assert.ok(hosted.parts.prompt.endsWith(' <MID>'));
  });
});

describe("the server's context", () => {
  const lines = Array.from(
    { length: 3000 },
    (_, i) => `  if (a[${i}] != b[${i}]) { c[${i}] = (a[${i}] + b[${i}]) >> 1; }`,
  );
  const document = new StringDocument(lines.join('\n'), 'c', '/a.c');
  const position = { line: 1500, character: 0 };
  const settings = { ...DEFAULT_SETTINGS, contextOpenFiles: false, model: 'qwen2.5-coder:1.5b', contextLength: 4096 };

  it('never lets prompt plus max_tokens exceed it, counted in the server’s own tokens', () => {
    // What the transport fits from the server's counts (prompt_n + cache_n), in its steps.
    const text = lines.join('\n');
    const charsPerToken = Math.floor((text.length / tokenizeCode(text).length) * 4) / 4;
    for (const contextTokens of [1024, 2048, 4096]) {
      const learned = { contextTokens, charsPerToken };
      const laid = assemblePrompt({ document, position, settings, provider: { acceptsSuffix: false, learned } });
      const used = tokenizeCode(laid.parts.prompt).length + settings.maxTokens;
      assert.ok(used <= contextTokens, `${used} tokens used of ${contextTokens}`);
      assert.ok(used > contextTokens * 0.6, `the context is used: ${used} of ${contextTokens}`);
    }
  });

  it('before any count, assumes few characters per token, so ordinary code fits Ollama’s default', () => {
    const { text } = fileWithGap(2000, 1000);
    const python = new StringDocument(text, 'python', '/a.py');
    const learned = { contextTokens: 2048 };
    const laid = assemblePrompt({
      document: python,
      position: { line: 1000, character: 0 },
      settings,
      provider: { acceptsSuffix: false, learned },
    });
    assert.ok(tokenizeCode(laid.parts.prompt).length + settings.maxTokens <= 2048);
  });

  it('uses the fitted characters per token when the server counted them', () => {
    const guessed = serverPromptLimit(settings, { acceptsSuffix: false, learned: { contextTokens: 2048 } });
    const fitted = serverPromptLimit(settings, {
      acceptsSuffix: false,
      learned: { contextTokens: 2048, charsPerToken: 4 },
    });
    assert.ok(fitted > guessed);
    assert.equal(serverPromptLimit(settings, { acceptsSuffix: false }), Infinity);
  });
});
