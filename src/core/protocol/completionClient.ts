import { ChoiceAssembler, type AssembledResponse, type AssemblerOptions } from './choiceAssembler';
import type { CompletionRequestBody } from './completionTypes';
import { errorFromResponse } from './httpErrorMapper';
import type { HttpResponse, HttpTransport } from '../transport/httpTransport';
import { redactText } from '../policy/redaction';
import { InfillError } from '../infillError';
import type { ResolvedProvider } from '../providers/providerPresets';
import { DEFAULT_RETRY_POLICY, retryDelayMs, waitUnlessAborted, type RetryPolicy } from '../transport/retryPolicy';
import type { InfillSettings } from '../settings';
import { SseDecoder } from './sseDecoder';
import { CHARS_PER_TOKEN } from '../prompt/promptWindow';

export type { ChoiceProgress, StreamVerdict } from './choiceAssembler';

export interface EndpointConfig {
  baseUrl: string;
  endpointPath: string;
  apiKey?: string;
  headers?: Record<string, string>;
}

export interface CompletionCallOptions extends AssemblerOptions {
  signal?: AbortSignal;
  /** Retries of 429/503; `false` for none. Defaults to one retry within two seconds. */
  retry?: RetryPolicy | false;
  /** Longest silence mid-answer for this request, instead of the transport's. */
  idleTimeoutMs?: number;
  /** Queue behind another request to the same server still in its prompt phase (one-slot llama.cpp). */
  exclusivePromptPhase?: boolean;
}

export interface CompletionTiming {
  /** Call to response headers (of the last attempt, retries included). */
  headersMs: number;
  /** Call to the first non-empty text. */
  firstTokenMs?: number;
  totalMs: number;
}

/** The assembled answer (choices, usage, whether the client ended it) and how the exchange went. */
export interface CompletionResult extends AssembledResponse {
  status: number;
  timing: CompletionTiming;
  /** Attempts made: 1, or more after 429/503 retries. */
  attempts: number;
}

const MAX_ERROR_BODY_BYTES = 64 * 1024;

