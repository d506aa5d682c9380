import { endpointFor, type ChoiceProgress, type EndpointConfig } from '../protocol/completionClient';
import type { StreamVerdict } from '../protocol/choiceAssembler';
import { buildPostprocessContext } from '../postprocess/context';
import { postprocess } from '../postprocess/pipeline';
import type { PostprocessContext } from '../postprocess/types';
import { createStreamStopper } from '../stream/streamStopper';
import { runawayBoundChars, type Suggestion } from './completionEngine';
import { assemblePrompt, type AssembledPrompt } from '../prompt/promptAssembler';
import { resolveProvider, type LearnedCapabilities, type ResolvedProvider } from '../providers/providerPresets';
import { buildCompletionRequest, type BuiltRequest } from '../protocol/requestBuilder';
import type { InfillSettings } from '../settings';
import type { CursorPosition, TextDocumentLike } from '../prompt/textDocumentLike';
import type { PromptContext } from '../prompt/context/contextTypes';

/**
 * The request an explicit command sends (Complete at Cursor, Show Alternatives): the same provider
 * resolution, prompt assembly and request building as ghost text, with the choice count the
 * command needs instead of the inline `n`.
 */
export interface CommandRequestInput {
  document: TextDocumentLike;
  position: CursorPosition;
  settings: InfillSettings;
  /** Distinct choices wanted: 1 for Complete at Cursor, `infill.alternatives` for Show Alternatives. */
  choices: number;
  learned?: LearnedCapabilities;
  openDocuments?: readonly TextDocumentLike[];
  /** Context gathered by the glue, as for ghost text. */
  context?: PromptContext;
  /** The editor's indentation (TextEditor.options). */
  tabSize?: number;
  insertSpaces?: boolean;
}

export interface CommandRequest {
  provider: ResolvedProvider;
  assembled: AssembledPrompt;
  built: BuiltRequest;
  /** Where to send it, without the key (the caller adds it once the origin is cleared). */
  endpoint: EndpointConfig;
  /**
   * Requests to make: 1 when the server returns all choices for one `n`, else one per choice
   * (llama.cpp, Ollama and DeepSeek's FIM endpoint take no `n`).
   */
  requests: number;
  /** What post-processing reads, from the same window as the prompt: the commands show what ghost text would. */
  context: PostprocessContext;
}

/** Several choices at a near-zero temperature come back identical; alternatives sample at least this warm. */
export const ALTERNATIVES_MIN_TEMPERATURE = 0.7;

/** Throws a `config` InfillError (unknown provider, parameter out of range) naming the setting to fix. */
export function prepareCommandRequest(input: CommandRequestInput): CommandRequest {
  const choices = Math.max(1, Math.floor(input.choices));
  const provider = resolveProvider(input.settings, input.learned);
  const takesN = !provider.unsupportedParams.has('n');
  const settings: InfillSettings = {
    ...input.settings,
    // best_of cannot be streamed and must exceed n; a command wants exactly the choices it shows.
    bestOf: null,
    // The commands insert or list the answer as it streams: an echoed prompt would be inserted too.
    echo: null,
    n: choices > 1 && takesN ? choices : null,
    temperature:
      choices > 1 ? Math.max(input.settings.temperature, ALTERNATIVES_MIN_TEMPERATURE) : input.settings.temperature,
  };
  const assembled = assemblePrompt({
    document: input.document,
    position: input.position,
    settings,
    provider,
    ...(input.openDocuments ? { openDocuments: input.openDocuments } : {}),
    ...(input.context ? { context: input.context } : {}),
  });
  const built = buildCompletionRequest(settings, assembled.parts, provider, 'command');
  const context = buildPostprocessContext(assembled.window, {
    languageId: input.document.languageId,
    maxLines: settings.maxLines,
    multiline: settings.multiline,
    ...(input.tabSize !== undefined ? { tabSize: input.tabSize } : {}),
    ...(input.insertSpaces !== undefined ? { insertSpaces: input.insertSpaces } : {}),
  });
  return {
    provider,
    assembled,
    built,
    endpoint: endpointFor(provider, settings),
    requests: choices > 1 && !takesN ? choices : 1,
    context,
  };
}

/**
 * The raw answers of a command through the ghost-text post-processing (which cuts to the plan
 * too), then each distinct text once, in the order they came. Empty when everything was filtered.
 */
export function commandSuggestions(request: CommandRequest, rawTexts: readonly string[]): Suggestion[] {
  const seen = new Set<string>();
  const out: Suggestion[] = [];
  for (const raw of rawTexts) {
    const candidate = postprocess(raw, request.context).candidate;
    if (!candidate) continue;
    const text = candidate.text.replace(/\s+$/, '');
    const key = `${candidate.replaceSuffixChars}\u0000${text}`;
    if (!text.trim() || seen.has(key)) continue;
    seen.add(key);
    out.push({ insertText: text, replaceSuffixChars: candidate.replaceSuffixChars });
  }
  return out;
}

/**
 * Ends a command's stream where ghost text would end it (the stop rules of the plan), or at the
 * runaway bound of max_tokens.
 */
export function createCommandStopper(
  request: CommandRequest,
  maxTokens: number,
): { onProgress(choice: ChoiceProgress): StreamVerdict; readonly runaway: string | undefined } {
  const stopper = createStreamStopper(request.context.plan, request.built.expectedChoices);
  const bound = runawayBoundChars(maxTokens);
  let runaway: string | undefined;
  return {
    get runaway() {
      return runaway;
    },
    onProgress: (choice) => {
      if (choice.text.length <= bound) return stopper.onProgress(choice);
      runaway = `runaway stream: more text than max_tokens=${maxTokens} can produce (${bound} characters); stopped reading`;
      return 'stop';
    },
  };
}
