import { readBody, requestCompletion, requestHeaders, type EndpointConfig } from './completionClient';
import type { CompletionRequestBody } from './completionTypes';
import type { HttpTransport } from '../transport/httpTransport';
import { InfillError, toInfillError } from '../infillError';
import type { LearnedCapabilities, OptionalParameter, ResolvedProvider } from '../providers/providerPresets';

/**
 * Learns what an OpenAI-compatible server accepts, so a `custom` backend works without the user
 * knowing its quirks: does it take `suffix`, `n`, `echo`, `best_of`, more than four `stop` strings;
 * does it say which FIM template (Ollama's /api/show) or which model (llama.cpp's /props) it runs.
 *
 * Cheap on purpose: one request with every candidate parameter at once (`max_tokens: 1`), which is
 * all it takes when the server accepts them; only when that fails is each tried alone, after one
 * plain request to tell "this parameter" from "this server". Parameters the preset already knows to
 * be refused are not tried. The answer is stored per (baseUrl, model), so it is asked once. A paid
 * preset is never probed unless the caller says the user asked (`allowPaid`).
 */

export interface CapabilityRecord extends LearnedCapabilities {
  version: 1;
  baseUrl: string;
  model: string;
  /** ISO time of the probe. */
  probedAt: string;
  /** Parameters the server took. */
  acceptedParams: string[];
  /** Requests the probe made. */
  requests: number;
}

/** Where answers are kept: the VS Code layer backs it with `globalState`, tests with a Map. */
export interface CapabilityStore {
  get(key: string): CapabilityRecord | undefined | Promise<CapabilityRecord | undefined>;
  set(key: string, record: CapabilityRecord): void | Promise<void>;
}

export class MemoryCapabilityStore implements CapabilityStore {
  readonly records = new Map<string, CapabilityRecord>();
  get(key: string): CapabilityRecord | undefined {
    return this.records.get(key);
  }
  set(key: string, record: CapabilityRecord): void {
    this.records.set(key, record);
  }
}

export function capabilityKey(baseUrl: string, model: string): string {
  return `${baseUrl.trim().replace(/\/+$/, '').toLowerCase()}#${model.trim()}`;
}

export interface ProbeOptions {
  /** The user asked (Test Connection): a paid preset may be probed. */
  allowPaid: boolean;
  /** Probe again even when an answer is stored. */
  force?: boolean;
  signal?: AbortSignal;
  now?: () => Date;
}

export type ProbeOutcome =
  | { kind: 'cached'; record: CapabilityRecord }
  | { kind: 'probed'; record: CapabilityRecord }
  | { kind: 'skipped'; reason: string }
  /** Even a plain request failed: the server, the key or the address is wrong, not a parameter. */
  | { kind: 'failed'; error: InfillError; requests: number };

/** Parameters worth knowing about, each with the smallest value that still makes the server parse it. */
const PARAMETER_PROBES: { param: OptionalParameter; patch: Partial<CompletionRequestBody> }[] = [
  { param: 'suffix', patch: { suffix: '\n' } },
  { param: 'n', patch: { n: 1 } },
  { param: 'echo', patch: { echo: false } },
  { param: 'best_of', patch: { best_of: 1 } },
];

/** Five stop strings: one more than OpenAI allows, so acceptance means "at least five". */
const STOP_PROBE = ['\u0001a', '\u0001b', '\u0001c', '\u0001d', '\u0001e'];
/** What a server that took five is assumed to take. */
const GENEROUS_STOPS = 16;

/** Errors that say nothing about parameters: give up rather than blame one. */
const NOT_ABOUT_PARAMETERS = new Set<InfillError['kind']>([
  'auth',
  'forbidden',
  'notFound',
  'rateLimited',
  'timeout',
  'network',
  'aborted',
  'config',
]);

export async function probeCapabilities(
  transport: HttpTransport,
  endpoint: EndpointConfig,
  model: string,
  provider: ResolvedProvider,
  store: CapabilityStore,
  options: ProbeOptions,
): Promise<ProbeOutcome> {
  const key = capabilityKey(endpoint.baseUrl, model);
  if (!options.force) {
    const cached = await safeGet(store, key);
    if (cached) return { kind: 'cached', record: cached };
  }
  if (provider.paid && !options.allowPaid) {
    return {
      kind: 'skipped',
      reason: `${provider.label} bills per request: its capabilities are only checked when you run Infill: Test Connection`,
    };
  }

  const probe = parameterProbe(transport, endpoint, model, options.signal);
  const verdict = await tryParameters(probe, parameterCandidates(provider));
  if ('error' in verdict) return { kind: 'failed', error: verdict.error, requests: probe.requests };
  const record = capabilityRecord(endpoint, model, verdict, probe.requests, options.now);
  record.requests =
    probe.requests + (await readServerFacts(transport, endpoint, model, provider, record, options.signal));
  try {
    await store.set(key, record);
  } catch {
    // A store that cannot write costs a repeat probe next time, nothing more.
  }
  return { kind: 'probed', record };
}

