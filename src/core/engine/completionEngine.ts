import { rankChoices, type ChoiceToRank } from '../postprocess/choiceRanking';
import { retryPolicyFromSettings } from '../transport/transportSettings';
import {
  requestCompletion,
  type ChoiceProgress,
  type CompletionResult,
  type EndpointConfig,
} from '../protocol/completionClient';
import type { HttpTransport } from '../transport/httpTransport';
import { toInfillError } from '../infillError';
import { trimLogprobsToText } from '../protocol/logprobs';
import { buildPostprocessContext } from '../postprocess/context';
import { postprocess, type PostprocessStep } from '../postprocess/pipeline';
import {
  newDecision,
  withResponse,
  type DecisionReasonCode,
  type DecisionRecord,
  type SuggestionSource,
} from '../reports/decisionRecord';
import type { PostprocessContext } from '../postprocess/types';
import { assemblePrompt, type AssembledPrompt } from '../prompt/promptAssembler';
import { resolveProvider, type ResolvedProvider } from '../providers/providerPresets';
import { buildCompletionRequest, type BuiltRequest } from '../protocol/requestBuilder';
import type { InfillSettings } from '../settings';
import type { StopPoint } from '../stream/completionPlan';
import { documentLexicalStates } from '../stream/lexicalState';
import { createStreamStopper } from '../stream/streamStopper';
import type { PromptWindow } from '../prompt/promptWindow';
import type { CursorPosition, TextDocumentLike } from '../prompt/textDocumentLike';
import type { PromptContext } from '../prompt/context/contextTypes';

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
  /** The editor's indentation (TextEditor.options): columns per tab, and whether Tab inserts spaces. */
  tabSize?: number;
  insertSpaces?: boolean;
}

/** A query whose window was read already: the gate, the cache, the prompt and post-processing share it. */
export interface WindowedQuery extends CompletionQuery {
  window?: PromptWindow;
}

export interface Suggestion {
  /** Text to insert at the cursor (in the document's line endings). */
  insertText: string;
  /** Characters after the cursor on its line that the suggestion replaces (so nothing shows twice). */
  replaceSuffixChars: number;
  /** Geometric mean of the token probabilities, when the server sent logprobs. */
  meanProbability?: number;
}

