/**
 * Keystroke-to-ghost-text latency kept as counts in fixed bins: a day's worth of suggestions costs
 * a few dozen numbers in storage whatever the traffic, and bins add up across days, languages and
 * models, which a sample reservoir would not do exactly.
 */

/** Upper bounds (ms) of the bins; one more bin holds everything slower than the last bound. */
export const LATENCY_BOUNDS_MS: readonly number[] = [
  10, 20, 30, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000,
];

export const LATENCY_BINS = LATENCY_BOUNDS_MS.length + 1;

export function emptyHistogram(): number[] {
  return new Array<number>(LATENCY_BINS).fill(0);
}

export function addLatency(histogram: number[], ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) return;
  let bin = LATENCY_BOUNDS_MS.findIndex((bound) => ms <= bound);
  if (bin < 0) bin = LATENCY_BINS - 1;
  histogram[bin] = (histogram[bin] ?? 0) + 1;
}

export function mergeHistogram(into: number[], from: readonly number[]): void {
  for (let i = 0; i < LATENCY_BINS; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
}

export function histogramCount(histogram: readonly number[]): number {
  return histogram.reduce((a, b) => a + b, 0);
}

/**
 * The `q` quantile (0..1), interpolated linearly inside its bin; undefined without samples. The
 * open-ended last bin reports its lower bound: "slower than 10 s" is all that is known.
 */
export function latencyQuantile(histogram: readonly number[], q: number): number | undefined {
  const total = histogramCount(histogram);
  if (total === 0) return undefined;
  const rank = Math.min(Math.max(q, 0), 1) * total;
  let seen = 0;
  for (let i = 0; i < LATENCY_BINS; i++) {
    const n = histogram[i] ?? 0;
    if (n === 0) continue;
    if (seen + n >= rank) {
      const low = i === 0 ? 0 : LATENCY_BOUNDS_MS[i - 1]!;
      if (i === LATENCY_BINS - 1) return low;
      const high = LATENCY_BOUNDS_MS[i]!;
      return low + ((high - low) * Math.max(rank - seen, 0)) / n;
    }
    seen += n;
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1];
}
