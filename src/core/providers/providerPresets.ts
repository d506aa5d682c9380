import { InfillError } from '../infillError';
import type { InfillSettings } from '../settings';
import { isLocalNetworkUrl } from '../policy/hostLocality';

/**
 * What Infill knows about each OpenAI-compatible server it names: where it lives, whether it honours
 * `suffix`, how many `stop` strings it takes, and which parameters it must never be sent (llama.cpp
 * fails with HTTP 500 on a mere `suffix`, vLLM with 400). Facts come from the provider documents in
 * ../shared/reference and the servers' own API descriptions; a `custom` server is learned by the
 * capability probe instead.
 */

export const PROVIDER_IDS = [
  'openai',
  'deepseek',
  'siliconflow',
  'openrouter',
  'api2d',
  'ppinfra',
  'wushuangai',
  'gptacg',
  'ollama',
  'llamacpp',
  'vllm',
  'lmstudio',
  'custom',
] as const;

export type ProviderId = (typeof PROVIDER_IDS)[number];

/** Request parameters a preset may withhold, by their wire name. `model`, `prompt`, `max_tokens` and `stream` are
 * always sent. */
export const OPTIONAL_PARAMETERS = [
  'suffix',
  'temperature',
  'top_p',
  'top_k',
  'min_p',
  'n',
  'best_of',
  'stream_options',
  'logprobs',
  'echo',
  'stop',
  'presence_penalty',
  'frequency_penalty',
  'repetition_penalty',
  'seed',
  'logit_bias',
  'user',
  'moderation',
  'moderation_stop',
] as const;

export type OptionalParameter = (typeof OPTIONAL_PARAMETERS)[number];

/** Where a server says which fill-in-the-middle template (or which model) it really runs. */
export type TemplateSource = 'ollamaShow' | 'llamacppProps' | 'vllmModels';

export interface ProviderPreset {
  id: ProviderId;
  label: string;
  /** '' for `custom`: the user must set `infill.baseUrl`. */
  baseUrl: string;
  endpointPath: string;
  /** Whether the server fills in between `prompt` and `suffix`; 'unknown' until probed. */
  acceptsSuffix: boolean | 'unknown';
  /** Stop strings the server takes; more are enforced by the client on the stream. */
  maxStops: number;
  /** Every request costs money: never probed or prefetched without the user asking. */
  paid: boolean;
  /** Runs on the user's machine or network. */
  local: boolean;
  /** Parameters never sent to this server, whatever the settings say. */
  unsupportedParams: readonly OptionalParameter[];
  /** The server generates (or reserves) far too much without `max_tokens`. Infill always sends it; this records why. */
  requiresMaxTokens: boolean;
  /** The returned text can include the stop string (ppinfra). The client strips it for every provider. */
  stopInText: boolean;
  /** Parameters this server spells differently. */
  renamedParams: Partial<Record<OptionalParameter, string>>;
  templateSource?: TemplateSource;
  exampleModel: string;
  keyRequired: boolean;
  /** The server's own request fields Infill sends (llama.cpp: prompt cache, slot, time limit, indent). */
  serverFields?: 'llamacpp';
}

/** What the capability probe measured for one (baseUrl, model); see capabilityProbe.ts. */
export interface LearnedCapabilities {
  /** The server answered a request with `suffix` (false: it rejected it). */
  acceptsSuffix?: boolean;
  /** Most stop strings the server accepted. */
  maxStops?: number;
  /** Parameters the server failed on. */
  rejectedParams?: string[];
  /** The model's prompt template, when the server exposes it (Ollama's /api/show). */
  fimTemplate?: string;
  /** The model the server really runs (llama.cpp ignores `model`; /props tells). */
  serverModel?: string;
  /** llama.cpp's `total_slots` (`-np`), from /props. */
  totalSlots?: number;
  /** The server's context in tokens (llama.cpp `n_ctx`), from /props. */
  contextTokens?: number;
  /** Characters per token of the server's tokenizer, fitted from its prompt token counts (transport/promptSpeed). */
  charsPerToken?: number;
  /** Prompt tokens the server evaluates per second, learned from its answers (transport/promptSpeed). */
  promptTokensPerSecond?: number;
}

