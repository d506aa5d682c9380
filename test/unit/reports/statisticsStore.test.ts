import * as assert from 'node:assert/strict';
import { LATENCY_BINS } from '../../../src/core/reports/latencyHistogram';
import {
  sanitizeStatistics,
  StatisticsStore,
  type StatisticsData,
  type StatisticsPersistence,
} from '../../../src/core/reports/statisticsStore';

class MemoryPersistence implements StatisticsPersistence {
  saved: StatisticsData | undefined;
  constructor(private readonly initial: unknown = undefined) {}
  load(): unknown {
    return this.initial;
  }
  save(data: StatisticsData): void {
    this.saved = data;
  }
}

/** Runs `fn` with the process in time zone `tz` (Node re-reads TZ when it changes). */
function inTimeZone(tz: string, fn: () => void): void {
  const before = process.env.TZ;
  process.env.TZ = tz;
  try {
    fn();
  } finally {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  }
}

describe('StatisticsStore', () => {
  it('adds counts per day and per language and model, and sums them by language, model and day', () => {
    let now = new Date(2026, 2, 10, 12, 0);
    const store = new StatisticsStore(new MemoryPersistence(), { now: () => now });
    store.add('python', 'model-a', { shown: 1, suggestionsAccepted: 1, acceptedFully: 1, charsAccepted: 12 }, 180);
    store.add('python', 'model-b', { shown: 1 }, 400);
    store.add('typescript', 'model-a', { shown: 2, requestsSent: 3, servedLocally: 4 });
    now = new Date(2026, 2, 11, 9, 0);
    store.add('python', 'model-a', { shown: 1, acceptedPartly: 2, suggestionsAccepted: 1, charsAccepted: 5 });
    const s = store.summary(30);
    assert.equal(s.days.length, 30, 'every day of the period, for the chart');
    assert.equal(s.days.at(-1)!.day, '2026-03-11');
    assert.equal(s.days.at(-2)!.shown, 4);
    assert.equal(s.today.shown, 1);
    assert.equal(s.today.acceptedPartly, 2);
    assert.equal(s.today.acceptanceRate, 1);
    assert.deepEqual(
      s.languages.map((l) => [l.language, l.shown, l.charsAccepted]),
      [
        ['python', 3, 17],
        ['typescript', 2, 0],
      ],
    );
    const a = s.models.find((m) => m.model === 'model-a')!;
    assert.equal(a.shown, 4);
    assert.equal(a.requestsSent, 3);
    assert.equal(a.servedLocally, 4);
    assert.equal(a.acceptanceRate, 2 / 4);
    assert.equal(s.total.shown, 5);
    assert.equal(s.total.latencySamples, 2);
    assert.ok(s.total.latencyP50! > 150 && s.total.latencyP50! <= 200, `p50 ${s.total.latencyP50}`);
    assert.ok(s.total.latencyP90! > 300 && s.total.latencyP90! <= 400, `p90 ${s.total.latencyP90}`);
  });

  it('has no acceptance rate or latency for a day without suggestions, and never a rate over 100 %', () => {
    const store = new StatisticsStore(new MemoryPersistence(), { now: () => new Date(2026, 2, 10, 12) });
    assert.equal(store.summary().today.acceptanceRate, undefined);
    assert.equal(store.summary().today.latencyP50, undefined);
    // Shown yesterday, accepted today: today's rate is capped.
    store.add('python', 'm', { suggestionsAccepted: 1, acceptedFully: 1 });
    assert.equal(store.summary().today.acceptanceRate, undefined);
    store.add('python', 'm', { shown: 1, suggestionsAccepted: 1 });
    assert.equal(store.summary().today.acceptanceRate, 1);
  });

  it('counts a day by the local calendar: 23:59 and 00:01 local are different days, whatever UTC says', () => {
    inTimeZone('Asia/Shanghai', () => {
      // 2026-03-10 23:59 in Shanghai is 15:59 UTC; 00:01 the next day is 16:01 UTC, the same UTC day.
      let now = new Date('2026-03-10T15:59:00Z');
      const store = new StatisticsStore(new MemoryPersistence(), { now: () => now });
      store.add('python', 'm', { shown: 1 });
      now = new Date('2026-03-10T16:01:00Z');
      store.add('python', 'm', { shown: 2 });
      const days = store.summary(2).days;
      assert.deepEqual(
        days.map((d) => [d.day, d.shown]),
        [
          ['2026-03-10', 1],
          ['2026-03-11', 2],
        ],
      );
    });
    inTimeZone('America/Los_Angeles', () => {
      // 2026-03-10 17:00 in Los Angeles is already 2026-03-11 in UTC.
      const store = new StatisticsStore(new MemoryPersistence(), { now: () => new Date('2026-03-11T00:30:00Z') });
      store.add('python', 'm', { shown: 1 });
      assert.equal(store.summary(1).days[0]!.day, '2026-03-10');
    });
  });

  it('keeps days across a daylight-saving change and drops those older than retainDays', () => {
    inTimeZone('Europe/Berlin', () => {
      // Clocks went forward on 2026-03-29 in Berlin: a 23-hour day must still be one day.
      let now = new Date(2026, 2, 28, 12);
      const persistence = new MemoryPersistence();
      const store = new StatisticsStore(persistence, { now: () => now, retainDays: 3 });
      store.add('go', 'm', { shown: 1 });
      now = new Date(2026, 2, 29, 23, 30);
      store.add('go', 'm', { shown: 1 });
      now = new Date(2026, 2, 30, 0, 30);
      store.add('go', 'm', { shown: 1 });
      assert.deepEqual(Object.keys(persistence.saved!.days).sort(), ['2026-03-28', '2026-03-29', '2026-03-30']);
      now = new Date(2026, 2, 31, 8);
      store.add('go', 'm', { shown: 1 });
      assert.deepEqual(Object.keys(persistence.saved!.days).sort(), ['2026-03-29', '2026-03-30', '2026-03-31']);
    });
  });

  it('starts empty from a corrupt store and keeps what is well-formed', () => {
    for (const garbage of [null, 42, 'text', [], { days: 'x' }, { version: 1, days: [1, 2] }]) {
      const store = new StatisticsStore(new MemoryPersistence(garbage), { now: () => new Date(2026, 2, 10) });
      assert.equal(store.summary().total.shown, 0, JSON.stringify(garbage));
    }
    const mixed = {
      version: 1,
      days: {
        '2026-03-10': {
          'python\u0000m': { shown: 3, acceptedFully: -2, charsAccepted: 'many', latency: [1, 2] },
          'go\u0000m': null,
          'rust\u0000m': [1, 2, 3],
        },
        'not-a-day': { 'python\u0000m': { shown: 99 } },
      },
    };
    const store = new StatisticsStore(new MemoryPersistence(mixed), { now: () => new Date(2026, 2, 10, 12) });
    const s = store.summary(1);
    assert.equal(s.total.shown, 3);
    assert.equal(s.total.acceptedFully, 0, 'a negative count is not a count');
    assert.equal(s.total.charsAccepted, 0);
    assert.equal(s.total.latencySamples, 0, 'a histogram of the wrong size is dropped');
    assert.deepEqual(
      s.languages.map((l) => l.language),
      ['python'],
    );
  });

  it('reads a store from an older version: counts kept, a histogram it cannot place dropped', () => {
    const older = {
      days: {
        '2026-03-10': {
          'python\u0000m': { shown: 4, suggestionsAccepted: 2, latency: new Array<number>(LATENCY_BINS).fill(1) },
        },
      },
    };
    const persistence = new MemoryPersistence(older);
    const store = new StatisticsStore(persistence, { now: () => new Date(2026, 2, 10, 12) });
    assert.equal(store.summary(1).today.shown, 4);
    assert.equal(store.summary(1).today.acceptanceRate, 0.5);
    assert.equal(store.summary(1).today.latencySamples, 0);
    store.add('python', 'm', { shown: 1 }, 50);
    assert.equal(persistence.saved!.version, 1, 'saved in the current version');
    assert.equal(persistence.saved!.days['2026-03-10']!['python\u0000m']!.shown, 5);
    // What this version wrote reads back the same.
    const again = sanitizeStatistics(JSON.parse(JSON.stringify(persistence.saved)));
    assert.deepEqual(again, persistence.saved);
  });

  it('survives storage that throws and forgets everything on reset', async () => {
    const failing: StatisticsPersistence = {
      load: () => {
        throw new Error('disk');
      },
      save: () => {
        throw new Error('disk full');
      },
    };
    const store = new StatisticsStore(failing, { now: () => new Date(2026, 2, 10, 12) });
    store.add('python', 'm', { shown: 1 });
    assert.equal(store.summary(1).today.shown, 1, 'kept in memory');
    const persistence = new MemoryPersistence();
    const other = new StatisticsStore(persistence, { now: () => new Date(2026, 2, 10, 12) });
    other.add('python', 'm', { shown: 1 });
    const revision = other.revision;
    await other.reset();
    assert.equal(other.summary(1).today.shown, 0);
    assert.deepEqual(persistence.saved, { version: 1, days: {} });
    assert.ok(other.revision > revision);
  });
});
