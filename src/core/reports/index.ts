/**
 * What the user is told afterwards: the decision record behind Explain Last Suggestion, the
 * connection report of Test Connection, token usage and cost, the acceptance statistics (what was
 * shown and accepted, latency, and their chart), and the rate limit on repeated messages.
 */
export * from './connectionReport';
export * from './decisionRecord';
export * from './decisionReport';
export * from './latencyHistogram';
export * from './notificationLimiter';
export * from './sharedCountsStore';
export * from './sharedStatisticsStore';
export * from './sharedUsageStore';
export * from './statisticsChart';
export * from './statisticsStore';
export * from './suggestionTracker';
export * from './usageCounter';
export * from './contextReport';
