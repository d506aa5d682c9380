import { generate } from 'selfsigned';
import { completionUrl } from '../src/core/protocol/completionClient';
import { sharedClockMs, sleep, startTokenServer, type TokenServer } from '../test/fixtures/scriptedServer';
import { benchSettings } from './benchSettings';
import { naiveCompletion } from './naiveClient';
import { observePosts, type ProviderUnderTest } from './providerUnderTest';
import type { FigureRow } from './report';
import { StringDocument } from '../src/core/prompt/textDocumentLike';
import { median, seededRandom, spread } from './stats';
import type { TransportOptions } from '../src/core/transport/httpTransport';

export interface ConnectionsOptions {
  requests: number;
  abortedShare: number;
  runs: number;
  /** Pause between an abort and the next request (the next keystroke's debounce). */
  gapAfterAbortMs: number;
  makeProvider: (transport: Partial<TransportOptions>) => ProviderUnderTest;
}

const TIMING = { timeToFirstTokenMs: 5, tokenDelayMs: 2 };
const ANSWER = [
  'for',
  ' item',
  ' in',
  ' items',
  ':',
  '\n',
  '    total',
  ' +=',
  ' item',
  '.price',
  '\n',
  '    count',
  ' +=',
  ' 1',
  '\n',
];
/** An abort lands after the first two tokens: mid-stream, as when the user types on. */
const ABORT_AFTER_MS = TIMING.timeToFirstTokenMs + 2 * TIMING.tokenDelayMs + 2;

interface Protocol {
  label: string;
  tls: boolean;
  allowH2: boolean;
}

const PROTOCOLS: Protocol[] = [
  { label: 'HTTP/1.1', tls: false, allowH2: false },
  { label: 'HTTP/1.1 + TLS', tls: true, allowH2: false },
  { label: 'HTTP/2 + TLS', tls: true, allowH2: true },
];

interface RunResult {
  connections: number;
  /** Requests after the first whose connection became ready only after they were made. */
  waited: number;
  /** Median delay from the call to the request's first byte, for requests that waited and that did not. */
  firstByteWaitedMs: number;
  firstByteReadyMs: number;
  httpVersions: string[];
}

