import * as assert from 'node:assert/strict';
import { SharedUsageStore } from '../../../src/core/reports/sharedUsageStore';
import {
  dayKey,
  priceFor,
  UsageCounter,
  type UsageData,
  type UsageStore,
} from '../../../src/core/reports/usageCounter';

class MemoryStore implements UsageStore {
  saved: UsageData | undefined;
  saves = 0;
  constructor(private readonly initial: unknown = undefined) {}
  load(): unknown {
    return this.initial;
  }
  save(data: UsageData): void {
    this.saved = data;
    this.saves++;
  }
}

/** A clock the test moves by hand. */
function clock(start: string) {
  let now = new Date(start);
  return {
    now: () => new Date(now.getTime()),
    advanceDays(days: number) {
      now = new Date(now.getTime());
      now.setDate(now.getDate() + days);
    },
  };
}

describe('UsageCounter', () => {
  it('adds prompt and completion tokens per day and per model', () => {
    const c = clock('2026-03-10T10:00:00');
    const counter = new UsageCounter(new MemoryStore(), { now: c.now });
    counter.record('gpt-3.5-turbo-instruct', { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 });
    counter.record('gpt-3.5-turbo-instruct', { prompt_tokens: 50, completion_tokens: 5 });
    counter.record('deepseek-chat', { prompt_tokens: 10, completion_tokens: 1 });
    const s = counter.summary();
    assert.deepEqual(
      { requests: s.today.requests, prompt: s.today.promptTokens, completion: s.today.completionTokens },
      { requests: 3, prompt: 160, completion: 26 },
    );
    assert.deepEqual(
      s.models.map((m) => [m.model, m.requests, m.promptTokens, m.completionTokens]),
      [
        ['gpt-3.5-turbo-instruct', 2, 150, 25],
        ['deepseek-chat', 1, 10, 1],
      ],
    );
  });

  it('keeps days apart and lists them newest first', () => {
    const c = clock('2026-03-10T23:30:00');
    const counter = new UsageCounter(new MemoryStore(), { now: c.now });
    counter.record('m', { prompt_tokens: 1, completion_tokens: 1 });
    c.advanceDays(1);
    counter.record('m', { prompt_tokens: 2, completion_tokens: 2 });
    counter.record('m', { prompt_tokens: 3, completion_tokens: 3 });
    const s = counter.summary();
    assert.deepEqual(
      s.days.map((d) => [d.day, d.requests, d.promptTokens]),
      [
        ['2026-03-11', 2, 5],
        ['2026-03-10', 1, 1],
      ],
    );
    assert.equal(s.today.promptTokens, 5);
    assert.equal(s.total.promptTokens, 6);
  });

  it('the summary period leaves out older days', () => {
    const c = clock('2026-03-01T12:00:00');
    const counter = new UsageCounter(new MemoryStore(), { now: c.now });
    counter.record('m', { prompt_tokens: 1000, completion_tokens: 0 });
    c.advanceDays(10);
    counter.record('m', { prompt_tokens: 1, completion_tokens: 0 });
    assert.equal(counter.summary({}, 7).total.promptTokens, 1);
    assert.equal(counter.summary({}, 30).total.promptTokens, 1001);
  });

  it('estimates cost from a price per 1K tokens, prompt and completion priced apart', () => {
    const counter = new UsageCounter(new MemoryStore(), { now: clock('2026-03-10T10:00:00').now });
    counter.record('gpt-3.5-turbo-instruct', { prompt_tokens: 2000, completion_tokens: 500 });
    const s = counter.summary({ 'gpt-3.5-turbo-instruct': { prompt: 0.0015, completion: 0.002 } });
    assert.ok(Math.abs(s.today.cost! - (2 * 0.0015 + 0.5 * 0.002)) < 1e-12, String(s.today.cost));
    assert.equal(s.today.costIncomplete, false);
  });

  it('uses `*` for models without their own price, and says when a model has none', () => {
    const counter = new UsageCounter(new MemoryStore(), { now: clock('2026-03-10T10:00:00').now });
    counter.record('a', { prompt_tokens: 1000, completion_tokens: 1000 });
    counter.record('b', { prompt_tokens: 1000, completion_tokens: 0 });
    const withStar = counter.summary({ a: 1, '*': 0.5 });
    assert.equal(withStar.total.cost, 2 + 0.5);
    assert.equal(withStar.total.costIncomplete, false);
    const withoutStar = counter.summary({ a: 1 });
    assert.equal(withoutStar.total.cost, 2);
    assert.equal(withoutStar.total.costIncomplete, true);
    assert.equal(withoutStar.models.find((m) => m.model === 'b')!.cost, undefined);
    assert.equal(counter.summary({}).total.cost, undefined);
  });

  it('reads a price with only one side as the price of both', () => {
    assert.deepEqual(priceFor({ m: { prompt: 0.01 } }, 'm'), { prompt: 0.01, completion: 0.01 });
    assert.deepEqual(priceFor({ m: { completion: 0.02 } }, 'm'), { prompt: 0.02, completion: 0.02 });
    assert.equal(priceFor({ m: { prompt: -1 } }, 'm'), undefined);
    assert.equal(priceFor({ m: Number.NaN }, 'm'), undefined);
    assert.equal(priceFor(undefined, 'm'), undefined);
  });

  it('derives completion tokens from total_tokens when only the total is given', () => {
    const counter = new UsageCounter(new MemoryStore(), { now: clock('2026-03-10T10:00:00').now });
    counter.record('m', { prompt_tokens: 30, total_tokens: 42 });
    assert.equal(counter.summary().today.completionTokens, 12);
  });

  it('estimates tokens from characters when the server reports no usage, and counts those requests', () => {
    const counter = new UsageCounter(new MemoryStore(), { now: clock('2026-03-10T10:00:00').now });
    counter.record('m', undefined, { promptChars: 35, completionChars: 7 });
    counter.record('m', {}, undefined);
    counter.record('m', { prompt_tokens: 5, completion_tokens: 5 }, { promptChars: 1e6, completionChars: 1e6 });
    const today = counter.summary().today;
    assert.equal(today.requests, 3);
    assert.equal(today.estimatedRequests, 2);
    assert.equal(today.promptTokens, 10 + 5);
    assert.equal(today.completionTokens, 2 + 5);
  });

  it('persists every record and reloads what it saved', () => {
    const c = clock('2026-03-10T10:00:00');
    const store = new MemoryStore();
    const counter = new UsageCounter(store, { now: c.now });
    counter.record('m', { prompt_tokens: 7, completion_tokens: 3 });
    assert.equal(store.saves, 1);
    const reloaded = new UsageCounter(new MemoryStore(JSON.parse(JSON.stringify(store.saved))), { now: c.now });
    assert.equal(reloaded.summary().today.promptTokens, 7);
    reloaded.record('m', { prompt_tokens: 1, completion_tokens: 0 });
    assert.equal(reloaded.summary().today.promptTokens, 8);
  });

  it('saves a copy, so the store never sees later changes through a shared object', () => {
    const store = new MemoryStore();
    const counter = new UsageCounter(store, { now: clock('2026-03-10T10:00:00').now });
    counter.record('m', { prompt_tokens: 1, completion_tokens: 0 });
    const first = store.saved!;
    counter.record('m', { prompt_tokens: 1, completion_tokens: 0 });
    assert.equal(first.days['2026-03-10']!.m!.promptTokens, 1);
  });

  it('drops days older than the retention period', () => {
    const c = clock('2026-01-01T12:00:00');
    const store = new MemoryStore();
    const counter = new UsageCounter(store, { now: c.now, retainDays: 3 });
    counter.record('m', { prompt_tokens: 1, completion_tokens: 0 });
    c.advanceDays(3);
    counter.record('m', { prompt_tokens: 1, completion_tokens: 0 });
    assert.deepEqual(Object.keys(store.saved!.days), ['2026-01-04']);
  });

  it('survives garbage in storage and a store that throws', () => {
    const c = clock('2026-03-10T10:00:00');
    const garbage = {
      days: { 'not-a-day': { m: { requests: 1 } }, '2026-03-10': { m: { requests: 'x', promptTokens: 4 }, bad: 7 } },
    };
    const counter = new UsageCounter(new MemoryStore(garbage), { now: c.now });
    assert.equal(counter.summary().today.promptTokens, 4);
    const throwing: UsageStore = {
      load: () => null,
      save: () => {
        throw new Error('disk full');
      },
    };
    const fragile = new UsageCounter(throwing, { now: c.now });
    assert.doesNotThrow(() => fragile.record('m', { prompt_tokens: 1, completion_tokens: 1 }));
    assert.equal(fragile.summary().today.requests, 1);
  });

  it('reset forgets everything', async () => {
    const store = new MemoryStore();
    const counter = new UsageCounter(store, { now: clock('2026-03-10T10:00:00').now });
    counter.record('m', { prompt_tokens: 1, completion_tokens: 1 });
    await counter.reset();
    assert.equal(counter.summary().total.requests, 0);
    assert.deepEqual(store.saved, { version: 1, days: {} });
  });

  it('names days by the local calendar', () => {
    assert.equal(dayKey(new Date(2026, 0, 5, 0, 30)), '2026-01-05');
    assert.equal(dayKey(new Date(2026, 11, 31, 23, 59)), '2026-12-31');
  });
});