/**
 * A preset as it applies to this workspace: the same facts with the settings' URL, the withheld
 * parameters as a set (a probe adds the ones the server rejected), and what the probe learned.
 */
export interface ResolvedProvider extends Omit<ProviderPreset, 'unsupportedParams'> {
  /** The effective base URL: `infill.baseUrl` when set, else the preset's. */
  baseUrl: string;
  unsupportedParams: Set<string>;
  /** Present when a capability probe's answer was applied. */
  learned?: LearnedCapabilities;
}

/** Servers on the user's own machine take any number of stop strings; this is only a sanity bound. */
export const LOCAL_MAX_STOPS = 32;

/** OpenAI's legacy-completions parameters that relays forwarding to OpenAI do not know. */
const NOT_OPENAI: readonly OptionalParameter[] = [
  'top_k',
  'min_p',
  'repetition_penalty',
  'moderation',
  'moderation_stop',
];
const API2D_ONLY: readonly OptionalParameter[] = ['moderation', 'moderation_stop'];

function preset(
  p: Omit<ProviderPreset, 'stopInText' | 'renamedParams' | 'requiresMaxTokens'> & Partial<ProviderPreset>,
): ProviderPreset {
  return { stopInText: false, renamedParams: {}, requiresMaxTokens: false, ...p };
}

