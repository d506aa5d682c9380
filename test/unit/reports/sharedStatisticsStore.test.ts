import * as assert from 'node:assert/strict';
import { SharedStatisticsStore } from '../../../src/core/reports/sharedStatisticsStore';
import { StatisticsStore, type StatisticsData } from '../../../src/core/reports/statisticsStore';

/** globalState as two windows see it: one map behind both. */
class SharedMap {
  value: unknown;
  writes = 0;
  get(): unknown {
    return this.value === undefined ? undefined : JSON.parse(JSON.stringify(this.value));
  }
  update(_key: string, value: unknown): Promise<void> {
    this.value = JSON.parse(JSON.stringify(value));
    this.writes++;
    return Promise.resolve();
  }
}

const now = () => new Date(2026, 2, 10, 12);
const stored = (m: SharedMap) => (m.value as StatisticsData).days['2026-03-10']!['python\u0000m']!;

function window(state: SharedMap) {
  const persistence = new SharedStatisticsStore(state, 'infill.statistics', 60_000);
  return { persistence, store: new StatisticsStore(persistence, { now }) };
}

describe('SharedStatisticsStore', () => {
  it('adds two windows up instead of the later write replacing the other', async () => {
    const state = new SharedMap();
    const a = window(state);
    const b = window(state);
    a.store.add('python', 'm', { shown: 2, suggestionsAccepted: 1 }, 40);
    b.store.add('python', 'm', { shown: 3 }, 400);
    await a.persistence.flush();
    await b.persistence.flush();
    assert.equal(stored(state).shown, 5);
    assert.equal(stored(state).suggestionsAccepted, 1);
    assert.equal(
      stored(state).latency.reduce((x, y) => x + y, 0),
      2,
      'latency samples of both windows',
    );
    // A second write adds only what was counted since the first.
    a.store.add('python', 'm', { shown: 1 });
    await a.persistence.flush();
    assert.equal(stored(state).shown, 6);
    // A window started now reads the sum.
    assert.equal(window(state).store.summary(1).today.shown, 6);
  });

  it('writes once per delay, not per count', async () => {
    const state = new SharedMap();
    const a = window(state);
    for (let i = 0; i < 50; i++) a.store.add('python', 'm', { shown: 1 });
    assert.equal(state.writes, 0);
    await a.persistence.flush();
    assert.equal(state.writes, 1);
    assert.equal(stored(state).shown, 50);
  });

  it('reset clears what every window stored; later counts are added again', async () => {
    const state = new SharedMap();
    const a = window(state);
    const b = window(state);
    a.store.add('python', 'm', { shown: 2 });
    b.store.add('python', 'm', { shown: 3 });
    await a.persistence.flush();
    await b.persistence.flush();
    await a.store.reset();
    assert.deepEqual(state.value, { version: 1, days: {} });
    b.store.add('python', 'm', { shown: 1 });
    await b.persistence.flush();
    assert.equal(stored(state).shown, 1, 'only what the other window counted after the reset');
  });

  it('starts from nothing when the stored value is corrupt, and overwrites it well-formed', async () => {
    const state = new SharedMap();
    state.value = { version: 1, days: { '2026-03-10': 'garbage' } };
    const a = window(state);
    assert.equal(a.store.summary(1).today.shown, 0);
    a.store.add('python', 'm', { shown: 1 });
    await a.persistence.flush();
    assert.equal(stored(state).shown, 1);
  });
});
