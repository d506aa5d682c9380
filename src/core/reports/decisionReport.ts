import type { CompletionUsage } from '../protocol/completionTypes';
import { redactText } from '../policy/redaction';
import { formatContextSection } from './contextReport';
import type { DecisionRecord } from './decisionRecord';

/**
 * The text `Infill: Explain Last Suggestion` shows: why a suggestion did or did not appear. What was
 * sent (sizes, model, parameters, never the key), what came back (raw text, finish reason, tokens,
 * timings), and what post-processing changed. Markdown, so it reads well in an editor tab.
 */

/** Translates a message with `{0}`-style placeholders; the glue passes `vscode.l10n.t`. */
export type Translate = (message: string, ...args: (string | number | boolean)[]) => string;

/**
 * A decision record (`DecisionRecord`, the one shape every path records) or any part of one: only
 * `outcome` and `reason` are required, so a decision from any stage of the pipeline can be
 * explained. Further plain fields are listed under "Other details".
 */
export type ReportableDecision = Pick<DecisionRecord, 'outcome' | 'reason'> &
  Partial<Omit<DecisionRecord, 'outcome' | 'reason'>> & { [extra: string]: unknown };

export interface DecisionContext {
  /** Workspace-relative file name. */
  documentName?: string;
  languageId?: string;
  /** When the decision was made. */
  at?: Date;
  /** Where the request went: origin and path, never credentials. */
  endpoint?: string;
  /** Request parameters as sent (max_tokens, temperature, stop, FIM mode...). */
  parameters?: Record<string, unknown>;
  /** The text shown after post-processing, when it differs from the raw text. */
  shownText?: string;
  usage?: CompletionUsage;
  /** Values to blank wherever they appear (the API key). */
  secrets?: readonly string[];
}

const KNOWN_FIELDS = new Set([
  'outcome',
  'reason',
  'model',
  'promptChars',
  'suffixChars',
  'rawText',
  'finishReason',
  'status',
  'headersMs',
  'firstTokenMs',
  'totalMs',
  'error',
  'shownText',
  'insertText',
  'usage',
  'parameters',
  'postprocessSteps',
  'context',
]);

/** Never shown, whatever their value. */
const SECRET_FIELD = /key|token(?!s\b)|secret|authorization|password|header/i;

const identity: Translate = (message, ...args) =>
  message.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : m));

export function formatDecisionReport(
  decision: ReportableDecision | undefined,
  context: DecisionContext = {},
  t: Translate = identity,
): string {
  const clean = (text: string) => redactText(text, context.secrets ?? []);
  const lines: string[] = [`# ${t('Infill: last suggestion')}`, ''];
  if (!decision) {
    lines.push(
      t(
        'No completion has been requested in this editor yet. Type, or run "Infill: Trigger Suggestion", then ask again.',
      ),
    );
    return lines.join('\n') + '\n';
  }
  const where = [context.documentName, context.languageId ? `(${context.languageId})` : undefined]
    .filter(Boolean)
    .join(' ');
  if (where) lines.push(`- ${t('File: {0}', where)}`);
  if (context.at) lines.push(`- ${t('Time: {0}', context.at.toISOString())}`);
  lines.push(`- ${t('Outcome: {0}', outcomeLabel(decision.outcome, t))}`);
  lines.push(`- ${t('Reason: {0}', clean(decision.reason || '-'))}`);
  lines.push('');
  const sections = { decision, context, t, clean };
  lines.push(...sentSection(sections), ...receivedSection(sections), ...postprocessSection(sections));
  lines.push(...extrasSection(sections));
  return lines.join('\n');
}

interface SectionInput {
  decision: ReportableDecision;
  context: DecisionContext;
  t: Translate;
  clean: (text: string) => string;
}

function sentSection({ decision, context, t, clean }: SectionInput): string[] {
  const lines = [`## ${t('Sent')}`, ''];
  if (decision.outcome === 'skipped' || (decision.promptChars === undefined && decision.model === undefined)) {
    lines.push(t('Nothing was sent: Infill decided before making a request.'));
  } else {
    if (context.endpoint) lines.push(`- ${t('Endpoint: {0}', clean(context.endpoint))}`);
    if (decision.model !== undefined) lines.push(`- ${t('Model: {0}', decision.model)}`);
    if (decision.promptChars !== undefined) lines.push(`- ${t('Prompt: {0} characters', decision.promptChars)}`);
    if (decision.suffixChars !== undefined) lines.push(`- ${t('Suffix: {0} characters', decision.suffixChars)}`);
    for (const [name, value] of Object.entries(context.parameters ?? {})) {
      if (value === undefined || SECRET_FIELD.test(name)) continue;
      lines.push(`- \`${name}\`: ${clean(inline(value))}`);
    }
    lines.push(`- ${t('The API key is never shown here.')}`);
  }
  lines.push('');
  if (decision.promptChars !== undefined && decision.outcome !== 'skipped')
    lines.push(...formatContextSection(decision.context, t));
  return lines;
}

