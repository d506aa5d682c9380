import { customTemplate, suffixFirstVariant, templateForModel, type FimTemplate } from '../providers/fimTemplates';
import type { RepoLayoutId } from '../providers/repoLayouts';
import { chooseContext, contextReserveTokens } from './context/contextAssembly';
import type { BudgetSettings } from './context/contextBudget';
import { layOutPrompt } from './context/contextLayout';
import type { ContextPieceSummary, PromptContext } from './context/contextTypes';
import type { PromptParts } from './promptParts';
import {
  CHARS_PER_TOKEN,
  promptSuffixTokens,
  readPromptWindow,
  suffixForPrompt,
  type PromptWindow,
} from './promptWindow';
import type { ResolvedProvider } from '../providers/providerPresets';
import type { FimMode, InfillSettings } from '../settings';
import type { CursorPosition, TextDocumentLike } from './textDocumentLike';

/** The mode actually used for one request, after `auto` was decided. */
export type EffectiveFimMode = 'suffix' | 'template' | 'off';

export interface FimChoice {
  mode: EffectiveFimMode;
  template?: FimTemplate;
  /** Why this mode: shown in "Explain last suggestion". */
  why: string;
}

export type AssemblerSettings = Pick<InfillSettings, 'fimMode' | 'fimTemplate' | 'model'> &
  BudgetSettings &
  Partial<Pick<InfillSettings, 'suffixBudgetMs' | 'maxTokens'>>;
/** `promptTokensPerSecond`: the server's prompt speed, when each keystroke's prompt cost counts (local servers). */
export type AssemblerProvider = Pick<ResolvedProvider, 'acceptsSuffix'> & {
  learned?: { serverModel?: string; promptTokensPerSecond?: number; contextTokens?: number; charsPerToken?: number };
};

/**
 * Decides how the text after the cursor reaches the model. A server that fills in from `suffix`
 * gets it there; one that ignores or rejects `suffix` gets the model's own FIM tokens in `prompt`;
 * without either, the prefix alone.
 */
export function chooseFimMode(
  settings: Pick<AssemblerSettings, 'fimMode' | 'fimTemplate' | 'model'>,
  provider: AssemblerProvider,
): FimChoice {
  const mode: FimMode = settings.fimMode;
  if (mode === 'off') return { mode: 'off', why: 'infill.fimMode is off: prefix only' };
  if (mode === 'suffix') return { mode: 'suffix', why: 'infill.fimMode is suffix' };
  let template: FimTemplate | undefined;
  let custom = false;
  if (settings.fimTemplate.trim() !== '') {
    const parsed = customTemplate(settings.fimTemplate);
    if ('error' in parsed) {
      // A broken custom template must not silently send garbage; fall through to the built-ins.
      template = undefined;
    } else {
      template = parsed;
      custom = true;
    }
  }
  // llama.cpp ignores `model` and runs what it loaded; the probe reports the real name.
  const modelName = provider.learned?.serverModel ?? settings.model;
  template ??= templateForModel(modelName);
  const fallback = (because: string): FimChoice =>
    provider.acceptsSuffix === false
      ? { mode: 'off', why: `${because}; the server does not take suffix, so prefix only` }
      : { mode: 'suffix', why: `${because}; sending suffix` };
  if (mode === 'template') {
    if (template)
      return {
        mode: 'template',
        template,
        why: custom ? 'infill.fimTemplate' : `infill.fimMode is template: ${template.label} tokens`,
      };
    return fallback(`no FIM template is known for model "${modelName}" (set infill.fimTemplate)`);
  }
  // auto
  if (custom && template) return { mode: 'template', template, why: 'infill.fimTemplate is set' };
  if (provider.acceptsSuffix === true) return { mode: 'suffix', why: 'the provider fills in from suffix' };
  if (template) {
    const because =
      provider.acceptsSuffix === false ? 'the provider ignores or rejects suffix' : 'the provider may ignore suffix';
    return { mode: 'template', template, why: `${because}: ${template.label} tokens in the prompt` };
  }
  return fallback(`no FIM template is known for model "${modelName}"`);
}

export interface AssembleInput {
  document: TextDocumentLike;
  position: CursorPosition;
  settings: AssemblerSettings;
  provider: AssemblerProvider;
  /** Other open editors (same language, not excluded): candidates for `infill.context.openFiles`. */
  openDocuments?: readonly TextDocumentLike[];
  /** Context the glue gathered (definitions, recent edits...); present, even empty, whenever it gathers. */
  context?: PromptContext;
  /** The window this keystroke already read (readWindowFor), so the document is read once per call. */
  window?: PromptWindow;
}

export interface AssembledPrompt {
  parts: PromptParts;
  fim: FimChoice;
  window: PromptWindow;
  /** Characters of other-file context folded into the prompt. */
  contextChars: number;
  /** Every piece of context sent, for Explain Last Suggestion. */
  context: ContextPieceSummary[];
  /** The context text as it appears in the prompt ('' without context). */
  contextBlock: string;
  layout: RepoLayoutId;
}