export const PROVIDER_PRESETS: Readonly<Record<ProviderId, ProviderPreset>> = {
  openai: preset({
    id: 'openai',
    label: 'OpenAI',
    baseUrl: 'https://api.openai.com/v1',
    endpointPath: '/completions',
    acceptsSuffix: true,
    maxStops: 4,
    paid: true,
    local: false,
    unsupportedParams: NOT_OPENAI,
    exampleModel: 'gpt-3.5-turbo-instruct',
    keyRequired: true,
  }),
  deepseek: preset({
    id: 'deepseek',
    label: 'DeepSeek (FIM beta)',
    baseUrl: 'https://api.deepseek.com/beta',
    endpointPath: '/completions',
    acceptsSuffix: true,
    // The FIM endpoint documents up to 16 stop strings and neither n, best_of, seed, logit_bias nor user.
    maxStops: 16,
    paid: true,
    local: false,
    unsupportedParams: ['n', 'best_of', 'seed', 'logit_bias', 'user', ...NOT_OPENAI],
    exampleModel: 'deepseek-chat',
    keyRequired: true,
  }),
  siliconflow: preset({
    id: 'siliconflow',
    label: 'SiliconFlow',
    baseUrl: 'https://api.siliconflow.cn/v1',
    endpointPath: '/completions',
    acceptsSuffix: true,
    maxStops: 4,
    paid: true,
    local: false,
    unsupportedParams: ['best_of', 'echo', 'logit_bias', 'user', ...API2D_ONLY],
    exampleModel: 'Qwen/Qwen2.5-Coder-7B-Instruct',
    keyRequired: true,
  }),
  openrouter: preset({
    id: 'openrouter',
    label: 'OpenRouter',
    baseUrl: 'https://openrouter.ai/api/v1',
    endpointPath: '/completions',
    // Its completions endpoint takes a prompt only: the engine folds the suffix into a FIM template.
    acceptsSuffix: false,
    maxStops: 4,
    paid: true,
    local: false,
    unsupportedParams: ['suffix', 'n', 'best_of', 'echo', 'user', ...API2D_ONLY],
    exampleModel: 'qwen/qwen-2.5-coder-32b-instruct',
    keyRequired: true,
  }),
  api2d: preset({
    id: 'api2d',
    label: 'API2D',
    baseUrl: 'https://openai.api2d.net/v1',
    endpointPath: '/completions',
    acceptsSuffix: true,
    maxStops: 4,
    paid: true,
    local: false,
    // API2D adds moderation/moderation_stop; without max_tokens it freezes the model's maximum in points.
    unsupportedParams: ['top_k', 'min_p', 'repetition_penalty'],
    requiresMaxTokens: true,
    exampleModel: 'gpt-3.5-turbo-instruct',
    keyRequired: true,
  }),
  ppinfra: preset({
    id: 'ppinfra',
    label: 'ppinfra',
    baseUrl: 'https://api.ppinfra.com/v3/openai',
    endpointPath: '/completions',
    // Its document lists no suffix, echo or user; it adds top_k, min_p, repetition_penalty.
    acceptsSuffix: false,
    maxStops: 4,
    paid: true,
    local: false,
    unsupportedParams: ['suffix', 'echo', 'user', ...API2D_ONLY],
    stopInText: true,
    exampleModel: 'qwen/qwen2.5-coder-7b-instruct',
    keyRequired: true,
  }),
  wushuangai: preset({
    id: 'wushuangai',
    label: 'wushuangai',
    baseUrl: 'https://www.wushuangai.com/v1',
    endpointPath: '/completions',
    acceptsSuffix: true,
    maxStops: 4,
    paid: true,
    local: false,
    unsupportedParams: NOT_OPENAI,
    exampleModel: 'gpt-3.5-turbo-instruct',
    keyRequired: true,
  }),
  gptacg: preset({
    id: 'gptacg',
    label: 'gptacg',
    baseUrl: 'https://api.gptacg.top/v1',
    endpointPath: '/completions',
    acceptsSuffix: true,
    maxStops: 4,
    paid: true,
    local: false,
    unsupportedParams: NOT_OPENAI,
    exampleModel: 'gpt-3.5-turbo-instruct',
    keyRequired: true,
  }),
  ollama: preset({
    id: 'ollama',
    label: 'Ollama',
    baseUrl: 'http://127.0.0.1:11434/v1',
    endpointPath: '/completions',
    acceptsSuffix: true,
    maxStops: LOCAL_MAX_STOPS,
    paid: false,
    local: true,
    // The fields Ollama's OpenAI layer reads; it drops the rest without a word, so sending them only misleads.
    unsupportedParams: [
      'n',
      'best_of',
      'echo',
      'logit_bias',
      'user',
      'logprobs',
      'top_k',
      'min_p',
      'repetition_penalty',
      ...API2D_ONLY,
    ],
    templateSource: 'ollamaShow',
    exampleModel: 'qwen2.5-coder:1.5b',
    keyRequired: false,
  }),
  llamacpp: preset({
    id: 'llamacpp',
    label: 'llama.cpp llama-server',
    baseUrl: 'http://127.0.0.1:8080/v1',
    endpointPath: '/completions',
    // HTTP 500 when the body merely contains suffix, echo, best_of or n (even null).
    acceptsSuffix: false,
    maxStops: LOCAL_MAX_STOPS,
    paid: false,
    local: true,
    unsupportedParams: ['suffix', 'echo', 'best_of', 'n', 'user', ...API2D_ONLY],
    renamedParams: { repetition_penalty: 'repeat_penalty' },
    // No default limit: without max_tokens it generates until the context is full.
    requiresMaxTokens: true,
    templateSource: 'llamacppProps',
    exampleModel: 'any (the loaded model)',
    keyRequired: false,
    serverFields: 'llamacpp',
  }),
  vllm: preset({
    id: 'vllm',
    label: 'vLLM',
    baseUrl: 'http://127.0.0.1:8000/v1',
    endpointPath: '/completions',
    // 400 "suffix is not currently supported".
    acceptsSuffix: false,
    maxStops: LOCAL_MAX_STOPS,
    paid: false,
    local: true,
    unsupportedParams: ['suffix', 'best_of', ...API2D_ONLY],
    // Its /v1/models gives each model's max_model_len: the context the prompt must fit.
    templateSource: 'vllmModels',
    exampleModel: 'Qwen/Qwen2.5-Coder-7B',
    keyRequired: false,
  }),
  lmstudio: preset({
    id: 'lmstudio',
    label: 'LM Studio',
    baseUrl: 'http://127.0.0.1:1234/v1',
    endpointPath: '/completions',
    acceptsSuffix: false,
    maxStops: LOCAL_MAX_STOPS,
    paid: false,
    local: true,
    unsupportedParams: ['suffix', 'n', 'best_of', 'echo', 'user', 'logprobs', 'min_p', ...API2D_ONLY],
    renamedParams: { repetition_penalty: 'repeat_penalty' },
    exampleModel: "the loaded model's id",
    keyRequired: false,
  }),
  custom: preset({
    id: 'custom',
    label: 'Custom',
    baseUrl: '',
    endpointPath: '/completions',
    acceptsSuffix: 'unknown',
    // OpenAI's limit until the probe measures more.
    maxStops: 4,
    paid: false,
    local: false,
    unsupportedParams: [],
    exampleModel: 'the server’s model name',
    keyRequired: false,
  }),
};

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value);
}

