// Waiting helpers shared by the extension-host suites.
import { setTimeout as sleep } from 'node:timers/promises';

export const EXT_ID = process.env.INFILL_EXTENSION_ID ?? 'infill-dev.infill';

export { sleep };

/** Polls `fn` until it gives a truthy value, or fails naming `what` after `timeoutMs`. */
export async function until<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