/** Sends the smallest completion with a few parameters added, counting the requests made. */
interface ParameterProbe {
  /** Undefined when the server took it, else why not. */
  send(patch: Partial<CompletionRequestBody>): Promise<InfillError | undefined>;
  readonly requests: number;
}

function parameterProbe(
  transport: HttpTransport,
  endpoint: EndpointConfig,
  model: string,
  signal: AbortSignal | undefined,
): ParameterProbe {
  let requests = 0;
  const base: CompletionRequestBody = { model, prompt: 'a', max_tokens: 1, temperature: 0, stream: false };
  return {
    get requests() {
      return requests;
    },
    async send(patch) {
      requests++;
      try {
        await requestCompletion(transport, endpoint, { ...base, ...patch } as CompletionRequestBody, {
          retry: false,
          ...(signal ? { signal } : {}),
        });
        return undefined;
      } catch (err) {
        return toInfillError(err);
      }
    },
  };
}

interface Candidate {
  name: string;
  patch: Partial<CompletionRequestBody>;
}

/** The parameters worth asking this provider about: those its preset does not already know to be refused. */
function parameterCandidates(provider: ResolvedProvider): Candidate[] {
  const candidates = PARAMETER_PROBES.filter((p) => !provider.unsupportedParams.has(p.param));
  // Only a server whose limit nobody documented is asked about stop strings.
  const probeStops = provider.id === 'custom' && !provider.unsupportedParams.has('stop');
  return [
    ...candidates.map((c) => ({ name: c.param as string, patch: c.patch })),
    ...(probeStops ? [{ name: 'stop', patch: { stop: STOP_PROBE } }] : []),
  ];
}

interface ParameterVerdict {
  accepted: string[];
  rejected: string[];
}

/**
 * All candidates in one request; only if that fails, one plain request (is it the server?) and
 * then each candidate alone. An error that is not about parameters ends the probe.
 */
async function tryParameters(
  probe: ParameterProbe,
  all: Candidate[],
): Promise<ParameterVerdict | { error: InfillError }> {
  const combined = await probe.send(Object.assign({}, ...all.map((c) => c.patch)) as Partial<CompletionRequestBody>);
  if (!combined) return { accepted: all.map((c) => c.name), rejected: [] };
  if (NOT_ABOUT_PARAMETERS.has(combined.kind) || all.length === 0) return { error: combined };
  if (all.length === 1) return { accepted: [], rejected: [all[0]!.name] };
  const plain = await probe.send({});
  if (plain) return { error: plain };
  const verdict: ParameterVerdict = { accepted: [], rejected: [] };
  for (const c of all) {
    const error = await probe.send(c.patch);
    if (error && NOT_ABOUT_PARAMETERS.has(error.kind)) return { error };
    (error ? verdict.rejected : verdict.accepted).push(c.name);
  }
  return verdict;
}

function capabilityRecord(
  endpoint: EndpointConfig,
  model: string,
  { accepted, rejected }: ParameterVerdict,
  requests: number,
  now: (() => Date) | undefined,
): CapabilityRecord {
  const record: CapabilityRecord = {
    version: 1,
    baseUrl: endpoint.baseUrl,
    model,
    probedAt: (now ?? (() => new Date()))().toISOString(),
    acceptedParams: accepted.filter((p) => p !== 'stop'),
    rejectedParams: rejected.filter((p) => p !== 'stop'),
    requests,
  };
  if (accepted.includes('suffix')) record.acceptsSuffix = true;
  if (rejected.includes('suffix')) record.acceptsSuffix = false;
  if (accepted.includes('stop')) record.maxStops = GENEROUS_STOPS;
  if (rejected.includes('stop')) record.maxStops = 4;
  return record;
}

/**
 * What the server says about itself (FIM template, model file, context size), from the first of
 * the provider's sources that answers, merged into `record`. Returns the requests it made.
 */
async function readServerFacts(
  transport: HttpTransport,
  endpoint: EndpointConfig,
  model: string,
  provider: ResolvedProvider,
  record: CapabilityRecord,
  signal: AbortSignal | undefined,
): Promise<number> {
  const sources = provider.templateSource
    ? [provider.templateSource]
    : provider.id === 'custom'
      ? (['llamacppProps', 'ollamaShow'] as const)
      : [];
  let requests = 0;
  for (const source of sources) {
    requests++;
    const found =
      source === 'ollamaShow'
        ? await readOllamaTemplate(transport, endpoint, model, signal)
        : source === 'vllmModels'
          ? await readVllmModelLength(transport, endpoint, model, signal)
          : await readLlamaCppProps(transport, endpoint, signal);
    if (found) {
      Object.assign(record, found);
      break;
    }
  }
  return requests;
}

