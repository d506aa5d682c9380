/**
 * Everything Infill reads from configuration, as plain data. The VS Code glue fills it from
 * `infill.*` settings; the engine and tests use it without VS Code.
 */
export type FimMode = 'auto' | 'suffix' | 'template' | 'off';

export interface InfillSettings {
  enable: boolean;
  provider: string;
  /** '' = the provider preset's; see resolveProvider in providerPresets.ts. */
  baseUrl: string;
  /** '' = the provider preset's. */
  endpointPath: string;
  model: string;
  maxTokens: number;
  temperature: number;
  stop: string[];
  fimMode: FimMode;
  /** Milliseconds to wait after typing, or 'auto' (adapts to typing speed and server latency; see
   * debouncePolicy.ts). */
  debounceMs: number | 'auto';
  /** Custom FIM template with {prefix} and {suffix}; '' = the built-in one for the model (fimTemplates.ts). */
  fimTemplate: string;
  /** Most lines a multi-line suggestion may have. */
  maxLines: number;
  /** 'auto' decides single line vs block from the cursor; 'never' always one line; 'always' a block wherever the
   * line allows. */
  multiline: 'auto' | 'never' | 'always';
  /** Prefetch the completion that follows a shown one; 'auto' = on for local servers, off for paid ones. */
  speculative: 'auto' | 'on' | 'off';
  /** Hide suggestions whose mean token probability is below this (0 = show all; needs logprobs). */
  minConfidence: number;
  /** `infill.context.openFiles`: add snippets from other open editors of the same language. */
  contextOpenFiles: boolean;
  /** `infill.context.definitions`: declarations of the symbols at the cursor, from the language server. */
  contextDefinitions: boolean;
  /** `infill.context.imports`: declarations of what the current file imports. */
  contextImports: boolean;
  /** `infill.context.recentEdits`: a few lines around the places last edited. */
  contextRecentEdits: boolean;
  /** `infill.context.recentViews`: a few lines around places recently jumped to. */
  contextRecentViews: boolean;
  /** `infill.context.clipboard`: never; only into requests to a local server; or to any server. */
  contextClipboard: 'off' | 'localServers' | 'allServers';
  /** `infill.context.deadlineMs`: longest wait for context once the request could go out. */
  contextDeadlineMs: number;
  /** `infill.context.shares`: share of `contextLength` per source (see contextBudget.ts). */
  contextShares: Partial<Record<'definitions' | 'imports' | 'recentEdits' | 'openFiles' | 'clipboard', number>>;
  /** Custom headers sent with every request (never logged with values). */
  headers: Record<string, string>;
  /** Merged last into every request body. */
  extraBody: Record<string, unknown>;
  /** Prompt + suffix budget, in tokens. */
  contextLength: number;
  /**
   * Longest a local server may spend, per keystroke, evaluating what follows the cursor in the prompt
   * (the suffix, in prefix-first FIM): the suffix is cut to fit its measured prompt speed. 0 = off.
   */
  suffixBudgetMs: number;
  /** Local servers: send the current file's prompt (one token) when an editor gains focus after a pause. */
  warmUp: boolean;
  /** Ollama: how long the model stays loaded while you work (its native `keep_alive`); '' = Ollama's own. */
  ollamaKeepAlive: string;
  /** Globs of files never sent anywhere. */
  exclude: string[];
  /** Per-language on/off (`*` = every other language); see languageGate.ts. */
  languages: Record<string, boolean>;
  /** Price per 1K tokens by model (`*` = any other), for the usage view; see usageCounter.ts. */
  pricing: Record<string, number | { prompt?: number; completion?: number }>;
  /** Choices `Infill: Show Alternatives` asks for. */
  alternatives: number;

