import * as assert from 'node:assert/strict';
import { InfillError } from '../../../src/core/infillError';
import {
  DEFAULT_RETRY_POLICY,
  MAX_RETRIES_CAP,
  retryDelayMs,
  waitUnlessAborted,
} from '../../../src/core/transport/retryPolicy';

const policy = { maxRetries: 3, maxWaitMs: 2000, baseDelayMs: 100 };

describe('retryDelayMs', () => {
  it('honours Retry-After on 429 and 503', () => {
    assert.equal(
      retryDelayMs(new InfillError('rateLimited', '', { status: 429, retryAfterSeconds: 1.5 }), 0, policy),
      1500,
    );
    assert.equal(retryDelayMs(new InfillError('server', '', { status: 503, retryAfterSeconds: 0 }), 0, policy), 0);
  });

  it('backs off exponentially without Retry-After, capped at the longest wait', () => {
    const e = new InfillError('rateLimited', '', { status: 429 });
    assert.deepEqual(
      [0, 1, 2].map((a) => retryDelayMs(e, a, { ...policy, maxWaitMs: 300 })),
      [100, 200, 300],
    );
  });

  it('gives up when Retry-After is longer than the longest wait, or the retries are used up', () => {
    assert.equal(
      retryDelayMs(new InfillError('rateLimited', '', { status: 429, retryAfterSeconds: 3 }), 0, policy),
      undefined,
    );
    assert.equal(retryDelayMs(new InfillError('rateLimited', '', { status: 429 }), 3, policy), undefined);
    assert.equal(
      retryDelayMs(new InfillError('rateLimited', '', { status: 429 }), MAX_RETRIES_CAP, {
        ...policy,
        maxRetries: 100,
      }),
      undefined,
    );
  });

  it('never retries anything else', () => {
    for (const e of [
      new InfillError('server', '', { status: 500 }),
      new InfillError('auth', '', { status: 401 }),
      new InfillError('aborted', ''),
      new InfillError('timeout', ''),
    ]) {
      assert.equal(retryDelayMs(e, 0, policy), undefined, e.kind);
    }
  });

  it('retries once by default', () => {
    assert.equal(DEFAULT_RETRY_POLICY.maxRetries, 1);
  });
});

describe('waitUnlessAborted', () => {
  it('rejects at once, as aborted, when the signal fires during the wait', async () => {
    const controller = new AbortController();
    const wait = waitUnlessAborted(60_000, controller.signal);
    controller.abort();
    await assert.rejects(wait, (err: unknown) => err instanceof InfillError && err.kind === 'aborted');
  });

  it('rejects without waiting for an already aborted signal', async () => {
    await assert.rejects(
      waitUnlessAborted(60_000, AbortSignal.abort()),
      (err: unknown) => err instanceof InfillError && err.kind === 'aborted',
    );
  });
});
