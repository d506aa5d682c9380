import { rankChoices, type ChoiceToRank } from '../postprocess/choiceRanking';
import { retryPolicyFromSettings } from '../transport/transportSettings';
import {
  requestCompletion,
  type ChoiceProgress,
  type CompletionResult,
  type EndpointConfig,
} from '../protocol/completionClient';
import type { HttpTransport } from '../transport/httpTransport';
import { InfillError, toInfillError } from '../infillError';
import { trimLogprobsToText } from '../protocol/logprobs';
import { buildPostprocessContext } from '../postprocess/context';
import { postprocess, type PostprocessStep } from '../postprocess/pipeline';
import type { PostprocessContext } from '../postprocess/types';
import { assemblePrompt, type AssembledPrompt, type EffectiveFimMode } from '../prompt/promptAssembler';
import { resolveProvider, type ResolvedProvider } from '../providers/providerPresets';
import { buildCompletionRequest, type BuiltRequest } from '../protocol/requestBuilder';
import type { InfillSettings } from '../settings';
import { createStreamStopper, type StopPoint } from '../stream/streamStopRules';
import type { CursorPosition, TextDocumentLike } from '../prompt/textDocumentLike';
import type { ContextPieceSummary, PromptContext } from '../prompt/context/contextTypes';

export interface CompletionQuery {
  document: TextDocumentLike;
  position: CursorPosition;
  settings: InfillSettings;
  endpoint: EndpointConfig;
  signal?: AbortSignal;
  /** Other open editors of the same language, already checked against `infill.exclude`. */
  openDocuments?: readonly TextDocumentLike[];
  /** Context gathered by the glue (definitions, recent edits...); see prompt/context/. */
  context?: PromptContext;
  /** The user just accepted part of a suggestion: complete that line only. */
  afterPartialAccept?: boolean;
  /** The provider, when the caller resolved it already (with a probe's findings applied). */
  provider?: ResolvedProvider;
}

export interface Suggestion {
  /** Text to insert at the cursor (in the document's line endings). */
  insertText: string;
  /** Characters after the cursor on its line that the suggestion replaces (so nothing shows twice). */
  replaceSuffixChars: number;
  /** Geometric mean of the token probabilities, when the server sent logprobs. */
  meanProbability?: number;
}

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

/** Why a request was or was not made, and what came of it: the log and "Explain" read this. */
export interface CompletionDecision {
  outcome: 'shown' | 'empty' | 'error' | 'cancelled' | 'skipped';
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
  usage?: CompletionResult['usage'];
  /** Every piece of context sent: source, file, lines, tokens. */
  context?: ContextPieceSummary[];
}

export interface CompletionOutcome {
  suggestions: Suggestion[];
  decision: CompletionDecision;
  result?: CompletionResult;
}

/** Everything decided before the request goes out: the controller keys its cache and reuse on it. */
export interface PreparedCompletion {
  query: CompletionQuery;
  provider: ResolvedProvider;
  assembled: AssembledPrompt;
  built: BuiltRequest;
  context: PostprocessContext;
  endpoint: EndpointConfig;
  base: CompletionDecision;
}

/** Resolves the provider, reads the window, builds the prompt and the request. Throws InfillError('config') on
 * bad settings. */
export function prepareCompletion(query: CompletionQuery): PreparedCompletion {
  const { document, position, settings } = query;
  const provider = query.provider ?? resolveProvider(settings);
  const assembled = assemblePrompt({
    document,
    position,
    settings,
    provider,
    ...(query.openDocuments ? { openDocuments: query.openDocuments } : {}),
    ...(query.context ? { context: query.context } : {}),
  });
  const built = buildCompletionRequest(settings, assembled.parts, provider);
  const context = buildPostprocessContext(assembled.window, {
    languageId: document.languageId,
    maxLines: settings.maxLines,
    multiline: settings.multiline,
    ...(query.afterPartialAccept ? { afterPartialAccept: true } : {}),
  });
  const endpoint: EndpointConfig = {
    ...query.endpoint,
    baseUrl: query.endpoint.baseUrl || provider.baseUrl,
    endpointPath: query.endpoint.endpointPath || provider.endpointPath,
  };
  const base: CompletionDecision = {
    outcome: 'empty',
    reason: '',
    reasonCode: 'filtered',
    source: 'network',
    model: settings.model,
    promptChars: assembled.parts.prompt.length,
    suffixChars: assembled.parts.suffix?.length ?? 0,
    fimMode: assembled.fim.mode,
    fimWhy: assembled.fim.why,
    shape: `${context.plan.shape} (${context.plan.why})`,
    ...(assembled.context.length > 0 ? { context: assembled.context } : {}),
  };
  return { query, provider, assembled, built, context, endpoint, base };
}

export interface ExecuteOptions {
  signal?: AbortSignal;
  /** Each streamed update of a choice's raw text (the controller matches typed-ahead against it). */
  onText?: (choice: ChoiceProgress) => void;
}

