import * as tls from 'node:tls';
import type { Dispatcher } from 'undici';
import { undici } from './undiciLoader';
import { createWarmSpareConnector, type WarmSpareConnector } from './warmSpareConnector';
import { InfillError, toInfillError } from '../infillError';
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

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Milliseconds from the call to the response headers. */
  headersMs: number;
  body: AsyncIterable<Uint8Array>;
  /** Ends the exchange early; the server sees the stream (HTTP/2) or connection (HTTP/1.1) closed. */
  cancel(): void;
  /** The answer is complete: let the rest of the body drain so the connection can be reused. */
  release(): Promise<void>;
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

  private async send(
    method: 'GET' | 'POST',
    url: URL,
    body: string | undefined,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
    overrides: RequestOverrides,
  ): Promise<HttpResponse> {
    const started = performance.now();
    const cold = this.isColdStart(url);
    const base = { ...this.options, ...overrides };
    const o = cold
      ? {
          ...base,
          headersTimeoutMs: Math.max(base.headersTimeoutMs, base.coldStartTimeoutMs),
          totalTimeoutMs: Math.max(base.totalTimeoutMs, base.coldStartTimeoutMs),
        }
      : base;
    const dispatcher = this.dispatcherFor(url);
    const controller = new AbortController();
    // Our own timers rather than undici's alone: undici's are coarse (about half a second), and a
    // completion that is late by that much is already useless.
    const timers = new Set<NodeJS.Timeout>();
    const arm = (ms: number, message: string): NodeJS.Timeout => {
      const t = setTimeout(() => controller.abort(new InfillError('timeout', message)), ms);
      t.unref?.();
      timers.add(t);
      return t;
    };
    const disarm = (t: NodeJS.Timeout | undefined) => {
      if (t) {
        clearTimeout(t);
        timers.delete(t);
      }
    };
    arm(o.totalTimeoutMs, `No complete answer within ${o.totalTimeoutMs} ms`);
    const headersTimer = arm(o.headersTimeoutMs, `The server sent no response headers within ${o.headersTimeoutMs} ms`);
    const onOuterAbort = () =>
      controller.abort(
        signal?.reason instanceof InfillError ? signal.reason : new InfillError('aborted', 'Request cancelled'),
      );
    if (signal?.aborted) onOuterAbort();
    else signal?.addEventListener('abort', onOuterAbort, { once: true });
    const cleanup = () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      signal?.removeEventListener('abort', onOuterAbort);
    };
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
        signal: controller.signal,
        headersTimeout: o.headersTimeoutMs + 1000,
        bodyTimeout: o.idleTimeoutMs + 1000,
      });
    } catch (err) {
      cleanup();
      throw classifyTransportError(err, controller.signal, o);
    }
    disarm(headersTimer);
    this.answered.add(url.origin);
    const headersMs = performance.now() - started;
    const flatHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined)
        flatHeaders[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    const raw = response.body;
    // Errors reach the caller through iteration; this listener keeps a late one (after the caller
    // stopped reading) from becoming an uncaught exception in the extension host.
    raw.on('error', () => undefined);
    let releasing = false;
    let drained: Promise<void> = Promise.resolve();
    const finish = () => {
      cleanup();
      if (raw.destroyed || raw.readableEnded) return;
      if (releasing) {
        // The answer is complete ([DONE] seen); what is left is the end of the chunked body. Read
        // it, so the keep-alive connection goes back to the pool instead of being torn down.
        drained = new Promise<void>((resolve) => {
          const guard = setTimeout(() => {
            raw.destroy();
            resolve();
          }, 1000);
          guard.unref?.();
          const done = () => {
            clearTimeout(guard);
            // undici hands the socket back to its pool just after the body ends.
            setImmediate(resolve);
          };
          raw.on('end', done);
          raw.on('close', done);
          raw.on('error', done);
        });
        raw.resume();
      } else {
        // Ended early (a stop rule fired, or the caller gave up): close at once so the server
        // stops generating tokens nobody will read.
        raw.destroy();
      }
    };
    async function* limitedBody(): AsyncGenerator<Uint8Array> {
      let received = 0;
      let idle: NodeJS.Timeout | undefined;
      try {
        idle = arm(o.idleTimeoutMs, `The server went silent for ${o.idleTimeoutMs} ms in the middle of its answer`);
        for await (const chunk of raw.iterator({ destroyOnReturn: false })) {
          disarm(idle);
          const bytes = chunk as Uint8Array;
          received += bytes.byteLength;
          if (received > o.maxResponseBytes) {
            throw new InfillError(
              'protocol',
              `The response exceeded ${Math.round(o.maxResponseBytes / 1024)} KiB and was cut off`,
            );
          }
          yield bytes;
          idle = arm(o.idleTimeoutMs, `The server went silent for ${o.idleTimeoutMs} ms in the middle of its answer`);
        }
      } catch (err) {
        throw classifyTransportError(err, controller.signal, o);
      } finally {
        disarm(idle);
        finish();
      }
    }
    return {
      status: response.statusCode,
      headers: flatHeaders,
      headersMs,
      body: limitedBody(),
      cancel: () => {
        // After release() the tail of a finished answer is draining so the connection can be reused.
        if (releasing) return;
        finish();
      },
      release: async () => {
        releasing = true;
        finish();
        // Normally the body's end is already in the socket buffer; waiting a moment for it lets
        // the very next request reuse this connection. A server that keeps the stream open after
        // [DONE] costs at most this short wait; the drain goes on in the background.
        await Promise.race([drained, new Promise<void>((r) => setTimeout(r, 50).unref?.())]);
      },
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

function classifyTransportError(err: unknown, signal: AbortSignal, options: TransportOptions): InfillError {
  if (err instanceof InfillError) return err;
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof InfillError) return reason;
    return new InfillError('aborted', 'Request cancelled', { cause: err });
  }
  const code = (err as { code?: string } | null)?.code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new InfillError('timeout', `The server sent no response headers within ${options.headersTimeoutMs} ms`, {
        cause: err,
        code,
      });
    case 'UND_ERR_BODY_TIMEOUT':
      return new InfillError(
        'timeout',
        `The server went silent for ${options.idleTimeoutMs} ms in the middle of its answer`,
        { cause: err, code },
      );
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new InfillError('timeout', `Could not connect within ${options.connectTimeoutMs} ms`, {
        cause: err,
        code,
      });
    case 'ECONNREFUSED':
      return new InfillError('network', 'Connection refused: is the server running at the configured base URL?', {
        cause: err,
        code,
      });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new InfillError('network', 'The server name could not be resolved', { cause: err, code });
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return new InfillError('network', 'The connection was closed by the server or a proxy', { cause: err, code });
    default:
      if (/certificate|self[- ]signed|CERT_|SSL/i.test(code + ' ' + message)) {
        return new InfillError('network', `TLS certificate problem: ${message}`, { cause: err, code });
      }
      return toInfillError(err, 'network');
  }
}
