import * as assert from 'node:assert/strict';
import { StatisticsStore, type StatisticsPersistence } from '../../../src/core/reports/statisticsStore';
import { SuggestionTracker, type ProvidedAnswer } from '../../../src/core/reports/suggestionTracker';

const memory: () => StatisticsPersistence = () => ({ load: () => undefined, save: () => undefined });

function setup() {
  const store = new StatisticsStore(memory(), { now: () => new Date(2026, 2, 10, 12) });
  const tracker = new SuggestionTracker(store, { shownAfterMs: 100 });
  const today = () => store.summary(1).today;
  /** An answer for doc A at `offset`, asked at `t` and answered 30 ms later. */
  const answer = (t: number, offset: number, text: string | undefined, extra: Partial<ProvidedAnswer> = {}) => {
    tracker.callStarted(extra.documentId ?? 'A', t);
    return tracker.provided({
      documentId: 'A',
      languageId: 'python',
      model: 'model-a',
      askedAt: t,
      startedAt: t,
      returnedAt: t + 30,
      offset,
      ...(text !== undefined ? { text } : {}),
      ...extra,
    });
  };
  return { store, tracker, today, answer };
}

describe('SuggestionTracker', () => {
  it('counts an answer as shown once it has been on screen for 100 ms, with its latency', () => {
    const { tracker, today, answer } = setup();
    assert.ok(answer(1000, 10, 'print(x)'));
    tracker.settle(1100);
    assert.equal(today().shown, 0, 'not yet: 70 ms on screen');
    tracker.settle(1130);
    assert.equal(today().shown, 1);
    assert.equal(today().latencySamples, 1);
    assert.ok(today().latencyP50! > 20 && today().latencyP50! <= 30, `latency ${today().latencyP50}`);
    tracker.settle(5000);
    assert.equal(today().shown, 1, 'counted once');
  });

  it('an answer superseded within 100 ms by a different one is not shown; the one that stays is', () => {
    const { tracker, today, answer } = setup();
    answer(1000, 10, 'foo()');
    answer(1080, 11, 'bar()'); // the next keystroke, 50 ms after the first answer came
    tracker.settle(1300);
    assert.equal(today().shown, 1);
    // Superseded after its 100 ms: both count.
    answer(2000, 12, 'baz()');
    answer(2200, 13, 'qux()');
    tracker.settle(3000);
    assert.equal(today().shown, 3);
  });

  it('an empty answer within 100 ms also supersedes; a cancelled one says nothing', () => {
    const { tracker, today, answer } = setup();
    answer(1000, 10, 'foo()');
    answer(1050, 11, undefined);
    tracker.settle(2000);
    assert.equal(today().shown, 0);
    answer(3000, 20, 'foo()');
    answer(3040, 21, undefined, { cancelled: true });
    tracker.settle(4000);
    assert.equal(today().shown, 1);
  });

  it('waits for a newer call that began inside the window before deciding', () => {
    const { tracker, today, answer } = setup();
    answer(1000, 10, 'foo()');
    tracker.callStarted('A', 1060); // a keystroke 30 ms after the answer; its answer is not in yet
    tracker.settle(1200);
    assert.equal(today().shown, 0, 'still contested');
    tracker.provided({
      documentId: 'A',
      languageId: 'python',
      model: 'model-a',
      askedAt: 1060,
      startedAt: 1060,
      returnedAt: 1250,
      offset: 11,
      text: 'other()',
    });
    tracker.settle(1400);
    assert.equal(today().shown, 1, 'only the answer that replaced it');
  });

  it('typing into a suggestion continues it: the same id, counted once', () => {
    const { tracker, today, answer } = setup();
    const id = answer(1000, 10, 'sum(items) * 2');
    assert.equal(answer(1010, 11, 'um(items) * 2'), id, 'one character typed, 20 ms later');
    assert.equal(answer(1020, 12, 'm(items)'), id, 'a shorter rest still continues it');
    tracker.settle(2000);
    assert.equal(today().shown, 1);
    // Typed to its end: what comes next is a new suggestion.
    assert.notEqual(answer(3000, 24, 'print(total)'), id);
    tracker.settle(4000);
    assert.equal(today().shown, 2);
  });

  it('word accepts then Tab: shown 1, accepted partly 2, accepted fully 1, characters as inserted', () => {
    const { tracker, today, answer } = setup();
    const text = 'return total + count';
    const id = answer(1000, 40, text)!;
    // Accept "return " at once (before the 100 ms): being accepted proves it was seen.
    assert.equal(tracker.partlyAccepted('A', 40, 'return ', 7), 'partly');
    assert.equal(today().shown, 1);
    assert.equal(answer(1050, 47, 'total + count'), id, 'the cache serves the rest: same suggestion');
    assert.equal(tracker.partlyAccepted('A', 47, 'total ', 6), 'partly');
    assert.equal(answer(1100, 53, '+ count'), id);
    assert.equal(tracker.fullyAccepted(id, 7), true);
    const t = today();
    assert.deepEqual(
      [t.shown, t.acceptedPartly, t.acceptedFully, t.suggestionsAccepted, t.charsAccepted, t.acceptanceRate],
      [1, 2, 1, 1, 20, 1],
    );
    tracker.settle(9000);
    assert.equal(today().shown, 1, 'not counted again later');
  });

  it('a word accept that takes all that is left is left to the item command (no double count)', () => {
    const { tracker, today, answer } = setup();
    const id = answer(1000, 0, 'value')!;
    assert.equal(tracker.partlyAccepted('A', 0, 'value', 5), 'rest');
    assert.equal(today().acceptedPartly, 0);
    tracker.fullyAccepted(id, 5);
    assert.equal(today().acceptedFully, 1);
    assert.equal(today().charsAccepted, 5);
  });

  it("ignores accepts of text that is not Infill's suggestion (another extension's ghost text)", () => {
    const { tracker, today, answer } = setup();
    answer(1000, 10, 'foo(bar)');
    assert.equal(tracker.partlyAccepted('A', 10, 'baz', 3), 'notOurs');
    assert.equal(tracker.partlyAccepted('A', 5, 'foo', 3), 'notOurs');
    assert.equal(tracker.partlyAccepted('B', 10, 'foo', 3), 'notOurs');
    assert.equal(tracker.fullyAccepted('no-such-id', 3), false);
    tracker.settle(2000);
    const t = today();
    assert.deepEqual([t.shown, t.acceptedPartly, t.acceptedFully, t.charsAccepted], [1, 0, 0, 0]);
  });

  it('an accepted suggestion counts once in the rate; unaccepted ones lower it', () => {
    const { tracker, today, answer } = setup();
    const first = answer(1000, 0, 'alpha beta')!;
    tracker.partlyAccepted('A', 0, 'alpha ', 6);
    tracker.fullyAccepted(first, 4);
    answer(2000, 10, 'gamma');
    answer(3000, 20, 'delta');
    const last = answer(4000, 30, 'omega')!;
    tracker.fullyAccepted(last);
    tracker.settle(5000);
    const t = today();
    assert.equal(t.shown, 4);
    assert.equal(t.suggestionsAccepted, 2);
    assert.equal(t.acceptanceRate, 0.5);
    assert.equal(t.charsAccepted, 6 + 4 + 5, 'a full accept without a known edit counts the text');
  });

  it('counts requests sent and answers served locally per language and model', () => {
    const { store, answer } = setup();
    answer(1000, 0, 'a', { requestsSent: 2 });
    answer(1010, 1, undefined, { servedLocally: 1, languageId: 'go' });
    answer(1020, 2, undefined, { cancelled: true, requestsSent: 1 });
    const s = store.summary(1);
    assert.equal(s.total.requestsSent, 3);
    assert.equal(s.total.servedLocally, 1);
    assert.deepEqual(s.languages.map((l) => [l.language, l.requestsSent, l.servedLocally]).sort(), [
      ['go', 0, 1],
      ['python', 3, 0],
    ]);
  });

  it('closing a document counts what had its time on screen and forgets the rest', () => {
    const { tracker, today, answer } = setup();
    answer(1000, 0, 'abc');
    tracker.forget('A', 1050);
    assert.equal(today().shown, 0);
    answer(2000, 0, 'abc');
    tracker.forget('A', 2500);
    assert.equal(today().shown, 1);
    tracker.settle(9000);
    assert.equal(today().shown, 1);
  });
});