/** The HTTP exchange with the stop rules plugged into the stream, then post-processing and ranking. Never throws. */
export async function executeCompletion(
  transport: HttpTransport,
  prepared: PreparedCompletion,
  options: ExecuteOptions = {},
): Promise<CompletionOutcome> {
  const { built, context, base } = prepared;
  const stopper = createStreamStopper(context.plan, built.expectedChoices);
  let result: CompletionResult;
  try {
    result = await requestCompletion(transport, prepared.endpoint, built.body, {
      ...(options.signal ? { signal: options.signal } : {}),
      clientStops: built.clientStops,
      expectedChoices: built.expectedChoices,
      retry: retryPolicyFromSettings(prepared.query.settings),
      ...(built.echoedPrompt !== undefined ? { echoedPrompt: built.echoedPrompt } : {}),
      onProgress: (choice) => {
        options.onText?.(choice);
        return stopper.onProgress(choice);
      },
    });
  } catch (err) {
    const error = toInfillError(err);
    if (error.kind === 'aborted')
      return {
        suggestions: [],
        decision: {
          ...base,
          outcome: 'cancelled',
          reasonCode: 'cancelled',
          reason: 'cancelled: the request was superseded',
          error,
        },
      };
    return {
      suggestions: [],
      decision: { ...base, outcome: 'error', reasonCode: 'error', reason: error.message, error },
    };
  }
  return finishCompletion(prepared, result, stopper.ended.get(0));
}

function finishCompletion(
  prepared: PreparedCompletion,
  result: CompletionResult,
  stop: StopPoint | undefined,
): CompletionOutcome {
  const { context, base } = prepared;
  const settings = prepared.query.settings;
  const first = result.choices[0];
  const decision: CompletionDecision = {
    ...base,
    status: result.status,
    headersMs: result.timing.headersMs,
    totalMs: result.timing.totalMs,
    ...(result.timing.firstTokenMs !== undefined ? { firstTokenMs: result.timing.firstTokenMs } : {}),
    endedEarly: result.endedEarly,
    ...(stop ? { stopRule: stop.rule } : {}),
    ...(result.usage ? { usage: result.usage } : {}),
    choices: result.choices.length,
  };
  if (!first)
    return {
      suggestions: [],
      decision: { ...decision, reasonCode: 'noChoices', reason: 'the server returned no choices' },
      result,
    };
  decision.rawText = first.text;
  decision.finishReason = first.finishReason;

  const candidates: ChoiceToRank[] = [];
  let firstSteps: PostprocessStep[] | undefined;
  let droppedBy: string | undefined;
  for (const choice of result.choices) {
    const pp = postprocess(choice.text, context);
    if (choice.index === first.index) firstSteps = pp.steps;
    if (!pp.candidate) {
      droppedBy ??= pp.droppedBy;
      continue;
    }
    const shownLength = pp.candidate.text.replace(/\r\n/g, '\n').length;
    candidates.push({
      index: choice.index,
      text: pp.candidate.text,
      replaceSuffixChars: pp.candidate.replaceSuffixChars,
      ...(choice.logprobs ? { logprobs: trimLogprobsToText(choice.logprobs, shownLength) } : {}),
    });
  }
  if (firstSteps && firstSteps.length > 0) decision.postprocessSteps = firstSteps;
  const ranking = rankChoices(candidates, settings.minConfidence);
  const suggestions: Suggestion[] = ranking.kept.map((c) => ({
    insertText: c.text,
    replaceSuffixChars: c.replaceSuffixChars,
    ...(c.meanProbability !== undefined ? { meanProbability: c.meanProbability } : {}),
  }));
  if (suggestions.length > 0) {
    return {
      suggestions,
      decision: {
        ...decision,
        outcome: 'shown',
        reasonCode: 'shown',
        reason: 'ok',
        shownText: suggestions[0]!.insertText,
      },
      result,
    };
  }
  if (ranking.belowConfidence.length > 0) {
    const best = ranking.belowConfidence[0]!.meanProbability ?? 0;
    return {
      suggestions: [],
      decision: {
        ...decision,
        reasonCode: 'belowMinConfidence',
        reason: `below infill.minConfidence: mean token probability ${best.toFixed(2)} < ${settings.minConfidence}`,
      },
      result,
    };
  }
  if (droppedBy === 'equal to the next line') {
    return {
      suggestions: [],
      decision: {
        ...decision,
        reasonCode: 'duplicateOfNextLine',
        reason: 'filtered: the completion repeats the next line of the document',
      },
      result,
    };
  }
  return {
    suggestions: [],
    decision: { ...decision, reasonCode: 'filtered', reason: `filtered by post-processing (${droppedBy ?? 'empty'})` },
    result,
  };
}

/** A decision made before any request (a gate, a setting, the cache). */
export function decisionWithoutRequest(
  settings: Pick<InfillSettings, 'model'>,
  outcome: CompletionDecision['outcome'],
  reasonCode: DecisionReasonCode,
  reason: string,
): CompletionDecision {
  return { outcome, reasonCode, reason, source: 'network', model: settings.model, promptChars: 0, suffixChars: 0 };
}

/**
 * Turns a cursor position into suggestions with one request: windowing, FIM prompt, request
 * building, the streamed HTTP exchange with stop rules, and post-processing. No debounce, cache or
 * reuse: that is CompletionController's job. Never throws: every failure becomes a decision.
 */
export class CompletionEngine {
  constructor(readonly transport: HttpTransport) {}

  async complete(query: CompletionQuery): Promise<CompletionOutcome> {
    let prepared: PreparedCompletion;
    try {
      prepared = prepareCompletion(query);
    } catch (err) {
      const error = err instanceof InfillError ? err : toInfillError(err, 'config');
      return {
        suggestions: [],
        decision: { ...decisionWithoutRequest(query.settings, 'error', 'error', error.message), error },
      };
    }
    return executeCompletion(this.transport, prepared, query.signal ? { signal: query.signal } : {});
  }
}

/**
 * When the completion ends with what already follows the cursor on its line (a closing bracket or
 * quote), replace that text instead of inserting a second copy. Kept for callers of the first
 * version; the post-processing pipeline (postprocess/suffixOverlap.ts) is the full rule.
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
