import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as http2 from 'node:http2';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createProxy } from 'proxy';
import * as selfsigned from 'selfsigned';
import { requestCompletion } from '../../../src/core/protocol/completionClient';
import type { CompletionRequestBody } from '../../../src/core/protocol/completionTypes';
import { HttpTransport } from '../../../src/core/transport/httpTransport';
import { expectInfillError } from '../../fixtures/expectInfillError';
import { completionChunk, startScriptedServer, type ScriptedServer } from '../../fixtures/scriptedServer';

const body: CompletionRequestBody = { model: 'm', prompt: 'x', max_tokens: 8, stream: true };
/** Resolvers waiting for the server to see a never-ending answer closed by the client. */
let slowClosed: (() => void)[] = [];

/** One certificate for 127.0.0.1/localhost, made once: RSA key generation in JavaScript is slow. */
let pems: selfsigned.GenerateResult | undefined;
function certificate(): selfsigned.GenerateResult {
  pems ??= selfsigned.generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    days: 2,
    algorithm: 'sha256',
    extensions: [
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return pems;
}

function sseHandler(
  req: http.IncomingMessage | http2.Http2ServerRequest,
  answer: http.ServerResponse | http2.Http2ServerResponse,
): void {
  // Both response kinds have these methods; the union of their overloads is not callable as such.
  const res = answer as http.ServerResponse;
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    if (req.url === '/v1/slow') {
      // Keeps streaming until the client goes away.
      res.on('close', () => slowClosed.forEach((fn) => fn()));
      res.write(completionChunk('a'));
      return;
    }
    res.write(completionChunk('hello', { finishReason: 'stop' }));
    res.end('data: [DONE]\n\n');
  });
}