const ms = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)} ms` : 'none');

function selfSignedCertificate(): { key: string; cert: string } {
  const pems = generate([{ name: 'commonName', value: '127.0.0.1' }], {
    days: 2,
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  return { key: pems.private, cert: pems.cert };
}

/** Which requests to abort: exactly `share` of them, spread by a seeded shuffle. */
function abortPlan(requests: number, share: number, seed: number): boolean[] {
  const plan = Array.from({ length: requests }, (_, i) => i < Math.round(requests * share));
  const random = seededRandom(seed);
  for (let i = plan.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [plan[i], plan[j]] = [plan[j]!, plan[i]!];
  }
  return plan;
}

function summarize(server: TokenServer, calledAt: Map<string, number>): RunResult {
  let waited = 0;
  const waitedDelays: number[] = [];
  const readyDelays: number[] = [];
  // "After the first": the first request to reach the server has to open a connection. That is
  // not always request 0, which may be cancelled before its connection is up.
  let first = true;
  server.exchanges.forEach((e) => {
    const id = String(e.request.headers['x-bench-request'] ?? '');
    const called = calledAt.get(id);
    if (called === undefined) return;
    const delay = e.receivedAt - called;
    const didWait = e.firstOnConnection && e.connectionReadyAt > called;
    if (didWait && !first) waited++;
    first = false;
    (didWait ? waitedDelays : readyDelays).push(delay);
  });
  return {
    connections: server.connections,
    waited,
    firstByteWaitedMs: median(waitedDelays),
    firstByteReadyMs: median(readyDelays),
    httpVersions: [...new Set(server.exchanges.map((e) => e.httpVersion))],
  };
}

async function runInfill(
  protocol: Protocol,
  certificate: { key: string; cert: string },
  options: ConnectionsOptions,
  seed: number,
): Promise<RunResult> {
  const server = await startTokenServer({
    ...TIMING,
    answer: () => ANSWER,
    ...(protocol.tls ? { tls: certificate } : {}),
  });
  const provider = options.makeProvider({ allowH2: protocol.allowH2, caCertificates: certificate.cert });
  const plan = abortPlan(options.requests, options.abortedShare, seed);
  const calledAt = new Map<string, number>();
  observePosts(provider.transport, (headers) => calledAt.set(headers['x-bench-request'] ?? '', sharedClockMs()));
  // The debounce is the pause between a keystroke (which cancels the running request) and the
  // next request: the time a spare connection has to be ready.
  const settings = benchSettings(server.baseUrl, { debounceMs: options.gapAfterAbortMs, speculative: 'off' });
  let previous: { editor: AbortController; pending: Promise<unknown> } | undefined;
  try {
    for (let i = 0; i < plan.length; i++) {
      const editor = new AbortController();
      const id = String(i);
      // As VS Code does on a keystroke: cancel the previous call, then ask for the new position.
      previous?.editor.abort();
      const pending = provider.provide({
        // A different text each time, in the same editor: no cache or typed-ahead can answer, and
        // the controller aborts the running request as soon as the new position cannot use it.
        document: new StringDocument(`def total_${i}(items):\n    `, 'python', '/bench/total.py'),
        position: { line: 1, character: 4 },
        settings,
        endpoint: { baseUrl: server.baseUrl, endpointPath: '/completions', headers: { 'x-bench-request': id } },
        signal: editor.signal,
        trigger: 'automatic',
      });
      await previous?.pending;
      if (plan[i]) {
        // The next keystroke comes while this answer streams.
        await sleep(options.gapAfterAbortMs + ABORT_AFTER_MS);
        previous = { editor, pending };
      } else {
        await pending;
        await provider.controller.whenIdle();
        previous = undefined;
      }
    }
    previous?.editor.abort();
    await previous?.pending;
    await provider.controller.whenIdle();
    await server.idle();
    return summarize(server, calledAt);
  } finally {
    await provider.close();
    await server.close();
  }
}

async function runNaive(
  protocol: Protocol,
  certificate: { key: string; cert: string },
  options: ConnectionsOptions,
  seed: number,
): Promise<RunResult> {
  const server = await startTokenServer({
    ...TIMING,
    answer: () => ANSWER,
    ...(protocol.tls ? { tls: certificate } : {}),
  });
  const plan = abortPlan(options.requests, options.abortedShare, seed);
  const calledAt = new Map<string, number>();
  const url = completionUrl({ baseUrl: server.baseUrl, endpointPath: '/completions' });
  try {
    for (let i = 0; i < plan.length; i++) {
      const controller = new AbortController();
      const id = String(i);
      calledAt.set(id, sharedClockMs());
      const body = { model: 'bench-model', prompt: `def total(items):\n    ${i}`, max_tokens: 128, stream: true };
      const pending = naiveCompletion(
        url,
        body,
        { allowH2: protocol.allowH2, ca: certificate.cert, headers: { 'x-bench-request': id } },
        controller.signal,
      );
      if (plan[i]) {
        await sleep(ABORT_AFTER_MS);
        controller.abort();
        await pending;
        if (options.gapAfterAbortMs > 0) await sleep(options.gapAfterAbortMs);
      } else {
        await pending;
      }
    }
    await server.idle();
    return summarize(server, calledAt);
  } finally {
    await server.close();
  }
}

/** Figure 3: connections opened, and requests that waited for one, when most requests are aborted. */
export async function measureConnections(options: ConnectionsOptions): Promise<{ rows: FigureRow[]; detail: unknown }> {
  const certificate = selfSignedCertificate();
  const rows: FigureRow[] = [];
  const detail: Record<string, unknown> = {};
  const label = `${options.requests} req, ${Math.round(options.abortedShare * 100)}% aborted, next after ${options.gapAfterAbortMs} ms`;
  // The protocols run side by side (each with its own server and client): the counts do not
  // depend on timing, and the run fits the benchmark's time budget.
  // The naive client's counts follow from its design (one connection per request): one run,
  // alongside the first run of Infill's.
  const infillRuns: RunResult[][] = PROTOCOLS.map(() => []);
  let naiveRuns: RunResult[] = [];
  for (let run = 0; run < options.runs; run++) {
    const naive = run === 0 ? Promise.all(PROTOCOLS.map((p) => runNaive(p, certificate, options, 1000))) : undefined;
    const results = await Promise.all(PROTOCOLS.map((p) => runInfill(p, certificate, options, 1000 + run)));
    results.forEach((r, i) => infillRuns[i]!.push(r));
    if (naive) naiveRuns = await naive;
  }
  for (const [index, protocol] of PROTOCOLS.entries()) {
    const infill = infillRuns[index]!;
    const naive = infill.map(() => naiveRuns[index]!);
    detail[protocol.label] = { infill, naive: naiveRuns[index] };
    const connections = spread(infill.map((r) => r.connections));
    const naiveConnections = spread(naive.map((r) => r.connections));
    const waited = spread(infill.map((r) => r.waited));
    const naiveWaited = spread(naive.map((r) => r.waited));
    const versions = [...new Set(infill.flatMap((r) => r.httpVersions))].join(', ');
    const h2 = protocol.allowH2;
    rows.push({
      figure: 3,
      name: `${protocol.label}: connections opened (${label})`,
      unit: '',
      value: connections,
      target: h2 ? '1' : '',
      met: h2 ? connections.max === 1 : null,
      ratio: {
        value: spread(infill.map((r, i) => r.connections / naive[i]!.connections)),
        against: `naive (${naiveConnections.median})`,
      },
      note: `served over HTTP ${versions}`,
    });
    rows.push({
      figure: 3,
      name: `${protocol.label}: requests that waited for a new connection (after the first)`,
      unit: '',
      value: waited,
      target: '0',
      met: waited.max === 0,
      ratio: {
        value: spread(infill.map((r, i) => (naive[i]!.waited === 0 ? 0 : r.waited / naive[i]!.waited))),
        against: `naive (${naiveWaited.median})`,
      },
      note:
        `call → first byte: ${ms(median(infill.map((r) => r.firstByteReadyMs)))} on a ready connection, ` +
        `${ms(median(infill.map((r) => r.firstByteWaitedMs)))} when waiting (naive: ${ms(median(naive.map((r) => r.firstByteWaitedMs)))})`,
    });
  }
  return { rows, detail };
}
