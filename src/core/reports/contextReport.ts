import type { ContextPieceSummary } from '../prompt/context/contextTypes';
import type { Translate } from './decisionReport';

function sourceLabel(source: string, t: Translate): string {
  switch (source) {
    case 'definition':
      return t('definition');
    case 'import':
      return t('import');
    case 'recentEdit':
      return t('recent edit');
    case 'recentView':
      return t('recently viewed');
    case 'clipboard':
      return t('clipboard');
    case 'openFile':
      return t('similar lines from an open file');
    default:
      return source;
  }
}

function isSummary(value: unknown): value is ContextPieceSummary {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.source === 'string' && typeof v.path === 'string' && typeof v.tokens === 'number';
}

/**
 * The "Context sent" section of Explain Last Suggestion: every piece of context from outside the
 * window that went into the prompt, with its source, file, lines and estimated tokens.
 */
export function formatContextSection(context: unknown, t: Translate): string[] {
  const pieces = Array.isArray(context) ? context.filter(isSummary) : [];
  const lines = [`## ${t('Context sent')}`, ''];
  if (pieces.length === 0) {
    lines.push(t('No context from outside the window around the cursor was sent.'), '');
    return lines;
  }
  for (const p of pieces) {
    lines.push(
      `- ${t('{0}: {1}, lines {2}, about {3} tokens', sourceLabel(p.source, t), `\`${p.path}\``, p.lines, p.tokens)}`,
    );
  }
  lines.push('');
  return lines;
}