async function safeGet(store: CapabilityStore, key: string): Promise<CapabilityRecord | undefined> {
  try {
    const value = await store.get(key);
    return value && value.version === 1 && Array.isArray(value.acceptedParams) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Ollama's context when the model sets no `num_ctx`: 2048 in the releases that documented it. */
export const OLLAMA_DEFAULT_NUM_CTX = 2048;

/** Ollama's /api/show: the model's prompt template; `.Suffix` in it (or the `insert` capability) means real
 * infilling. */
async function readOllamaTemplate(
  transport: HttpTransport,
  endpoint: EndpointConfig,
  model: string,
  signal?: AbortSignal,
): Promise<Partial<CapabilityRecord> | undefined> {
  const json = await fetchJson(
    transport,
    endpoint,
    'POST',
    '/api/show',
    JSON.stringify({ model, name: model }),
    signal,
  );
  if (!json || typeof json.template !== 'string') return undefined;
  const capabilities = Array.isArray(json.capabilities) ? json.capabilities : [];
  const infills = capabilities.includes('insert') || /\.Suffix\b/.test(json.template);
  // Ollama cuts a longer prompt silently: its context is the model's `num_ctx` parameter, else
  // Ollama's default (assumed at its smallest, 2048).
  const numCtx = /(?:^|\n)\s*num_ctx\s+(\d+)/.exec(typeof json.parameters === 'string' ? json.parameters : '');
  return {
    fimTemplate: json.template,
    contextTokens: numCtx ? Number(numCtx[1]) : OLLAMA_DEFAULT_NUM_CTX,
    ...(infills ? {} : { acceptsSuffix: false }),
  };
}

/** llama.cpp's /props: which model file the server really runs (it ignores the request's `model`). */
async function readLlamaCppProps(
  transport: HttpTransport,
  endpoint: EndpointConfig,
  signal?: AbortSignal,
): Promise<Partial<CapabilityRecord> | undefined> {
  const json = await fetchJson(transport, endpoint, 'GET', '/props', undefined, signal);
  if (!json) return undefined;
  const path =
    typeof json.model_path === 'string'
      ? json.model_path
      : typeof json.model_alias === 'string'
        ? json.model_alias
        : undefined;
  const found: Partial<CapabilityRecord> = {};
  if (path) found.serverModel = path.split(/[\\/]/).pop() ?? path;
  const settings = json.default_generation_settings as Record<string, unknown> | undefined;
  const nCtx = settings && typeof settings === 'object' ? settings.n_ctx : undefined;
  // n_ctx here is one slot's share of the server's context: what one prompt plus its answer may use.
  if (typeof nCtx === 'number' && nCtx > 0) found.contextTokens = nCtx;
  if (typeof json.total_slots === 'number' && json.total_slots > 0) found.totalSlots = json.total_slots;
  return Object.keys(found).length > 0 ? found : undefined;
}

/** vLLM's /v1/models: `max_model_len` of the model, the context a prompt plus its answer must fit. */
async function readVllmModelLength(
  transport: HttpTransport,
  endpoint: EndpointConfig,
  model: string,
  signal?: AbortSignal,
): Promise<Partial<CapabilityRecord> | undefined> {
  let path: string;
  try {
    path = `${new URL(endpoint.baseUrl).pathname.replace(/\/+$/, '')}/models`;
  } catch {
    return undefined;
  }
  const json = await fetchJson(transport, endpoint, 'GET', path, undefined, signal);
  const data = json && Array.isArray(json.data) ? (json.data as Record<string, unknown>[]) : [];
  const entry = data.find((m) => m && m.id === model) ?? (data.length === 1 ? data[0] : undefined);
  const length = entry?.max_model_len;
  return typeof length === 'number' && length > 0 ? { contextTokens: length } : undefined;
}

/** A small JSON GET/POST at the server's origin; any failure is "not this kind of server". */
async function fetchJson(
  transport: HttpTransport,
  endpoint: EndpointConfig,
  method: 'GET' | 'POST',
  path: string,
  body: string | undefined,
  signal?: AbortSignal,
): Promise<Record<string, unknown> | undefined> {
  let url: URL;
  try {
    url = new URL(path, new URL(endpoint.baseUrl).origin);
  } catch {
    return undefined;
  }
  try {
    const headers = {
      ...requestHeaders(endpoint),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    };
    const response = await transport.request(method, url, body, headers, signal);
    const { text, truncated } = await readBody(response, 1024 * 1024);
    if (truncated || response.status < 200 || response.status >= 300) return undefined;
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch (err) {
    if (err instanceof InfillError && err.kind === 'aborted') throw err;
    return undefined;
  }
}