/**
 * The preset named by `infill.provider`, with `infill.baseUrl`/`infill.endpointPath` overriding its
 * values when set (empty means "the preset's"), and a probe's findings applied on top.
 * Throws a `config` InfillError naming the setting when the provider is unknown.
 */
export function resolveProvider(
  settings: Pick<InfillSettings, 'provider' | 'baseUrl' | 'endpointPath'>,
  learned?: LearnedCapabilities,
): ResolvedProvider {
  const id = settings.provider.trim().toLowerCase();
  if (!isProviderId(id)) {
    throw new InfillError(
      'config',
      `infill.provider "${settings.provider}" is not a known preset; use one of ${PROVIDER_IDS.join(', ')}`,
    );
  }
  const p = PROVIDER_PRESETS[id];
  const baseUrl = settings.baseUrl.trim() || p.baseUrl;
  const endpointPath = settings.endpointPath.trim() || p.endpointPath;
  const local = p.local || isLocalNetworkUrl(baseUrl);
  const unsupported = new Set<string>(p.unsupportedParams);
  if (p.acceptsSuffix === false) unsupported.add('suffix');
  const resolved: ResolvedProvider = {
    ...p,
    baseUrl,
    endpointPath,
    // A custom server is free when it is the user's own; anything else might bill per request.
    paid: id === 'custom' ? !local : p.paid,
    local,
    unsupportedParams: unsupported,
    renamedParams: { ...p.renamedParams },
  };
  return learned ? applyLearnedCapabilities(resolved, learned) : resolved;
}

/**
 * Measured facts narrow a preset, never widen it: a parameter the server rejected is withheld, but
 * a server documented as failing on `suffix` does not get it because one probe went through.
 */
export function applyLearnedCapabilities(provider: ResolvedProvider, learned: LearnedCapabilities): ResolvedProvider {
  const unsupportedParams = new Set(provider.unsupportedParams);
  for (const p of learned.rejectedParams ?? []) unsupportedParams.add(p);
  let acceptsSuffix = provider.acceptsSuffix;
  if (learned.acceptsSuffix === false) acceptsSuffix = false;
  else if (learned.acceptsSuffix === true && acceptsSuffix === 'unknown') acceptsSuffix = true;
  if (acceptsSuffix === false) unsupportedParams.add('suffix');
  let maxStops = provider.maxStops;
  if (learned.maxStops !== undefined) {
    maxStops = provider.id === 'custom' ? learned.maxStops : Math.min(maxStops, learned.maxStops);
  }
  return { ...provider, acceptsSuffix, maxStops, unsupportedParams, learned };
}
