import * as assert from 'node:assert/strict';
import {
  addLatency,
  emptyHistogram,
  histogramCount,
  LATENCY_BINS,
  LATENCY_BOUNDS_MS,
  latencyQuantile,
  mergeHistogram,
} from '../../../src/core/reports/latencyHistogram';

describe('latency histogram', () => {
  it('puts each sample in the bin its value falls in, ignoring nonsense', () => {
    const h = emptyHistogram();
    for (const ms of [0, 10, 10.5, 99, 100, 101, 1e9, -1, NaN, Infinity]) addLatency(h, ms);
    assert.equal(h.length, LATENCY_BINS);
    assert.equal(h[0], 2, '0 and 10 ms');
    assert.equal(h[1], 1, '10.5 ms');
    assert.equal(h[LATENCY_BOUNDS_MS.indexOf(100)], 2, '99 and 100 ms');
    assert.equal(h[LATENCY_BOUNDS_MS.indexOf(150)], 1, '101 ms');
    assert.equal(h[LATENCY_BINS - 1], 1, 'over the last bound');
    assert.equal(histogramCount(h), 7);
  });

  it('gives quantiles close to the samples, and none without samples', () => {
    const h = emptyHistogram();
    assert.equal(latencyQuantile(h, 0.5), undefined);
    // 90 fast answers around 40 ms, 10 slow ones around 900 ms.
    for (let i = 0; i < 90; i++) addLatency(h, 40);
    for (let i = 0; i < 10; i++) addLatency(h, 900);
    const p50 = latencyQuantile(h, 0.5)!;
    const p90 = latencyQuantile(h, 0.9)!;
    const p99 = latencyQuantile(h, 0.99)!;
    assert.ok(p50 > 30 && p50 <= 50, `p50 ${p50}`);
    assert.ok(p90 > 30 && p90 <= 50, `p90 ${p90}: the 90th of 100 samples is still a fast one`);
    assert.ok(p99 > 750 && p99 <= 1000, `p99 ${p99}`);
  });

  it('merges bins, so days and models add up exactly', () => {
    const a = emptyHistogram();
    const b = emptyHistogram();
    addLatency(a, 5);
    addLatency(b, 5);
    addLatency(b, 3000);
    mergeHistogram(a, b);
    assert.equal(histogramCount(a), 3);
    assert.equal(a[0], 2);
    assert.equal(latencyQuantile(a, 1), 3000, 'the top of the 2-3 s bin');
  });
});
