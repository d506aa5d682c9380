import * as assert from 'node:assert/strict';
import { buildPostprocessContext } from '../../../src/core/postprocess/context';
import { postprocess } from '../../../src/core/postprocess/pipeline';
import { readPromptWindow } from '../../../src/core/prompt/promptWindow';
import { StringDocument } from '../../../src/core/prompt/textDocumentLike';
import { GOLDEN_CASES } from './goldenCases';

/** Runs one golden case through the real window reader and the whole pipeline. */
export function runGolden(document: string, language: string, raw: string) {
  const { document: doc, position } = StringDocument.withCursor(document, language, `golden.${language}`);
  const window = readPromptWindow(doc, position, 2048);
  const context = buildPostprocessContext(window, { languageId: language, maxLines: 16, multiline: 'auto' });
  return postprocess(raw, context);
}

describe('post-processing golden cases', () => {
  it('covers at least 60 cases over Python, TypeScript, Go, Rust, Java, C and plain text, with CRLF and tab documents', () => {
    assert.ok(GOLDEN_CASES.length >= 60, `${GOLDEN_CASES.length} cases`);
    for (const lang of ['python', 'typescript', 'go', 'rust', 'java', 'c', 'plaintext']) {
      assert.ok(
        GOLDEN_CASES.some((c) => c.language === lang),
        lang,
      );
    }
    assert.ok(GOLDEN_CASES.filter((c) => c.document.includes('\r\n')).length >= 3, 'CRLF documents');
    assert.ok(GOLDEN_CASES.filter((c) => /\n\t/.test(c.document)).length >= 3, 'tab-indented documents');
  });

  for (const c of GOLDEN_CASES) {
    it(c.name, () => {
      const result = runGolden(c.document, c.language, c.raw);
      const shown = result.candidate ? result.candidate.text : null;
      assert.equal(shown, c.expected, `steps: ${result.steps.map((s) => s.filter).join(', ')}`);
      if (c.expected !== null) assert.equal(result.candidate!.replaceSuffixChars, c.replace ?? 0, 'replace range');
    });
  }
});