  // Request parameters (see requestParameters.ts). `null` means unset: the parameter is not sent.
  topP: number | null;
  topK: number | null;
  minP: number | null;
  n: number | null;
  bestOf: number | null;
  presencePenalty: number | null;
  frequencyPenalty: number | null;
  repetitionPenalty: number | null;
  seed: number | null;
  logprobs: number | null;
  echo: boolean | null;
  logitBias: Record<string, number> | null;
  user: string | null;
  includeUsage: boolean | null;
  /** API2D only. */
  moderation: boolean | null;
  /** API2D only. */
  moderationStop: boolean | null;
  /** Stream the answer as server-sent events (off only for `best_of`, which cannot be streamed). */
  stream: boolean;

  // Transport (see httpTransport.ts, retryPolicy.ts, proxyConfig.ts).
  /** Longest wait for the response headers (first byte): the setting `infill.firstByteTimeoutMs`. */
  headersTimeoutMs: number;
  /** Longest silence between two chunks of a streamed answer (commands: Complete at Cursor, Show Alternatives). */
  idleTimeoutMs: number;
  /** The same for ghost text, shorter: a suggestion that late is of no use, and the stream still bills. */
  inlineIdleTimeoutMs: number;
  /** The whole exchange, headers to last byte. */
  totalTimeoutMs: number;
  /** Retries of a 429/503 answer (0 = none); each waits for `Retry-After`, at most `retryMaxWaitMs`. */
  retryMaxAttempts: number;
  retryMaxWaitMs: number;
  /** PEM file with extra CA certificates (company gateways), added to the system ones; '' = none. */
  caCertificateFile: string;
  /** Proxy URL: `infill.proxy`, else VS Code's `http.proxy`; '' = HTTPS_PROXY/NO_PROXY from the environment. */
  proxyUrl: string;
  /** Verify TLS certificates (VS Code's `http.proxyStrictSSL`, or `infill.proxyStrictSSL`). */
  proxyStrictSSL: boolean;
  /** Hosts reached without the proxy (VS Code's `http.noProxy`), on top of NO_PROXY. */
  noProxy: string[];
}

export const DEFAULT_SETTINGS: InfillSettings = {
  enable: true,
  provider: 'ollama',
  // Empty: the provider preset's (providerPresets.ts); a value set by the user overrides it.
  baseUrl: '',
  endpointPath: '',
  model: 'qwen2.5-coder:1.5b',
  maxTokens: 128,
  temperature: 0.2,
  stop: [],
  fimMode: 'auto',
  debounceMs: 'auto',
  fimTemplate: '',
  maxLines: 16,
  multiline: 'auto',
  speculative: 'auto',
  minConfidence: 0,
  contextOpenFiles: true,
  contextDefinitions: true,
  contextImports: true,
  contextRecentEdits: true,
  contextRecentViews: true,
  contextClipboard: 'off',
  contextDeadlineMs: 15,
  contextShares: {},
  headers: {},
  extraBody: {},
  contextLength: 2048,
  suffixBudgetMs: 100,
  warmUp: true,
  ollamaKeepAlive: '30m',
  exclude: ['**/.env*', '**/*.pem', '**/*.key', '**/id_rsa*', '**/secrets/**'],
  languages: { '*': true, plaintext: false, scminput: false },
  pricing: {},
  alternatives: 3,
  topP: null,
  topK: null,
  minP: null,
  n: null,
  bestOf: null,
  presencePenalty: null,
  frequencyPenalty: null,
  repetitionPenalty: null,
  seed: null,
  logprobs: null,
  echo: null,
  logitBias: null,
  user: null,
  includeUsage: null,
  moderation: null,
  moderationStop: null,
  stream: true,
  headersTimeoutMs: 30_000,
  idleTimeoutMs: 30_000,
  inlineIdleTimeoutMs: 10_000,
  totalTimeoutMs: 120_000,
  retryMaxAttempts: 1,
  retryMaxWaitMs: 2_000,
  caCertificateFile: '',
  proxyUrl: '',
  proxyStrictSSL: true,
  noProxy: [],
};
