import { requestCompletion, type CompletionResult, type EndpointConfig } from './completionClient';
import type { HttpTransport } from './httpTransport';
import { InfillError, toInfillError } from './infillError';
import { readPromptWindow } from './promptWindow';
import { buildCompletionRequest } from './requestBuilder';
import type { InfillSettings } from './settings';
import type { CursorPosition, TextDocumentLike } from './textDocumentLike';

export interface CompletionQuery {
  document: TextDocumentLike;
  position: CursorPosition;
  settings: InfillSettings;
  endpoint: EndpointConfig;
  signal?: AbortSignal;
}

export interface Suggestion {
  /** Text to insert at the cursor. */
  insertText: string;
  /** Characters after the cursor on its line that the suggestion replaces (so nothing shows twice). */
  replaceSuffixChars: number;
}

/** Why a request was or was not made, and what came of it: the log and "Explain" read this. */
export interface CompletionDecision {
  outcome: 'shown' | 'empty' | 'error' | 'cancelled';
  reason: string;
  model: string;
  promptChars: number;
  suffixChars: number;
  rawText?: string;
  finishReason?: string | null;
  status?: number;
  headersMs?: number;
  firstTokenMs?: number;
  totalMs?: number;
  error?: InfillError;
}

export interface CompletionOutcome {
  suggestions: Suggestion[];
  decision: CompletionDecision;
  result?: CompletionResult;
}

/**
 * Turns a cursor position into suggestions: windowing, request building, the HTTP exchange and the
 * clean-up of the answer. Never throws: every failure becomes a decision with a reason.
 */
export class CompletionEngine {
  constructor(private readonly transport: HttpTransport) {}

  async complete(query: CompletionQuery): Promise<CompletionOutcome> {
    const { document, position, settings } = query;
    const window = readPromptWindow(document, position, settings.contextLength);
    const built = buildCompletionRequest(settings, window);
    const base: CompletionDecision = {
      outcome: 'empty',
      reason: '',
      model: settings.model,
      promptChars: window.prefix.length,
      suffixChars: built.body.suffix?.length ?? 0,
    };
    let result: CompletionResult;
    try {
      result = await requestCompletion(this.transport, query.endpoint, built.body, {
        ...(query.signal ? { signal: query.signal } : {}),
        clientStops: built.clientStops,
      });
    } catch (err) {
      const error = toInfillError(err);
      if (error.kind === 'aborted') return { suggestions: [], decision: { ...base, outcome: 'cancelled', reason: 'cancelled by the editor', error } };
      return { suggestions: [], decision: { ...base, outcome: 'error', reason: error.message, error } };
    }
    const first = result.choices[0];
    const timing = {
      status: result.status,
      headersMs: result.timing.headersMs,
      totalMs: result.timing.totalMs,
      ...(result.timing.firstTokenMs !== undefined ? { firstTokenMs: result.timing.firstTokenMs } : {}),
    };
    if (!first) return { suggestions: [], decision: { ...base, ...timing, reason: 'the server returned no choices' }, result };
    const text = trimSuffixOverlap(first.text.replace(/\s+$/, ''), window.lineSuffix);
    const decision: CompletionDecision = { ...base, ...timing, rawText: first.text, finishReason: first.finishReason, outcome: 'shown', reason: 'ok' };
    if (text.insertText.trim().length === 0) return { suggestions: [], decision: { ...decision, outcome: 'empty', reason: 'the completion was empty' }, result };
    return { suggestions: [text], decision, result };
  }
}

/**
 * When the completion ends with what already follows the cursor on its line (a closing bracket or
 * quote), replace that text instead of inserting a second copy.
 */
export function trimSuffixOverlap(text: string, lineSuffix: string): Suggestion {
  const suffix = lineSuffix.replace(/\s+$/, '');
  if (!suffix || text.includes('\n')) return { insertText: text, replaceSuffixChars: 0 };
  for (let len = Math.min(suffix.length, text.length); len > 0; len--) {
    if (text.endsWith(suffix.slice(0, len))) {
      return { insertText: text, replaceSuffixChars: len };
    }
  }
  return { insertText: text, replaceSuffixChars: 0 };
}
