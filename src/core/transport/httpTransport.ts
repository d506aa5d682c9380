import * as tls from 'node:tls';
import type { Dispatcher } from 'undici';
import { undici } from './undiciLoader';
import { createWarmSpareConnector, type WarmSpareConnector } from './warmSpareConnector';
import { InfillError } from '../infillError';
import { ExchangeControl } from './exchangeControl';
import { flattenHeaders, readResponseBody, type ResponseBody } from './responseBody';
import { classifyTransportError } from './transportErrors';
import { proxyFor } from './proxyConfig';
import { PromptSpeedMeter } from './promptSpeed';
import { PromptPhaseGate, releasingAtFirstByte } from './promptPhaseGate';
import { isLocalNetworkHost } from '../policy/hostLocality';

export interface TransportOptions {
  /** TCP/TLS connect timeout. */
  connectTimeoutMs: number;
  /** Time allowed until the response headers arrive. */
  headersTimeoutMs: number;
  /** Longest silence allowed between two body chunks once the response started. */
  idleTimeoutMs: number;
  /** The whole exchange, headers to last byte. */
  totalTimeoutMs: number;
  /** Response bodies larger than this are cut off as a protocol error. */
  maxResponseBytes: number;
  /** Negotiate HTTP/2 over TLS when the server offers it, so one connection carries every request. */
  allowH2: boolean;
  /** Explicit proxy URL (VS Code's `http.proxy`); empty means use HTTPS_PROXY/NO_PROXY from the environment. */
  proxyUrl?: string;
  /** Hosts never proxied (VS Code's `http.noProxy`), besides NO_PROXY. */
  noProxy?: string[];
  /** Never proxy a server on this machine (default true: a remote proxy cannot reach it). */
  proxyBypassLoopback?: boolean;
  /** `http.proxyStrictSSL` / certificate checks. */
  rejectUnauthorized: boolean;
  /** Extra CA certificates (PEM), for company gateways that re-sign TLS; trusted besides the system's. */
  caCertificates?: string;
  /**
   * Until a server on the user's own machine or network has answered once, the wait for its headers
   * and first bytes may last this long instead: its first request may be loading the model (tens
   * of seconds for Ollama), which is not a failure.
   */
  coldStartTimeoutMs: number;
}

export const DEFAULT_TRANSPORT_OPTIONS: TransportOptions = {
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 30_000,
  idleTimeoutMs: 30_000,
  totalTimeoutMs: 120_000,
  maxResponseBytes: 8 * 1024 * 1024,
  allowH2: true,
  rejectUnauthorized: true,
  coldStartTimeoutMs: 180_000,
};

/** `body`, `cancel` and `release` are described in responseBody.ts. */
export interface HttpResponse extends ResponseBody {
  status: number;
  headers: Record<string, string>;
  /** Milliseconds from the call to the response headers. */
  headersMs: number;
}

/** Options of one request that differ from the transport's (ghost text allows a shorter silence). */
export type RequestOverrides = Partial<Pick<TransportOptions, 'idleTimeoutMs'>> & {
  /** Wait until no other such request to this server is in its prompt phase (see promptPhaseGate.ts). */
  exclusivePromptPhase?: boolean;
};

export interface TransportStats {
  connectionsOpened: number;
  requests: number;
  /** Requests that were given the warm spare connection instead of waiting for a handshake. */
  sparesUsed: number;
}

/**
 * One keep-alive dispatcher per origin, created on first use and reused by every later request,
 * so a completion after the first never pays for a TCP or TLS handshake.
 */
export class HttpTransport {
  private readonly dispatchers = new Map<string, Dispatcher>();
  private readonly spareConnectors = new Map<string, WarmSpareConnector>();
  private options: TransportOptions;
  private closed = false;
  readonly stats: TransportStats = { connectionsOpened: 0, requests: 0, sparesUsed: 0 };
  /** Per origin, how fast the server evaluates prompts: shared by every editor, like the connections. */
  readonly promptSpeed = new PromptSpeedMeter();
  /** Origins that have sent response headers at least once since Infill started. */
  private readonly answered = new Set<string>();
  private readonly lastRequest = new Map<string, number>();
  private readonly promptPhase = new PromptPhaseGate();