describe('SharedUsageStore', () => {
  function sharedState() {
    const values = new Map<string, unknown>();
    return {
      get: (key: string) => values.get(key),
      update: (key: string, value: unknown) => {
        values.set(key, structuredClone(value));
        return Promise.resolve();
      },
    };
  }

  it('two windows add up their usage instead of one overwriting the other', async () => {
    const state = sharedState();
    const now = () => new Date(2026, 0, 15, 12);
    const storeA = new SharedUsageStore(state, 'infill.usage');
    const storeB = new SharedUsageStore(state, 'infill.usage');
    const windowA = new UsageCounter(storeA, { now });
    const windowB = new UsageCounter(storeB, { now });
    windowA.record('m', { prompt_tokens: 10, completion_tokens: 1 });
    windowA.record('m', { prompt_tokens: 10, completion_tokens: 1 });
    await storeA.flush();
    windowB.record('m', { prompt_tokens: 5, completion_tokens: 2 });
    await storeB.flush();
    windowA.record('m', { prompt_tokens: 1, completion_tokens: 1 });
    await storeA.flush();
    const reopened = new UsageCounter(new SharedUsageStore(state, 'infill.usage'), { now });
    const today = reopened.summary({}, 1).today;
    assert.equal(today.requests, 4);
    assert.equal(today.promptTokens, 26);
    assert.equal(today.completionTokens, 5);
  });
});