/** The decision record lives with the reports that read it; the engine knows it by this name. */
export type CompletionDecision = DecisionRecord;
export type { DecisionReasonCode, SuggestionSource };

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
export function prepareCompletion(query: WindowedQuery): PreparedCompletion {
  const { document, position, settings } = query;
  const provider = query.provider ?? resolveProvider(settings);
  const assembled = assemblePrompt({
    document,
    position,
    settings,
    provider,
    ...(query.openDocuments ? { openDocuments: query.openDocuments } : {}),
    ...(query.context ? { context: query.context } : {}),
    ...(query.window ? { window: query.window } : {}),
  });
  const built = buildCompletionRequest(settings, assembled.parts, provider);
  const windowStartState = documentLexicalStates.stateAtLine(document, assembled.window.startLine);
  const context = buildPostprocessContext(assembled.window, {
    languageId: document.languageId,
    maxLines: settings.maxLines,
    multiline: settings.multiline,
    ...(query.afterPartialAccept ? { afterPartialAccept: true } : {}),
    ...(query.tabSize !== undefined ? { tabSize: query.tabSize } : {}),
    ...(query.insertSpaces !== undefined ? { insertSpaces: query.insertSpaces } : {}),
    ...(windowStartState ? { windowStartState } : {}),
  });
  const endpoint: EndpointConfig = {
    ...query.endpoint,
    baseUrl: query.endpoint.baseUrl || provider.baseUrl,
    endpointPath: query.endpoint.endpointPath || provider.endpointPath,
  };
  const base = newDecision(settings.model, 'empty', 'filtered', '', {
    promptChars: assembled.parts.prompt.length,
    suffixChars: assembled.parts.suffix?.length ?? 0,
    fimMode: assembled.fim.mode,
    fimWhy: assembled.fim.why,
    shape: `${context.plan.shape} (${context.plan.why})`,
    ...(assembled.context.length > 0 ? { context: assembled.context } : {}),
  });
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
  const bound = runawayBoundChars(prepared.query.settings.maxTokens);
  let runaway: string | undefined;
  let result: CompletionResult;
  try {
    result = await requestCompletion(transport, prepared.endpoint, built.body, {
      ...(options.signal ? { signal: options.signal } : {}),
      clientStops: built.clientStops,
      expectedChoices: built.expectedChoices,
      retry: retryPolicyFromSettings(prepared.query.settings),
      idleTimeoutMs: inlineIdleTimeoutMs(prepared.query.settings),
      // A one-slot llama-server runs abandoned requests anyway: never more than one in its prompt phase.
      exclusivePromptPhase:
        prepared.provider.serverFields === 'llamacpp' && (prepared.provider.learned?.totalSlots ?? 1) <= 1,
      ...(built.echoedPrompt !== undefined ? { echoedPrompt: built.echoedPrompt } : {}),
      onProgress: (choice) => {
        options.onText?.(choice);
        if (choice.text.length > bound && !choice.finished) {
          runaway = `runaway stream: more text than max_tokens=${prepared.query.settings.maxTokens} can produce (${bound} characters); stopped reading`;
          return 'stop';
        }
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
  if (runaway !== undefined || result.choices.some((c) => c.text.length > bound)) {
    // What the server could not have meant to send is dropped before post-processing reads it.
    runaway ??= `runaway answer: more text than max_tokens=${prepared.query.settings.maxTokens} can produce`;
    result = { ...result, choices: result.choices.map((c) => ({ ...c, text: c.text.slice(0, bound) })) };
    return finishCompletion(prepared, result, { cut: bound, rule: runaway });
  }
  return finishCompletion(prepared, result, stopper.ended.get(0));
}

/** Ghost text waits less for a silent stream than the commands do (infill.inlineIdleTimeoutMs). */
function inlineIdleTimeoutMs(settings: InfillSettings): number {
  const ms = settings.inlineIdleTimeoutMs;
  return Number.isFinite(ms) && ms >= 100 ? Math.min(ms, settings.idleTimeoutMs) : 10_000;
}

/**
 * The most text `maxTokens` tokens can be: code tokenizers rarely exceed a dozen characters per
 * token (long runs of spaces), so 32 leaves room. A relay that ignores max_tokens and streams
 * megabytes is cut here instead of being read, stop-ruled and post-processed to the end.
 */
export const MAX_CHARS_PER_TOKEN = 32;

export function runawayBoundChars(maxTokens: number): number {
  const tokens = Number.isFinite(maxTokens) && maxTokens > 0 ? maxTokens : 4096;
  return Math.max(256, Math.ceil(tokens) * MAX_CHARS_PER_TOKEN);
}

function finishCompletion(
  prepared: PreparedCompletion,
  result: CompletionResult,
  stop: StopPoint | undefined,
): CompletionOutcome {
  const settings = prepared.query.settings;
  const decision: CompletionDecision = {
    ...withResponse(prepared.base, result),
    ...(stop ? { stopRule: stop.rule } : {}),
  };
  if (result.choices.length === 0)
    return {
      suggestions: [],
      decision: { ...decision, reasonCode: 'noChoices', reason: 'the server returned no choices' },
      result,
    };
  const { ranking, firstSteps, droppedBy } = rankResult(prepared.context, result, settings.minConfidence);
  if (firstSteps && firstSteps.length > 0) decision.postprocessSteps = firstSteps;
  const suggestions: Suggestion[] = ranking.kept.map((c) => ({
    insertText: c.text,
    replaceSuffixChars: c.replaceSuffixChars,
    ...(c.meanProbability !== undefined ? { meanProbability: c.meanProbability } : {}),
  }));
  if (suggestions.length > 0) {
    const shown = {
      outcome: 'shown',
      reasonCode: 'shown',
      reason: 'ok',
      shownText: suggestions[0]!.insertText,
    } as const;
    return { suggestions, decision: { ...decision, ...shown }, result };
  }
  const below = ranking.belowConfidence[0];
  const empty = whyEmpty(below ? (below.meanProbability ?? 0) : undefined, settings.minConfidence, droppedBy);
  return { suggestions: [], decision: { ...decision, ...empty }, result };
}

/** Why no choice was kept: below the confidence floor, a repeat of the next line, or another filter. */
function whyEmpty(
  bestBelowConfidence: number | undefined,
  minConfidence: number,
  droppedBy: string | undefined,
): Pick<CompletionDecision, 'reasonCode' | 'reason'> {
  if (bestBelowConfidence !== undefined) {
    const best = bestBelowConfidence.toFixed(2);
    return {
      reasonCode: 'belowMinConfidence',
      reason: `below infill.minConfidence: mean token probability ${best} < ${minConfidence}`,
    };
  }
  if (droppedBy === 'equal to the next line')
    return {
      reasonCode: 'duplicateOfNextLine',
      reason: 'filtered: the completion repeats the next line of the document',
    };
  return { reasonCode: 'filtered', reason: `filtered by post-processing (${droppedBy ?? 'empty'})` };
}

/** Every choice through post-processing, then ranked; what the filters did to the first one. */
function rankResult(
  context: PostprocessContext,
  result: CompletionResult,
  minConfidence: number,
): {
  ranking: ReturnType<typeof rankChoices>;
  firstSteps: PostprocessStep[] | undefined;
  droppedBy: string | undefined;
} {
  const first = result.choices[0];
  const candidates: ChoiceToRank[] = [];
  let firstSteps: PostprocessStep[] | undefined;
  let droppedBy: string | undefined;
  for (const choice of result.choices) {
    const pp = postprocess(choice.text, context);
    if (choice.index === first?.index) firstSteps = pp.steps;
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
  return { ranking: rankChoices(candidates, minConfidence), firstSteps, droppedBy };
}
