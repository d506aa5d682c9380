/**
 * Wire types of the OpenAI-compatible `POST /completions` API, as the provider documents in
 * ../shared/reference describe them, plus the provider extensions they add (API2D's moderation,
 * ppinfra's top_k/min_p/repetition_penalty, llama.cpp's chat-shaped logprobs).
 */

export type PromptInput = string | string[] | number[] | number[][];

export interface CompletionRequestBody {
  model: string;
  prompt: PromptInput;
  suffix?: string;
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  top_k?: number;
  min_p?: number;
  n?: number;
  best_of?: number;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  logprobs?: number;
  echo?: boolean;
  stop?: string | string[];
  presence_penalty?: number;
  frequency_penalty?: number;
  repetition_penalty?: number;
  seed?: number;
  logit_bias?: Record<string, number>;
  user?: string;
  /** API2D extension. */
  moderation?: boolean;
  /** API2D extension. */
  moderation_stop?: boolean;
  /** Anything `infill.extraBody` adds; merged last. */
  [extra: string]: unknown;
}

/** The legacy completions logprobs shape. */
export interface LegacyLogprobs {
  tokens?: string[];
  token_logprobs?: (number | null)[];
  top_logprobs?: (Record<string, number> | null)[] | null;
  text_offset?: number[];
}

/** llama.cpp's server answers with the chat-completions shape instead. */
export interface ChatShapedLogprobs {
  content?: { token: string; logprob: number; top_logprobs?: { token: string; logprob: number }[] }[];
}

export type FinishReason = 'stop' | 'length' | 'content_filter' | string;

export interface CompletionChoice {
  text: string;
  index: number;
  logprobs?: LegacyLogprobs | ChatShapedLogprobs | null;
  finish_reason?: FinishReason | null;
}

export interface CompletionUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  total_tokens?: number;
  /** API2D: the points actually charged. */
  final_total?: number;
}

/** llama.cpp's `timings` (last chunk): what the prompt cost the server. */
export interface ServerTimings {
  /** Prompt tokens evaluated (not found in the server's cache): `prompt_n`. */
  promptTokens: number;
  /** Milliseconds spent on them: `prompt_ms`. */
  promptMs: number;
  /** Prompt tokens reused from the cache: `cache_n`. */
  cachedTokens?: number;
}

export interface CompletionResponse {
  id?: string;
  object?: string;
  created?: number;
  model?: string;
  system_fingerprint?: string;
  choices: CompletionChoice[];
  usage?: CompletionUsage | null;
  /** API2D moderation result, passed through untouched. */
  moderation?: unknown;
}

/** One token's log probability, normalized from either logprobs shape. */
export interface TokenLogprob {
  token: string;
  logprob: number;
  /** The most likely alternatives at this position, token -> logprob (when `logprobs` > 0 was asked). */
  topLogprobs?: Record<string, number>;
  /** Character offset of the token in the returned text (legacy shape only). */
  textOffset?: number;
}
