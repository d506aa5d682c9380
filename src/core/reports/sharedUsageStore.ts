import { SharedCountsStore, type SharedState } from './sharedCountsStore';
import { sanitize, type UsageBucket, type UsageData, type UsageStore } from './usageCounter';

/** Usage (requests and tokens per day and model) in the state every VS Code window shares. */
export class SharedUsageStore extends SharedCountsStore<UsageData, UsageBucket> implements UsageStore {
  constructor(state: SharedState, key: string, delayMs = 2_000) {
    super(state, key, delayMs, { sanitize, addBucket: addUsage, empty: () => ({ version: 1, days: {} }) });
  }
}

function addUsage(
  stored: UsageBucket | undefined,
  mine: UsageBucket | undefined,
  base: UsageBucket | undefined,
): UsageBucket {
  const field = (k: keyof UsageBucket) => (stored?.[k] ?? 0) + Math.max(0, (mine?.[k] ?? 0) - (base?.[k] ?? 0));
  return {
    requests: field('requests'),
    promptTokens: field('promptTokens'),
    completionTokens: field('completionTokens'),
    estimatedRequests: field('estimatedRequests'),
  };
}
