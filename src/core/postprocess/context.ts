import { detectIndentUnit } from '../stream/codeShape';
import type { PromptWindow } from '../prompt/promptWindow';
import { planCompletion, type StopRuleContext } from '../stream/completionPlan';
import type { PostprocessContext } from './types';

export interface ContextOptions {
  languageId: string;
  maxLines: number;
  multiline: StopRuleContext['multiline'];
  afterPartialAccept?: boolean;
  /** The editor's columns per tab (TextEditor.options.tabSize); 4 when unknown. */
  tabSize?: number;
  /** The editor's TextEditor.options.insertSpaces; the indentation unit is read from the text when unknown. */
  insertSpaces?: boolean;
}

/** Everything the filters read, from the prompt window (the same one the request was built from). */
export function buildPostprocessContext(
  window: Pick<PromptWindow, 'prefix' | 'suffix' | 'linePrefix' | 'lineSuffix' | 'eol'>,
  options: ContextOptions,
): PostprocessContext {
  const tabSize = options.tabSize ?? 4;
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
  });
  return {
    languageId: options.languageId,
    prefix: window.prefix,
    suffix: window.suffix,
    linePrefix: window.linePrefix,
    lineSuffix: window.lineSuffix,
    eol: window.eol,
    indentUnit: indentUnitFor(detectIndentUnit(sample), options.insertSpaces, tabSize),
    tabSize,
    ...(options.insertSpaces !== undefined ? { insertSpaces: options.insertSpaces } : {}),
    plan,
  };
}

/** The editor's choice wins over what the window's text suggests: tabs, or spaces (the text's width, else tabSize). */
function indentUnitFor(detected: string, insertSpaces: boolean | undefined, tabSize: number): string {
  if (insertSpaces === undefined) return detected;
  if (!insertSpaces) return '\t';
  return detected.startsWith(' ') ? detected : ' '.repeat(tabSize);
}
