import { detectIndentUnit } from '../stream/codeShape';
import type { PromptWindow } from '../prompt/promptWindow';
import { planCompletion, type StopRuleContext } from '../stream/completionPlan';
import type { PostprocessContext } from './types';

export interface ContextOptions {
  languageId: string;
  maxLines: number;
  multiline: StopRuleContext['multiline'];
  afterPartialAccept?: boolean;
  tabSize?: number;
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
    indentUnit: detectIndentUnit(sample),
    tabSize,
    plan,
  };
}
