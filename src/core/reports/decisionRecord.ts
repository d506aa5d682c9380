import type { InfillError } from '../infillError';
import type { PostprocessStep } from '../postprocess/pipeline';
import type { EffectiveFimMode } from '../prompt/promptAssembler';
import type { CompletionResult } from '../protocol/completionClient';
import type { CompletionUsage } from '../protocol/completionTypes';
import type { ContextPieceSummary } from '../prompt/context/contextTypes';

/** Why nothing (or something) was shown, as a stable name the log and "Explain" can rely on. */
export type DecisionReasonCode =
  | 'shown'
  | 'disabled'
  | 'disabledLanguage'
  | 'excludedFile'
  | 'midLineGate'
  | 'cacheHit'
  | 'duplicateOfNextLine'
  | 'belowMinConfidence'
  | 'filtered'
  | 'noChoices'
  | 'error'
  | 'cancelled'
  | 'superseded';

export type SuggestionSource = 'network' | 'cache' | 'typedAhead' | 'speculative';

export type DecisionOutcome = 'shown' | 'empty' | 'error' | 'cancelled' | 'skipped';

/**
 * Why a request was or was not made, and what came of it: the log, "Explain Last Suggestion" and
 * the usage count read this. Ghost text, Complete at Cursor and Show Alternatives all record this
 * one shape, made by `newDecision` and completed by `withResponse`.
 */
// A type, not an interface: it stays assignable to the report's open record of further details.
export type DecisionRecord = {
  outcome: DecisionOutcome;
  reason: string;
  reasonCode: DecisionReasonCode;
  source: SuggestionSource;
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
  /** What each post-processing filter changed in the first choice (only the ones that changed it). */
  postprocessSteps?: PostprocessStep[];
  /** The text shown (first suggestion), when one was. */
  shownText?: string;
  fimMode?: EffectiveFimMode;
  fimWhy?: string;
  /** One line or a block, and why. */
  shape?: string;
  /** The stop rule that ended the stream early, if one did. */
  stopRule?: string;
  /** The client closed the stream before the server finished. */
  endedEarly?: boolean;
  /** Served without a request (cache, typed-ahead): no tokens were spent on this decision. */
  fromCache?: boolean;
  /** Milliseconds waited for typing to pause. */
  debounceMs?: number;
  /** Choices the server returned and how many were shown. */
  choices?: number;
  usage?: CompletionUsage;
  /** The command that made the request, when it was not ghost text. */
  command?: 'Complete at Cursor' | 'Show Alternatives';
  /** Every piece of context sent from outside the window: source, file, lines, tokens. */
  context?: ContextPieceSummary[];
};

/**
 * A decision as far as the caller knows it; sizes default to 0 (nothing sent), `source` to a
 * request. Callers add only what they know in `extra`.
 */
export function newDecision(
  model: string,
  outcome: DecisionOutcome,
  reasonCode: DecisionReasonCode,
  reason: string,
  extra: Partial<DecisionRecord> = {},
): DecisionRecord {
  return { outcome, reasonCode, reason, source: 'network', model, promptChars: 0, suffixChars: 0, ...extra };
}

/** What the server answered: status, timings, usage, and the first choice's raw text. */
export function withResponse(decision: DecisionRecord, result: CompletionResult): DecisionRecord {
  const first = result.choices[0];
  return {
    ...decision,
    status: result.status,
    headersMs: result.timing.headersMs,
    totalMs: result.timing.totalMs,
    ...(result.timing.firstTokenMs !== undefined ? { firstTokenMs: result.timing.firstTokenMs } : {}),
    endedEarly: result.endedEarly,
    ...(result.usage ? { usage: result.usage } : {}),
    choices: result.choices.length,
    ...(first ? { rawText: first.text, finishReason: first.finishReason } : {}),
  };
}
