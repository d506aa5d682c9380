import * as assert from 'node:assert/strict';
import { DebouncePolicy, MAX_AUTO_MS, parseDebounceSetting } from '../../../src/core/engine/debouncePolicy';
import { midLineGate } from '../../../src/core/engine/triggerGate';

describe('midLineGate', () => {
  for (const rest of ['', '   ', ')', '])', '}', '"', "')", '`', ';', ',', ':', ' );']) {
    it(`asks before ${JSON.stringify(rest)}`, () => assert.deepEqual(midLineGate(rest, 'automatic'), { ask: true }));
  }
  for (const rest of ['bar)', ' + 1', 'x', '.foo()']) {
    it(`waits before ${JSON.stringify(rest)}`, () => {
      const v = midLineGate(rest, 'automatic');
      assert.equal(v.ask, false);
      if (!v.ask) assert.match(v.reason, /mid-line/);
    });
  }
  it('asks anyway on an explicit request', () => assert.deepEqual(midLineGate('bar)', 'invoke'), { ask: true }));
});

describe('DebouncePolicy', () => {
  const ctx = { trigger: 'automatic' as const, linePrefix: 'let value = comp', lineSuffix: '', paid: false };
  it('reads the setting as a number or auto', () => {
    assert.equal(parseDebounceSetting(120), 120);
    assert.equal(parseDebounceSetting('80'), 80);
    assert.equal(parseDebounceSetting('auto'), 'auto');
    assert.equal(parseDebounceSetting('fast'), 'auto');
    assert.equal(parseDebounceSetting(-5), 0);
  });
  it('asks at once on Invoke and waits the fixed time otherwise', () => {
    const p = new DebouncePolicy(() => 0);
    assert.equal(p.delayFor(200, { ...ctx, trigger: 'invoke' }).ms, 0);
    assert.equal(p.delayFor(200, ctx).ms, 200);
    assert.equal(p.delayFor(0, ctx).ms, 0);
  });
  it('auto asks at once after a trigger character or on a fresh line', () => {
    const p = new DebouncePolicy(() => 0);
    for (const linePrefix of ['foo.', 'call(', 'x = ', '    ', 'a, '])
      assert.equal(p.delayFor('auto', { ...ctx, linePrefix }).ms, 0, linePrefix);
  });
  it('auto waits longer mid-word for a slow server than for a fast one, and follows typing speed', () => {
    let now = 0;
    const p = new DebouncePolicy(() => now);
    for (let i = 0; i < 20; i++) {
      now += 100;
      p.noteKeystroke();
    }
    for (let i = 0; i < 20; i++) p.noteLatency(50);
    const fast = p.delayFor('auto', ctx).ms;
    for (let i = 0; i < 20; i++) p.noteLatency(2000);
    const slow = p.delayFor('auto', ctx).ms;
    assert.ok(slow > fast, `${slow} > ${fast}`);
    assert.ok(slow <= MAX_AUTO_MS);
    for (let i = 0; i < 20; i++) {
      now += 300;
      p.noteKeystroke();
    }
    assert.ok(p.delayFor('auto', ctx).ms > slow, 'slower typist, longer wait');
    assert.ok(
      p.delayFor('auto', { ...ctx, paid: true }).ms >= p.typingGapMs ||
        p.delayFor('auto', { ...ctx, paid: true }).ms === MAX_AUTO_MS,
    );
  });
});
