import { readBody, requestHeaders, withoutKey, type EndpointConfig } from './completionClient';
import { errorFromResponse } from './httpErrorMapper';
import type { HttpTransport } from '../transport/httpTransport';
import { InfillError, toInfillError } from '../infillError';

/**
 * `GET {baseUrl}/models`, for the model picker. OpenAI, relays, vLLM, LM Studio, llama.cpp and
 * Ollama's OpenAI layer answer `{data: [{id}]}`; some relays answer `{models: [...]}` or a bare
 * list. A server without the route simply yields an error and the user types the name. It goes
 * through the transport, so proxy and certificate settings apply as for completions.
 */

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export function modelsUrl(baseUrl: string): URL {
  const base = baseUrl.trim().replace(/\/+$/, '');
  try {
    const url = new URL(`${base}/models`);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url;
  } catch {
    // Reported below.
  }
  throw new InfillError('config', `infill.baseUrl is not a valid http(s) URL: "${baseUrl}"`);
}

export async function fetchModelIds(
  transport: HttpTransport,
  endpoint: Pick<EndpointConfig, 'baseUrl' | 'apiKey' | 'headers'>,
  signal?: AbortSignal,
): Promise<string[]> {
  const url = modelsUrl(endpoint.baseUrl);
  const headers = { accept: 'application/json', ...requestHeaders({ endpointPath: '', ...endpoint }) };
  let text: string;
  let response;
  try {
    response = await transport.request('GET', url, undefined, headers, signal);
    const body = await readBody(response, MAX_BODY_BYTES);
    if (body.truncated) throw new InfillError('protocol', 'The model list was too large');
    text = body.text;
  } catch (err) {
    throw toInfillError(err);
  }
  if (response.status < 200 || response.status >= 300)
    throw withoutKey(errorFromResponse(response.status, response.headers, text), endpoint.apiKey);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new InfillError('protocol', 'The server did not answer /models with JSON', { cause: err });
  }
  return parseModelIds(parsed);
}

/** Model ids from any of the list shapes servers use, deduplicated and sorted. */
export function parseModelIds(value: unknown): string[] {
  const list = Array.isArray(value)
    ? value
    : value && typeof value === 'object'
      ? ((value as Record<string, unknown>).data ?? (value as Record<string, unknown>).models)
      : undefined;
  if (!Array.isArray(list)) return [];
  const ids = new Set<string>();
  for (const item of list) {
    if (typeof item === 'string' && item.trim()) ids.add(item.trim());
    else if (item && typeof item === 'object') {
      const o = item as Record<string, unknown>;
      const id = [o.id, o.model, o.name].find((v): v is string => typeof v === 'string' && v.trim() !== '');
      if (id) ids.add(id.trim());
    }
  }
  return [...ids].sort((a, b) => a.localeCompare(b));
}
