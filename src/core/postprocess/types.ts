import type { CompletionPlan } from '../stream/completionPlan';

/** What one completion looks like on its way through the filters (LF line endings until the last one). */
export interface Candidate {
  /** Text inserted at the cursor. */
  text: string;
  /** Characters after the cursor on its line that the text replaces (so nothing shows twice). */
  replaceSuffixChars: number;
}

/** The cursor's surroundings every filter may read. */
export interface PostprocessContext {
  languageId: string;
  /** Text before the cursor (the prompt window, LF or CRLF as in the document). */
  prefix: string;
  /** Text after the cursor (the prompt window). */
  suffix: string;
  linePrefix: string;
  lineSuffix: string;
  /** The document's line ending: the shown text gets it. */
  eol: '\n' | '\r\n';
  /** The document's indentation unit: a tab or some spaces. */
  indentUnit: string;
  /** The editor's tab width and `insertSpaces` for this document. */
  tabSize: number;
  insertSpaces: boolean;
  /** Where the stop rules end a completion here (single line or block, scope). */
  plan: CompletionPlan;
}

/**
 * One rule: a small pure function that returns the completion changed, unchanged, or null to drop
 * it. `name` is what "Explain last suggestion" lists when the rule changed something.
 */
export interface PostprocessFilter {
  name: string;
  apply(candidate: Candidate, context: PostprocessContext): Candidate | null;
}
