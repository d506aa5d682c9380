// A small OpenAI-compatible `POST /v1/completions` SSE server for the e2e harness.
// It records every request (so tests can count them and read the model / prompt),
// streams a scripted reply, and can be taken down and brought back on the same port.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  at: number;
  method: string;
  path: string;
  model: unknown;
  prompt: string;
  suffix: string;
  body: Record<string, unknown>;
  /** ms from the request arriving to the last byte of the reply being written. */
  serverMs?: number;
  aborted?: boolean;
}

export interface Reply {
  /** Text pieces streamed one SSE event each. */
  chunks: string[];
  /** Pause before each chunk, ms. */
  chunkDelayMs?: number;
  /** Non-200 status: sends a JSON error body instead of a stream. */
  status?: number;
}

export type Responder = (req: SeenRequest) => Reply;

export class TestServer {
  readonly requests: SeenRequest[] = [];
  responder: Responder = () => ({ chunks: ['hello'] });
  private server?: http.Server;
  private sockets = new Set<import('node:net').Socket>();
  port = 0;

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  async start(port = this.port): Promise<this> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  /** Stops listening and drops open connections; `start()` brings it back on the same port. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Only the completion requests (POST …/completions), not probes of other endpoints. */
  get completions(): SeenRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && /\/completions(\?|$)/.test(r.path));
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  reset(): void {
    this.requests.length = 0;
    this.responder = () => ({ chunks: ['hello'] });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = performance.now();
    const raw: Buffer[] = [];
    for await (const c of req) raw.push(c as Buffer);
    if (req.method === 'GET' && req.url?.endsWith('/models')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'test-model', object: 'model' }] }));
      return;
    }
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(Buffer.concat(raw).toString('utf8') || '{}');
    } catch {
      /* recorded as empty */
    }
    const seen: SeenRequest = {
      at: Date.now(),
      method: req.method ?? '',
      path: req.url ?? '',
      model: body.model,
      prompt: String(body.prompt ?? ''),
      suffix: String(body.suffix ?? ''),
      body,
    };
    this.requests.push(seen);
    let closed = false;
    res.on('close', () => {
      if (!res.writableFinished) {
        closed = true;
        seen.aborted = true;
      }
    });
    const reply = this.responder(seen);
    if (reply.status && reply.status !== 200) {
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `scripted ${reply.status}`, type: 'test' } }));
      seen.serverMs = performance.now() - started;
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    for (const [i, text] of reply.chunks.entries()) {
      if (reply.chunkDelayMs) await new Promise((r) => setTimeout(r, reply.chunkDelayMs));
      if (closed) return;
      const last = i === reply.chunks.length - 1;
      const ev = {
        id: 'cmpl-test',
        object: 'text_completion',
        created: 0,
        model: String(body.model ?? ''),
        choices: [{ index: 0, text, finish_reason: last ? 'stop' : null }],
      };
      res.write(`data: ${JSON.stringify(ev)}\n\n`);
    }
    res.end('data: [DONE]\n\n');
    seen.serverMs = performance.now() - started;
  }
}
