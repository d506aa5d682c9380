import { InfillError } from '../infillError';
import type { HttpResponse } from './httpTransport';

/**
 * At most one request per server in its prompt phase. A one-slot llama-server evaluates requests
 * one after the other, and one the client has given up on still runs (it notices the closed
 * connection late), delaying the next. So a request waits, unsent, until the one ahead has its
 * first byte back (its prompt is done) or has ended; a request whose caller gives up while waiting
 * is never sent at all. Only requests that ask for it queue here (llama.cpp with one slot).
 */
export class PromptPhaseGate {
  private readonly holders = new Map<string, Promise<void>>();

  /** Resolves with the function that lets the next request go; rejects `aborted` if `signal` fires first. */
  async enter(origin: string, signal?: AbortSignal): Promise<() => void> {
    for (let held = this.holders.get(origin); held; held = this.holders.get(origin)) await waitOrAbort(held, signal);
    if (signal?.aborted) throw new InfillError('aborted', 'Request cancelled');
    let open!: () => void;
    const done = new Promise<void>((resolve) => (open = resolve));
    this.holders.set(origin, done);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (this.holders.get(origin) === done) this.holders.delete(origin);
      open();
    };
  }
}

function waitOrAbort(held: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new InfillError('aborted', 'Request cancelled'));
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new InfillError('aborted', 'Request cancelled'));
    signal?.addEventListener('abort', onAbort, { once: true });
    void held.then(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/** The response, letting the next request go at its first body byte, its end, or its cancellation. */
export function releasingAtFirstByte(response: HttpResponse, release: () => void, guardMs: number): HttpResponse {
  // A caller that never reads the body must not hold the server forever.
  const guard = setTimeout(release, guardMs);
  guard.unref?.();
  const letGo = () => {
    clearTimeout(guard);
    release();
  };
  const body = response.body;
  async function* watched(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of body) {
        letGo();
        yield chunk;
      }
    } finally {
      letGo();
    }
  }
  return {
    ...response,
    body: watched(),
    cancel: () => {
      letGo();
      response.cancel();
    },
    release: async () => {
      letGo();
      await response.release();
    },
  };
}
