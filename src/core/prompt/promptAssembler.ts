import { customTemplate, templateForModel, type FimTemplate } from '../providers/fimTemplates';
import type { RepoLayoutId } from '../providers/repoLayouts';
import { chooseContext, contextReserveTokens } from './context/contextAssembly';
import type { BudgetSettings } from './context/contextBudget';
import { layOutPrompt } from './context/contextLayout';
import type { ContextPieceSummary, PromptContext } from './context/contextTypes';
import type { PromptParts } from './promptParts';
import { readPromptWindow, type PromptWindow } from './promptWindow';
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

export type AssemblerSettings = Pick<InfillSettings, 'fimMode' | 'fimTemplate' | 'model'> & BudgetSettings;
export type AssemblerProvider = Pick<ResolvedProvider, 'acceptsSuffix'> & { learned?: { serverModel?: string } };

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
export function windowBudgetTokens(input: Pick<AssembleInput, 'document' | 'settings' | 'openDocuments' | 'context'>): {
  window: number;
  context: number;
} {
  const context = contextReserveTokens(input);
  return { window: input.settings.contextLength - context, context };
}

/** Only the window, as `assemblePrompt` would read it: cheap enough for every keystroke (gate, cache). */
export function readWindowFor(
  input: Pick<AssembleInput, 'document' | 'position' | 'settings' | 'openDocuments' | 'context'>,
): PromptWindow {
  return readPromptWindow(input.document, input.position, windowBudgetTokens(input).window);
}

/** Window + FIM mode + template -> the prompt parts the request builder sends. */
export function assemblePrompt(input: AssembleInput): AssembledPrompt {
  const { document, position, settings } = input;
  const fim = chooseFimMode(settings, input.provider);
  const { window: windowTokens } = windowBudgetTokens(input);
  const window = readPromptWindow(document, position, windowTokens);
  const chosen = chooseContext(input, window);
  const laidOut = layOutPrompt({
    fim,
    model: input.provider.learned?.serverModel ?? settings.model,
    pieces: chosen.pieces,
    window,
    languageId: document.languageId,
    ...(input.context?.repoName !== undefined ? { repoName: input.context.repoName } : {}),
    ...(input.context?.currentPath !== undefined ? { currentPath: input.context.currentPath } : {}),
  });
  return {
    parts: laidOut.parts,
    fim,
    window,
    contextChars: laidOut.contextChars,
    context: chosen.summaries,
    contextBlock: laidOut.block,
    layout: laidOut.layout,
  };
}