  constructor(options: Partial<TransportOptions> = {}) {
    this.options = { ...DEFAULT_TRANSPORT_OPTIONS, ...options };
  }

  /** New options take effect for new connections; old dispatchers are closed gracefully. */
  configure(options: Partial<TransportOptions>): void {
    const next = { ...this.options, ...options };
    const changedConnection =
      next.allowH2 !== this.options.allowH2 ||
      next.proxyUrl !== this.options.proxyUrl ||
      (next.noProxy ?? []).join(',') !== (this.options.noProxy ?? []).join(',') ||
      next.proxyBypassLoopback !== this.options.proxyBypassLoopback ||
      next.rejectUnauthorized !== this.options.rejectUnauthorized ||
      next.caCertificates !== this.options.caCertificates ||
      next.connectTimeoutMs !== this.options.connectTimeoutMs;
    this.options = next;
    if (changedConnection) void this.closeDispatchers();
  }

  get currentOptions(): Readonly<TransportOptions> {
    return this.options;
  }

  /**
   * True while a local server has not answered yet: the next request may wait for the model to
   * load (the status bar says so, and the cold-start timeout applies instead of the first-byte one).
   */
  isColdStart(url: URL): boolean {
    return !this.answered.has(url.origin) && isLocalNetworkHost(url.hostname);
  }

  /** `Date.now()` of the last request to `origin`, if any (the warm-up waits for a quiet spell). */
  lastRequestAt(origin: string): number | undefined {
    return this.lastRequest.get(origin);
  }

  async post(
    url: URL,
    body: string,
    headers: Record<string, string>,
    signal?: AbortSignal,
    overrides?: RequestOverrides,
  ): Promise<HttpResponse> {
    return this.request('POST', url, body, { 'content-type': 'application/json', ...headers }, signal, overrides);
  }

  /** Any request on the same pooled connections (the capability probe GETs llama.cpp's /props). */
  async request(
    method: 'GET' | 'POST',
    url: URL,
    body: string | undefined,
    headers: Record<string, string>,
    signal?: AbortSignal,
    overrides: RequestOverrides = {},
  ): Promise<HttpResponse> {
    if (!overrides.exclusivePromptPhase) return this.send(method, url, body, headers, signal, overrides);
    const release = await this.promptPhase.enter(url.origin, signal);
    let response: HttpResponse;
    try {
      response = await this.send(method, url, body, headers, signal, overrides);
    } catch (err) {
      release();
      throw err;
    }
    return releasingAtFirstByte(response, release, this.options.totalTimeoutMs);
  }

  /**
   * One exchange: its options, its control (deadlines plus the caller's signal), the request, then
   * the body handed to the caller, which ends the exchange however it is left.
   */
  private async send(
    method: 'GET' | 'POST',
    url: URL,
    body: string | undefined,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
    overrides: RequestOverrides,
  ): Promise<HttpResponse> {
    const started = performance.now();
    const o = this.exchangeOptions(url, overrides);
    const dispatcher = this.dispatcherFor(url);
    const control = new ExchangeControl(signal);
    control.arm(o.totalTimeoutMs, `No complete answer within ${o.totalTimeoutMs} ms`);
    const headersTimer = control.arm(
      o.headersTimeoutMs,
      `The server sent no response headers within ${o.headersTimeoutMs} ms`,
    );
    this.stats.requests++;
    this.lastRequest.set(url.origin, Date.now());
    let response: Dispatcher.ResponseData;
    try {
      response = await dispatcher.request({
        origin: url.origin,
        path: url.pathname + url.search,
        method,
        headers: { accept: 'text/event-stream, application/json', ...headers },
        ...(body !== undefined ? { body } : {}),
        signal: control.signal,
        headersTimeout: o.headersTimeoutMs + 1000,
        bodyTimeout: o.idleTimeoutMs + 1000,
      });
    } catch (err) {
      control.dispose();
      throw classifyTransportError(err, control.signal, o);
    }
    control.disarm(headersTimer);
    this.answered.add(url.origin);
    const headersMs = performance.now() - started;
    return {
      status: response.statusCode,
      headers: flattenHeaders(response.headers),
      headersMs,
      ...readResponseBody(response.body, control, o),
    };
  }