async function listen(server: http.Server | https.Server | http2.Http2SecureServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

const expectError = expectInfillError;

describe('HttpTransport', () => {
  describe('over TLS with a self-signed certificate', function () {
    this.timeout(30_000);
    let server: https.Server;
    let origin: string;
    before(async () => {
      const { private: key, cert } = certificate();
      server = https.createServer({ key, cert }, sseHandler);
      origin = `https://127.0.0.1:${await listen(server)}`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('refuses the unknown certificate with a clear TLS message', async () => {
      const transport = new HttpTransport();
      await expectError(
        requestCompletion(transport, { baseUrl: `${origin}/v1`, endpointPath: '/completions' }, body),
        'network',
        /certificate/i,
      );
      await transport.close();
    });

    it('trusts it once given as the CA certificate (infill.caCertificateFile), keeping the system roots', async () => {
      const transport = new HttpTransport({ caCertificates: certificate().cert });
      const result = await requestCompletion(
        transport,
        { baseUrl: `${origin}/v1`, endpointPath: '/completions' },
        body,
      );
      assert.equal(result.choices[0]?.text, 'hello');
      await transport.close();
    });

    it('accepts it with certificate checks off (http.proxyStrictSSL: false)', async () => {
      const transport = new HttpTransport({ rejectUnauthorized: false });
      const result = await requestCompletion(
        transport,
        { baseUrl: `${origin}/v1`, endpointPath: '/completions' },
        body,
      );
      assert.equal(result.choices[0]?.text, 'hello');
      await transport.close();
    });
  });

  describe('HTTP/2 (allowH2) against a server that offers h2 and http/1.1', function () {
    this.timeout(30_000);
    let server: http2.Http2SecureServer;
    let origin: string;
    let sessions = 0;
    const versions: string[] = [];
    before(async () => {
      const { private: key, cert } = certificate();
      server = http2.createSecureServer({ key, cert, allowHTTP1: true }, (req, res) => {
        versions.push(req.httpVersion);
        sseHandler(req, res);
      });
      server.on('session', () => sessions++);
      origin = `https://127.0.0.1:${await listen(server)}`;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('speaks HTTP/2, and aborting one stream does not cost a new connection', async () => {
      const transport = new HttpTransport({ caCertificates: certificate().cert, allowH2: true });
      const endpoint = { baseUrl: `${origin}/v1`, endpointPath: '/completions' };
      sessions = 0;
      versions.length = 0;
      assert.equal((await requestCompletion(transport, endpoint, body)).choices[0]?.text, 'hello');

      const controller = new AbortController();
      const serverSawClose = new Promise<void>((resolve) => (slowClosed = [resolve]));
      const pending = requestCompletion(transport, { ...endpoint, endpointPath: '/slow' }, body, {
        signal: controller.signal,
        onProgress: () => controller.abort(),
      });
      await expectError(pending, 'aborted');
      // The server sees its stream reset (the answer would otherwise never end).
      await serverSawClose;

      assert.equal((await requestCompletion(transport, endpoint, body)).choices[0]?.text, 'hello');
      assert.deepEqual(versions, ['2.0', '2.0', '2.0']);
      assert.equal(sessions, 1);
      assert.equal(transport.stats.connectionsOpened, 1);
      assert.equal(transport.stats.requests, 3);
      await transport.close();
    });

    it('falls back to HTTP/1.1 with allowH2 off', async () => {
      const transport = new HttpTransport({ caCertificates: certificate().cert, allowH2: false });
      versions.length = 0;
      await requestCompletion(transport, { baseUrl: `${origin}/v1`, endpointPath: '/completions' }, body);
      assert.deepEqual(versions, ['1.1']);
      await transport.close();
    });
  });

  describe('through a real local proxy (the `proxy` package)', () => {
    let target: ScriptedServer;
    let proxy: http.Server;
    let proxyUrl: string;
    let proxied: string[];
    beforeEach(async () => {
      target = await startScriptedServer(() => ({
        pieces: [completionChunk('via proxy', { finishReason: 'stop' }), 'data: [DONE]\n\n'],
      }));
      proxied = [];
      proxy = createProxy(http.createServer());
      proxy.on('connect', (req: http.IncomingMessage) => proxied.push(`CONNECT ${req.url}`));
      proxy.on('request', (req: http.IncomingMessage) => proxied.push(`${req.method} ${req.url}`));
      proxyUrl = `http://127.0.0.1:${await listen(proxy)}`;
    });
    afterEach(async () => {
      await target.close();
      proxy.closeAllConnections?.();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
    });

    it('sends the request through the configured proxy (http.proxy)', async () => {
      const transport = new HttpTransport({ proxyUrl, proxyBypassLoopback: false });
      const result = await requestCompletion(
        transport,
        { baseUrl: target.baseUrl, endpointPath: '/completions' },
        body,
      );
      assert.equal(result.choices[0]?.text, 'via proxy');
      assert.equal(proxied.length, 1, proxied.join());
      assert.match(proxied[0]!, new RegExp(`127\\.0\\.0\\.1:${target.port}`));
      assert.equal(target.requests.length, 1);
      await transport.close();
    });

    it('goes direct for a host in http.noProxy, and for this machine by default', async () => {
      for (const options of [{ proxyUrl, proxyBypassLoopback: false, noProxy: ['127.0.0.1'] }, { proxyUrl }]) {
        const transport = new HttpTransport(options);
        const result = await requestCompletion(
          transport,
          { baseUrl: target.baseUrl, endpointPath: '/completions' },
          body,
        );
        assert.equal(result.choices[0]?.text, 'via proxy');
        await transport.close();
      }
      assert.deepEqual(proxied, []);
      assert.equal(target.requests.length, 2);
    });

    it('a proxy that is down is a network error, not a hang', async () => {
      const transport = new HttpTransport({
        proxyUrl: 'http://127.0.0.1:1',
        proxyBypassLoopback: false,
        connectTimeoutMs: 2000,
      });
      await expectError(
        requestCompletion(transport, { baseUrl: target.baseUrl, endpointPath: '/completions' }, body),
        'network',
      );
      await transport.close();
    });
  });

  it('over HTTP/1.1, the request after an aborted stream finds a connection already open', async () => {
    // Aborting a streamed HTTP/1.1 answer must close its connection (the server stops generating),
    // so the next request would pay for a handshake; the warm spare spares it that.
    let calls = 0;
    const server = await startScriptedServer(() =>
      calls++ % 2 === 0
        ? { pieces: [completionChunk('a')], hang: true }
        : { pieces: [completionChunk('b', { finishReason: 'stop' }), 'data: [DONE]\n\n'] },
    );
    const transport = new HttpTransport({ allowH2: false });
    const endpoint = { baseUrl: server.baseUrl, endpointPath: '/completions' };
    for (let round = 0; round < 3; round++) {
      const controller = new AbortController();
      await expectError(
        requestCompletion(transport, endpoint, body, {
          signal: controller.signal,
          onProgress: () => controller.abort(),
        }),
        'aborted',
      );
      await new Promise((r) => setTimeout(r, 50)); // the spare's handshake is done by now
      const openBefore = server.connections;
      const result = await requestCompletion(transport, endpoint, body);
      assert.equal(result.choices[0]?.text, 'b');
      assert.equal(
        server.connections,
        openBefore,
        `round ${round}: the request after the abort opened no connection of its own`,
      );
    }
    assert.ok(transport.stats.sparesUsed >= 1, 'the spare was handed out');
    await transport.close();
    await server.close();
  });

  it('reads a GET answer on the same pool (used by the capability probe)', async () => {
    const server = await startScriptedServer(() => ({
      headers: { 'content-type': 'application/json' },
      pieces: ['{"ok":true}'],
    }));
    const transport = new HttpTransport();
    const response = await transport.request('GET', new URL(`${server.origin}/props`), undefined, {});
    const chunks: Uint8Array[] = [];
    for await (const c of response.body) chunks.push(c);
    assert.equal(Buffer.concat(chunks).toString(), '{"ok":true}');
    assert.equal(server.requests[0]?.method, 'GET');
    await transport.close();
    await server.close();
  });
});

describe('HttpTransport.close', () => {
  it('opens no new pool after close(): a late request fails as aborted', async () => {
    const server = http.createServer(sseHandler);
    const origin = `http://127.0.0.1:${await listen(server)}`;
    try {
      const transport = new HttpTransport();
      await transport.close();
      await expectError(
        requestCompletion(transport, { baseUrl: `${origin}/v1`, endpointPath: '/completions' }, body),
        'aborted',
        /closed/,
      );
      assert.equal(transport.stats.connectionsOpened, 0);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
