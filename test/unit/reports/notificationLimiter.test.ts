import * as assert from 'node:assert/strict';
import { NotificationLimiter } from '../../../src/core/reports/notificationLimiter';

describe('NotificationLimiter', () => {
  it('shows the same message at most once per minute', () => {
    let now = 0;
    const limiter = new NotificationLimiter(60_000, () => now);
    assert.equal(limiter.shouldShow('refused'), true);
    now = 30_000;
    assert.equal(limiter.shouldShow('refused'), false);
    assert.equal(limiter.shouldShow('auth'), true, 'a different message is not held back');
    now = 60_001;
    assert.equal(limiter.shouldShow('refused'), true);
  });
});
