import type { StopRuleContext } from '../../../src/core/stream/completionPlan';

/** A stop-rule context from a prefix and suffix (TypeScript, 16 lines, multiline auto unless `extra` says). */
export function ctx(prefix: string, suffix = '', extra: Partial<StopRuleContext> = {}): StopRuleContext {
  const nl = prefix.lastIndexOf('\n');
  const firstBreak = suffix.indexOf('\n');
  return {
    languageId: 'typescript',
    prefix,
    suffix,
    linePrefix: prefix.slice(nl + 1),
    lineSuffix: firstBreak === -1 ? suffix : suffix.slice(0, firstBreak),
    maxLines: 16,
    multiline: 'auto',
    ...extra,
  };
}