/**
 * The token budget of the prompt window. The open-files share is reserved whenever other files are
 * offered, matched or not, so the window (and the cache key built from it) does not jump when a
 * snippet starts or stops matching.
 */
export function windowBudgetTokens(
  input: Pick<AssembleInput, 'document' | 'settings' | 'openDocuments' | 'context'> & { provider?: AssemblerProvider },
): {
  window: number;
  context: number;
} {
  const total = Math.min(input.settings.contextLength, serverPromptLimit(input.settings, input.provider));
  const context = contextReserveTokens(input, total);
  return { window: total - context, context };
}

/** Tokens of the FIM markers and the template around the window, kept free besides the answer. */
const TEMPLATE_TOKENS = 16;
/** Characters per token assumed for code until the server's counts are known: few, so the context is never exceeded. */
const CONSERVATIVE_CHARS_PER_TOKEN = 3;

/**
 * The largest window (in the window's estimated tokens) that, with the answer's `max_tokens`, fits
 * the server's context (llama.cpp n_ctx, Ollama num_ctx) in the server's own tokens; a server
 * would otherwise cut the prompt (Ollama without a word) or refuse it. Unlimited when unknown.
 */
export function serverPromptLimit(settings: AssemblerSettings, provider?: AssemblerProvider): number {
  const contextTokens = provider?.learned?.contextTokens;
  if (contextTokens === undefined) return Infinity;
  const room = contextTokens - (settings.maxTokens ?? 0) - TEMPLATE_TOKENS;
  const charsPerToken = provider?.learned?.charsPerToken ?? CONSERVATIVE_CHARS_PER_TOKEN;
  return Math.max(64, Math.floor((room * Math.min(charsPerToken, CHARS_PER_TOKEN * 2)) / CHARS_PER_TOKEN));
}

/** Only the window, as `assemblePrompt` would read it: cheap enough for every keystroke (gate, cache). */
export function readWindowFor(
  input: Pick<AssembleInput, 'document' | 'position' | 'settings' | 'openDocuments' | 'context'> & {
    provider?: AssemblerProvider;
  },
): PromptWindow {
  return readPromptWindow(input.document, input.position, windowBudgetTokens(input).window);
}

/**
 * Where the server's prompt speed is known (a local server), what follows the cursor's position in
 * the prompt is evaluated again on every keystroke. A model documented with a suffix-first form gets
 * it (nothing after the cursor); otherwise the suffix is cut to what `infill.suffixBudgetMs` affords.
 * The prefix and the window start do not depend on the speed, so the cached part stays the same.
 */
function latencyLayout(
  fim: FimChoice,
  settings: AssemblerSettings,
  provider: AssemblerProvider,
): { template?: FimTemplate; suffixTokens?: number } {
  const template = fim.template;
  const speed = provider.learned?.promptTokensPerSecond;
  if (speed === undefined) return template ? { template } : {};
  const spm = template ? suffixFirstVariant(template) : undefined;
  // Suffix first: the prompt ends where the user types, so the whole suffix stays cached.
  if (spm) return { template: spm };
  const suffixTokens = promptSuffixTokens(settings.suffixBudgetMs ?? 0, speed);
  return { ...(template ? { template } : {}), ...(suffixTokens !== undefined ? { suffixTokens } : {}) };
}

/** Window + FIM mode + template -> the prompt parts the request builder sends. */
export function assemblePrompt(input: AssembleInput): AssembledPrompt {
  const { document, position, settings } = input;
  const fim = chooseFimMode(settings, input.provider);
  const budget = windowBudgetTokens(input);
  const window = input.window ?? readPromptWindow(document, position, budget.window);
  const chosen = chooseContext(input, window, budget.window + budget.context);
  const layout = latencyLayout(fim, settings, input.provider);
  const laidOut = layOutPrompt({
    fim,
    ...(layout.template ? { template: layout.template } : {}),
    suffix: suffixForPrompt(window, layout.suffixTokens, input.provider.learned?.charsPerToken),
    model: input.provider.learned?.serverModel ?? settings.model,
    pieces: chosen.pieces,
    window,
    languageId: document.languageId,
    ...(input.context?.repoName !== undefined ? { repoName: input.context.repoName } : {}),
    ...(input.context?.currentPath !== undefined ? { currentPath: input.context.currentPath } : {}),
  });
  const parts = laidOut.parts;
  parts.documentKey = document.fileName;
  if (/^[ \t]*$/.test(window.linePrefix) && window.linePrefix.length > 0)
    parts.statementIndent = window.linePrefix.length;
  return {
    parts,
    fim,
    window,
    contextChars: laidOut.contextChars,
    context: chosen.summaries,
    contextBlock: laidOut.block,
    layout: laidOut.layout,
  };
}