  /** The transport's options with this request's overrides, and a cold local server's longer first wait. */
  private exchangeOptions(url: URL, overrides: RequestOverrides): TransportOptions {
    const base = { ...this.options, ...overrides };
    if (!this.isColdStart(url)) return base;
    return {
      ...base,
      headersTimeoutMs: Math.max(base.headersTimeoutMs, base.coldStartTimeoutMs),
      totalTimeoutMs: Math.max(base.totalTimeoutMs, base.coldStartTimeoutMs),
    };
  }

  /** Final: later requests fail as `aborted` instead of opening new pools nobody would close. */
  async close(): Promise<void> {
    this.closed = true;
    await this.closeDispatchers();
  }

  private async closeDispatchers(): Promise<void> {
    const all = [...this.dispatchers.values()];
    this.dispatchers.clear();
    for (const connector of this.spareConnectors.values()) connector.dispose();
    this.spareConnectors.clear();
    await Promise.all(all.map((d) => d.close().catch(() => undefined)));
  }

  private dispatcherFor(url: URL): Dispatcher {
    if (this.closed) throw new InfillError('aborted', 'The connection pool was closed (Infill is shutting down)');
    const key = url.origin;
    let dispatcher = this.dispatchers.get(key);
    if (!dispatcher) {
      dispatcher = this.createDispatcher(url);
      dispatcher.on('connect', () => {
        this.stats.connectionsOpened++;
      });
      this.dispatchers.set(key, dispatcher);
    }
    return dispatcher;
  }

  private createDispatcher(url: URL): Dispatcher {
    const o = this.options;
    const connect = {
      timeout: o.connectTimeoutMs,
      rejectUnauthorized: o.rejectUnauthorized,
      // `ca` replaces Node's trusted roots; a company CA is meant to be trusted as well as them.
      ...(o.caCertificates ? { ca: [...tls.rootCertificates, o.caCertificates] } : {}),
    };
    const common = {
      keepAliveTimeout: 60_000,
      keepAliveMaxTimeout: 600_000,
      allowH2: o.allowH2,
      connect,
    };
    // Dispatchers are per origin, so the proxy decision (explicit, environment, NO_PROXY) is made once per origin.
    const proxy = proxyFor(url, {
      ...(o.proxyUrl ? { proxyUrl: o.proxyUrl } : {}),
      ...(o.noProxy ? { noProxy: o.noProxy } : {}),
      bypassLoopback: o.proxyBypassLoopback ?? true,
    });
    if (proxy) {
      return new (undici().ProxyAgent)({ uri: proxy, ...common, requestTls: connect, proxyTls: connect });
    }
    // A Pool, not an Agent: an Agent closes an origin's pool whenever it has no connected
    // client, which after an aborted HTTP/1.1 stream throws away the connection undici has just
    // reopened. The connector keeps one more connected socket ready (HTTP/1.1 only), so the
    // request after an aborted stream never waits for a handshake.
    const connector = createWarmSpareConnector(
      { ...connect, allowH2: o.allowH2 },
      {
        onSpareUsed: () => {
          this.stats.sparesUsed++;
        },
      },
    );
    this.spareConnectors.set(url.origin, connector);
    return new (undici().Pool)(url.origin, {
      keepAliveTimeout: common.keepAliveTimeout,
      keepAliveMaxTimeout: common.keepAliveMaxTimeout,
      allowH2: o.allowH2,
      connect: connector,
    });
  }
}
