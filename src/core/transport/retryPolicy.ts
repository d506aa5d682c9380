import { setTimeout as sleep } from 'node:timers/promises';
import { InfillError } from '../infillError';

/**
 * When to try a completion again. Only "come back later" answers qualify: 429 (rate limited) and
 * 503 (overloaded), before any of the body was used. The server's `Retry-After` decides the wait;
 * when it asks for longer than `maxWaitMs` the answer is given up on at once, since a completion
 * that late is useless and a shorter wait would be refused again. Never after the caller aborted.
 */
export interface RetryPolicy {
  /** Retries after the first attempt (0 = none). */
  maxRetries: number;
  /** Longest single wait; a longer `Retry-After` means no retry. */
  maxWaitMs: number;
  /** Wait without `Retry-After`: doubled on each retry. */
  baseDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 1, maxWaitMs: 2_000, baseDelayMs: 250 };

/** Upper bound on retries whatever the settings say: a retry loop must never become a flood. */
export const MAX_RETRIES_CAP = 5;

/** Milliseconds to wait before retry number `attempt + 1`, or undefined when the error must surface now. */
export function retryDelayMs(error: InfillError, attempt: number, policy: RetryPolicy): number | undefined {
  if (attempt >= Math.min(policy.maxRetries, MAX_RETRIES_CAP)) return undefined;
  const retryable = error.kind === 'rateLimited' || error.status === 503;
  if (!retryable) return undefined;
  if (error.retryAfterSeconds !== undefined) {
    const ms = Math.round(error.retryAfterSeconds * 1000);
    return ms <= policy.maxWaitMs ? ms : undefined;
  }
  return Math.min(policy.baseDelayMs * 2 ** attempt, policy.maxWaitMs);
}

/** Waits, or rejects with an `aborted` InfillError the moment the signal fires. */
export async function waitUnlessAborted(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
  } catch (err) {
    if (signal?.aborted) throw new InfillError('aborted', 'Request cancelled', { cause: err });
    throw err;
  }
}
