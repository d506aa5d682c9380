import { detectIndentUnit, type ScanState } from '../stream/codeShape';
import type { PromptWindow } from '../prompt/promptWindow';
import { planCompletion, type StopRuleContext } from '../stream/completionPlan';
import type { PostprocessContext } from './types';

export interface ContextOptions {
  languageId: string;
  maxLines: number;
  multiline: StopRuleContext['multiline'];
  afterPartialAccept?: boolean;
  /** The editor's tab width for this document (default 4). */
  tabSize?: number;
  /** The editor's `insertSpaces` for this document (default true): false means the editor indents with tabs. */
  insertSpaces?: boolean;
  /** Strings and comments open at the window's first line (stream/lexicalState.ts); outside all when absent. */
  windowStartState?: ScanState;
}

/** Everything the filters read, from the prompt window (the same one the request was built from). */
export function buildPostprocessContext(
  window: Pick<PromptWindow, 'prefix' | 'suffix' | 'linePrefix' | 'lineSuffix' | 'eol'>,
  options: ContextOptions,
): PostprocessContext {
  const tabSize = options.tabSize ?? 4;
  const insertSpaces = options.insertSpaces ?? true;
  const sample = (window.prefix + window.suffix).split(/\r?\n/).slice(-400);
  const plan = planCompletion({
    languageId: options.languageId,
    prefix: window.prefix,
    suffix: window.suffix,
    linePrefix: window.linePrefix,
    lineSuffix: window.lineSuffix,
    maxLines: options.maxLines,
    multiline: options.multiline,
    ...(options.afterPartialAccept ? { afterPartialAccept: true } : {}),
    tabSize,
    ...(options.windowStartState ? { windowStartState: options.windowStartState } : {}),
  });
  return {
    languageId: options.languageId,
    prefix: window.prefix,
    suffix: window.suffix,
    linePrefix: window.linePrefix,
    lineSuffix: window.lineSuffix,
    eol: window.eol,
    // An editor that says how it indents wins over the window's text (see indentUnitFor).
    indentUnit: indentUnitFor(detectIndentUnit(sample), options.insertSpaces, tabSize),
    tabSize,
    insertSpaces,
    plan,
  };
}

/** The editor's choice wins over what the window's text suggests: tabs, or spaces (the text's width, else tabSize). */
function indentUnitFor(detected: string, insertSpaces: boolean | undefined, tabSize: number): string {
  if (insertSpaces === undefined) return detected;
  if (!insertSpaces) return '\t';
  return detected.startsWith(' ') ? detected : ' '.repeat(tabSize);
}
