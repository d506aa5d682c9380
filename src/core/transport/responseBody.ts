import type { Dispatcher } from 'undici';
import { InfillError } from '../infillError';
import type { ExchangeControl } from './exchangeControl';
import { classifyTransportError, type TransportDeadlines } from './transportErrors';

/** The body half of a response: read it, or end the exchange early, or hand the connection back. */
export interface ResponseBody {
  body: AsyncIterable<Uint8Array>;
  /** Ends the exchange early; the server sees the stream (HTTP/2) or connection (HTTP/1.1) closed. */
  cancel(): void;
  /** The answer is complete: let the rest of the body drain so the connection can be reused. */
  release(): Promise<void>;
}

export interface BodyLimits extends TransportDeadlines {
  maxResponseBytes: number;
}

type RawBody = Dispatcher.ResponseData['body'];

/** undici's header values (repeated ones as arrays) as one lower-case name to one string. */
export function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return flat;
}

/**
 * Wraps undici's body for the caller: a silence deadline between chunks, a size cap, and one way
 * out (`finish`) whichever of reading to the end, `cancel` or `release` comes first; it disposes
 * the exchange's `control`.
 */
export function readResponseBody(raw: RawBody, control: ExchangeControl, limits: BodyLimits): ResponseBody {
  // Errors reach the caller through iteration; this listener keeps a late one (after the caller
  // stopped reading) from becoming an uncaught exception in the extension host.
  raw.on('error', () => undefined);
  let releasing = false;
  let drained: Promise<void> = Promise.resolve();
  const finish = () => {
    control.dispose();
    if (raw.destroyed || raw.readableEnded) return;
    if (releasing) {
      drained = drainTail(raw);
    } else {
      // Ended early (a stop rule fired, or the caller gave up): close at once so the server
      // stops generating tokens nobody will read.
      raw.destroy();
    }
  };
  return {
    body: limitedBody(raw, control, limits, finish),
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

/**
 * The answer is complete ([DONE] seen); what is left is the end of the chunked body. Read it, so
 * the keep-alive connection goes back to the pool instead of being torn down; a body that does
 * not end within a second is destroyed instead.
 */
function drainTail(raw: RawBody): Promise<void> {
  const drained = new Promise<void>((resolve) => {
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
  return drained;
}

async function* limitedBody(
  raw: RawBody,
  control: ExchangeControl,
  limits: BodyLimits,
  finish: () => void,
): AsyncGenerator<Uint8Array> {
  const silence = `The server went silent for ${limits.idleTimeoutMs} ms in the middle of its answer`;
  let received = 0;
  let idle: NodeJS.Timeout | undefined;
  try {
    idle = control.arm(limits.idleTimeoutMs, silence);
    for await (const chunk of raw.iterator({ destroyOnReturn: false })) {
      control.disarm(idle);
      const bytes = chunk as Uint8Array;
      received += bytes.byteLength;
      if (received > limits.maxResponseBytes) {
        throw new InfillError(
          'protocol',
          `The response exceeded ${Math.round(limits.maxResponseBytes / 1024)} KiB and was cut off`,
        );
      }
      yield bytes;
      idle = control.arm(limits.idleTimeoutMs, silence);
    }
  } catch (err) {
    throw classifyTransportError(err, control.signal, limits);
  } finally {
    control.disarm(idle);
    finish();
  }
}