export function completionUrl(endpoint: Pick<EndpointConfig, 'baseUrl' | 'endpointPath'>): URL {
  const base = endpoint.baseUrl.trim().replace(/\/+$/, '');
  if (!base)
    throw new InfillError(
      'config',
      'infill.baseUrl is empty: set it to the server’s API address (the custom provider has no default)',
    );
  const rawPath = endpoint.endpointPath.trim() || '/completions';
  const path = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
  let url: URL;
  try {
    url = new URL(base + path);
  } catch {
    throw new InfillError('config', `infill.baseUrl is not a valid URL: "${endpoint.baseUrl}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InfillError('config', `infill.baseUrl must start with http:// or https:// (got "${url.protocol}")`);
  }
  return url;
}

/** The endpoint for the resolved provider: its base URL and path (settings already applied), the key and custom
 * headers. */
export function endpointFor(
  provider: Pick<ResolvedProvider, 'baseUrl' | 'endpointPath'>,
  settings: Pick<InfillSettings, 'headers'>,
  apiKey?: string,
): EndpointConfig {
  return {
    baseUrl: provider.baseUrl,
    endpointPath: provider.endpointPath,
    headers: settings.headers,
    ...(apiKey ? { apiKey } : {}),
  };
}

export function requestHeaders(endpoint: EndpointConfig): Record<string, string> {
  const headers: Record<string, string> = { ...(endpoint.headers ?? {}) };
  if (endpoint.apiKey) headers.authorization = `Bearer ${endpoint.apiKey}`;
  return headers;
}

/** One `POST /completions`, streamed or not, normalized across providers. */
export async function requestCompletion(
  transport: HttpTransport,
  endpoint: EndpointConfig,
  body: CompletionRequestBody,
  options: CompletionCallOptions = {},
): Promise<CompletionResult> {
  try {
    return await exchangeCompletion(transport, endpoint, body, options);
  } catch (err) {
    throw withoutKey(err, endpoint.apiKey);
  }
}

/**
 * Error messages carry the server's own words, and a gateway may echo the request's
 * `Authorization` header in them: the key is cut out before the message reaches any log,
 * notification or report.
 */
export function withoutKey(err: unknown, apiKey: string | undefined): unknown {
  if (!(err instanceof InfillError)) return err;
  const clean = redactText(err.message, apiKey ? [apiKey] : []);
  if (clean === err.message) return err;
  return new InfillError(err.kind, clean, {
    ...(err.status !== undefined ? { status: err.status } : {}),
    ...(err.retryAfterSeconds !== undefined ? { retryAfterSeconds: err.retryAfterSeconds } : {}),
    ...(err.code !== undefined ? { code: err.code } : {}),
  });
}

async function exchangeCompletion(
  transport: HttpTransport,
  endpoint: EndpointConfig,
  body: CompletionRequestBody,
  options: CompletionCallOptions,
): Promise<CompletionResult> {
  const started = performance.now();
  const url = completionUrl(endpoint);
  const payload = JSON.stringify(body);
  const headers = requestHeaders(endpoint);
  const policy =
    options.retry === false ? { ...DEFAULT_RETRY_POLICY, maxRetries: 0 } : (options.retry ?? DEFAULT_RETRY_POLICY);
  let response: HttpResponse;
  let attempts = 0;
  for (;;) {
    attempts++;
    response = await transport.post(url, payload, headers, options.signal, {
      ...(options.idleTimeoutMs !== undefined ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
      ...(options.exclusivePromptPhase ? { exclusivePromptPhase: true } : {}),
    });
    if (response.status >= 200 && response.status < 300) break;
    const text = await readText(response, MAX_ERROR_BODY_BYTES);
    if (options.signal?.aborted) throw new InfillError('aborted', 'Request cancelled');
    const error = errorFromResponse(response.status, response.headers, text);
    const delay = retryDelayMs(error, attempts - 1, policy);
    if (delay === undefined) throw error;
    await waitUnlessAborted(delay, options.signal);
  }

  const assembler = new ChoiceAssembler(options);
  let firstTokenMs: number | undefined;
  assembler.onFirstText = () => {
    firstTokenMs = performance.now() - started;
  };
  const contentType = response.headers['content-type'] ?? '';
  if (contentType.includes('text/event-stream')) {
    await readEventStream(response, assembler);
  } else {
    const text = await readText(response, transport.currentOptions.maxResponseBytes);
    if (/^\s*(data|event|:)/.test(text) && !contentType.includes('json')) {
      // Some relays stream SSE under text/plain; decode it as the events it is.
      const decoder = new SseDecoder();
      const events = decoder.push(new TextEncoder().encode(text)).concat(decoder.end());
      for (const event of events) if (assembler.onEvent(event) !== 'more') break;
    } else {
      assembler.onJsonBody(text, contentType);
    }
  }
  const assembled = assembler.result();
  notePromptCost(transport, url, body, payload.length, assembled, firstTokenMs);
  return toResult(assembled, response.status, attempts, {
    headersMs: response.headersMs,
    totalMs: performance.now() - started,
    ...(firstTokenMs !== undefined ? { firstTokenMs } : {}),
  });
}

/** Feeds the transport's prompt-speed meter: the server's own timings, else prompt size against first token. */
function notePromptCost(
  transport: HttpTransport,
  url: URL,
  body: CompletionRequestBody,
  bodyChars: number,
  assembled: AssembledResponse,
  firstTokenMs: number | undefined,
): void {
  const t = assembled.serverTimings;
  const promptChars =
    (typeof body.prompt === 'string' ? body.prompt.length : 0) +
    (typeof body.suffix === 'string' ? body.suffix.length : 0);
  const counted = t ? t.promptTokens + (t.cachedTokens ?? 0) : assembled.usage?.prompt_tokens;
  if (counted !== undefined && promptChars > 0) transport.promptSpeed.noteTokens(url.origin, promptChars, counted);
  if (t) {
    transport.promptSpeed.note(url.origin, { evaluatedTokens: t.promptTokens, promptMs: t.promptMs });
    return;
  }
  const promptTokens = assembled.usage?.prompt_tokens ?? Math.round(bodyChars / CHARS_PER_TOKEN);
  if (firstTokenMs !== undefined) transport.promptSpeed.note(url.origin, { promptTokens, firstTokenMs });
}

function toResult(
  assembled: AssembledResponse,
  status: number,
  attempts: number,
  timing: CompletionTiming,
): CompletionResult {
  return { status, ...assembled, timing, attempts };
}

async function readEventStream(response: HttpResponse, assembler: ChoiceAssembler): Promise<void> {
  const decoder = new SseDecoder();
  let verdict: 'more' | 'done' | 'stop' = 'more';
  try {
    for await (const chunk of response.body) {
      for (const event of decoder.push(chunk)) {
        verdict = assembler.onEvent(event);
        if (verdict !== 'more') break;
      }
      if (verdict !== 'more') {
        // [DONE]: the server finished, so keep the connection; a stop of ours: close it now.
        if (verdict === 'done') await response.release();
        else response.cancel();
        break;
      }
    }
    if (verdict === 'more') {
      for (const event of decoder.end()) if (assembler.onEvent(event) !== 'more') break;
    }
  } finally {
    response.cancel();
  }
}

/** Reads a whole body, up to `maxBytes`; `truncated` says the body was longer and was cut off. */
export async function readBody(
  response: HttpResponse,
  maxBytes: number,
): Promise<{ text: string; truncated: boolean }> {
  const parts: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  try {
    for await (const chunk of response.body) {
      parts.push(chunk);
      size += chunk.byteLength;
      if (size > maxBytes) {
        truncated = true;
        break;
      }
    }
  } finally {
    response.cancel();
  }
  return { text: Buffer.concat(parts).toString('utf8'), truncated };
}

async function readText(response: HttpResponse, maxBytes: number): Promise<string> {
  return (await readBody(response, maxBytes)).text;
}