function receivedSection({ decision, context, t, clean }: SectionInput): string[] {
  const lines = [`## ${t('Received')}`, ''];
  const received = decision.status !== undefined || decision.rawText !== undefined || decision.headersMs !== undefined;
  if (!received) {
    lines.push(t('No answer from the server.'), '');
    return lines;
  }
  if (decision.status !== undefined) lines.push(`- ${t('HTTP status: {0}', decision.status)}`);
  if (decision.finishReason !== undefined) lines.push(`- ${t('Finish reason: {0}', decision.finishReason ?? 'null')}`);
  if (decision.headersMs !== undefined)
    lines.push(`- ${t('Time to first byte: {0} ms', Math.round(decision.headersMs))}`);
  if (decision.firstTokenMs !== undefined)
    lines.push(`- ${t('Time to first token: {0} ms', Math.round(decision.firstTokenMs))}`);
  if (decision.totalMs !== undefined) lines.push(`- ${t('Total time: {0} ms', Math.round(decision.totalMs))}`);
  const usage = context.usage ?? (isUsage(decision.usage) ? decision.usage : undefined);
  if (usage && (usage.prompt_tokens !== undefined || usage.completion_tokens !== undefined)) {
    lines.push(
      `- ${t('Tokens: {0} prompt, {1} completion', usage.prompt_tokens ?? '?', usage.completion_tokens ?? '?')}`,
    );
  }
  if (decision.rawText !== undefined) lines.push('', t('Raw text:'), '', fenced(clean(decision.rawText)));
  lines.push('');
  return lines;
}

function postprocessSection({ decision, context, t, clean }: SectionInput): string[] {
  if (decision.rawText === undefined) return [];
  const shown =
    context.shownText ??
    (typeof decision.shownText === 'string'
      ? decision.shownText
      : typeof decision.insertText === 'string'
        ? decision.insertText
        : undefined);
  const lines = [`## ${t('Post-processing')}`, ''];
  lines.push(describeChange(decision.rawText, decision.outcome === 'shown' ? shown : '', t));
  const steps = Array.isArray(decision.postprocessSteps) ? decision.postprocessSteps.filter(isStep) : [];
  if (steps.length > 0) {
    lines.push('', t('Filters that changed it, in order:'), '');
    for (const step of steps) {
      lines.push(
        `- \`${step.filter}\`: ${step.result === null ? t('dropped the completion') : clean(inline(step.result))}`,
      );
    }
  }
  if (shown !== undefined && decision.outcome === 'shown' && shown !== decision.rawText)
    lines.push('', t('Shown text:'), '', fenced(clean(shown)));
  lines.push('');
  return lines;
}

function extrasSection({ decision, t, clean }: SectionInput): string[] {
  const extras = Object.entries(decision).filter(
    ([name, value]) => !KNOWN_FIELDS.has(name) && !SECRET_FIELD.test(name) && isPlain(value),
  );
  if (extras.length === 0) return [];
  return [
    `## ${t('Other details')}`,
    '',
    ...extras.map(([name, value]) => `- \`${name}\`: ${clean(inline(value))}`),
    '',
  ];
}

/**
 * One sentence on what post-processing did to the raw text. `shown` undefined means the engine did
 * not say; an empty string means nothing was shown.
 */
export function describeChange(raw: string, shown: string | undefined, t: Translate = identity): string {
  if (shown === undefined) return t('The engine did not record the shown text.');
  if (shown === raw) return t('Unchanged: the raw text was shown as it came.');
  if (shown.trim() === '') return t('Everything was dropped: nothing was shown.');
  if (raw.startsWith(shown)) {
    const dropped = raw.slice(shown.length);
    const droppedLines = dropped.split('\n').length - 1;
    return dropped.trim() === ''
      ? t('Trailing whitespace was removed ({0} characters).', dropped.length)
      : t('Cut short: the last {0} characters ({1} line breaks) were dropped.', dropped.length, droppedLines);
  }
  if (raw.trimEnd() === shown.trimEnd()) return t('Only whitespace changed.');
  return t('Rewritten: {0} characters came back, {1} were shown.', raw.length, shown.length);
}

export function outcomeLabel(outcome: string, t: Translate = identity): string {
  switch (outcome) {
    case 'shown':
      return t('shown');
    case 'empty':
      return t('nothing to show');
    case 'error':
      return t('error');
    case 'cancelled':
      return t('cancelled');
    case 'skipped':
      return t('not requested');
    default:
      return outcome;
  }
}

/** A fence longer than any backtick run in the text, so model output cannot break out of it. */
function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${text}\n${fence}`;
}

function inline(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return '`' + (text ?? String(value)).replace(/`/g, "'").replace(/\n/g, '\\n') + '`';
}

function isPlain(value: unknown): boolean {
  if (value === null) return true;
  if (['string', 'number', 'boolean'].includes(typeof value)) return true;
  return Array.isArray(value) && value.every((v) => ['string', 'number', 'boolean'].includes(typeof v));
}

function isStep(value: unknown): value is { filter: string; result: string | null } {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.filter === 'string' && (typeof v.result === 'string' || v.result === null);
}

function isUsage(value: unknown): value is CompletionUsage {
  return !!value && typeof value === 'object';
}
