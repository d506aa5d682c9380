/**
 * What the user is told afterwards: the decision record behind Explain Last Suggestion, the
 * connection report of Test Connection, token usage and cost, and the rate limit on repeated messages.
 */
export * from './connectionReport';
export * from './decisionRecord';
export * from './decisionReport';
export * from './notificationLimiter';
export * from './sharedUsageStore';
export * from './usageCounter';
export * from './contextReport';
