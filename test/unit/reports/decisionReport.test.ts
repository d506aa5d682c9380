import * as assert from 'node:assert/strict';
import {
  describeChange,
  formatDecisionReport,
  type ReportableDecision,
} from '../../../src/core/reports/decisionReport';
import { newDecision, withResponse } from '../../../src/core/reports/decisionRecord';

const shown: ReportableDecision = {
  outcome: 'shown',
  reason: 'ok',
  model: 'qwen2.5-coder:1.5b',
  promptChars: 1234,
  suffixChars: 56,
  rawText: 'a + b\n\n',
  finishReason: 'stop',
  status: 200,
  headersMs: 41.6,
  firstTokenMs: 80.2,
  totalMs: 150.9,
};

describe('formatDecisionReport', () => {
  it('says what was sent, what came back and the timings', () => {
    const text = formatDecisionReport(shown, {
      documentName: 'src/add.py',
      languageId: 'python',
      endpoint: 'http://127.0.0.1:11434/v1/completions',
      parameters: { max_tokens: 128, temperature: 0.2, stop: ['\n\n'] },
      shownText: 'a + b',
      usage: { prompt_tokens: 300, completion_tokens: 4 },
    });
    for (const part of [
      'src/add.py (python)',
      'Outcome: shown',
      'Model: qwen2.5-coder:1.5b',
      'Prompt: 1234 characters',
      'Suffix: 56 characters',
      'http://127.0.0.1:11434/v1/completions',
      '`max_tokens`: `128`',
      '`stop`: `["\\n\\n"]`',
      'HTTP status: 200',
      'Finish reason: stop',
      'Time to first byte: 42 ms',
      'Time to first token: 80 ms',
      'Total time: 151 ms',
      'Tokens: 300 prompt, 4 completion',
      'Trailing whitespace was removed (2 characters).',
    ]) {
      assert.ok(text.includes(part), `report contains ${JSON.stringify(part)}:\n${text}`);
    }
  });

  it('never shows the key, neither as a parameter nor inside a message', () => {
    const decision: ReportableDecision = {
      ...shown,
      outcome: 'error',
      reason: 'HTTP 401: Incorrect API key provided: sk-live-abcdef1234567890',
      apiKey: 'sk-live-abcdef1234567890',
    };
    const text = formatDecisionReport(decision, {
      parameters: {
        headers: { authorization: 'Bearer sk-live-abcdef1234567890' },
        api_key: 'sk-live-abcdef1234567890',
        max_tokens: 5,
      },
      secrets: ['sk-live-abcdef1234567890'],
    });
    assert.ok(!text.includes('abcdef1234567890'), text);
    assert.ok(text.includes('`max_tokens`: `5`'));
  });

  it('explains a decision made before any request', () => {
    const text = formatDecisionReport({ outcome: 'skipped', reason: 'python is off in infill.languages' });
    assert.match(text, /Outcome: not requested/);
    assert.match(text, /python is off in infill.languages/);
    assert.match(text, /Nothing was sent/);
    assert.match(text, /No answer from the server/);
  });

  it('says nothing was sent for a skipped decision that names the model and the window it read', () => {
    const text = formatDecisionReport(
      newDecision('qwen', 'skipped', 'midLineGate', 'mid-line', { promptChars: 120, suffixChars: 30 }),
    );
    assert.match(text, /Nothing was sent/);
    assert.doesNotMatch(text, /Prompt: 120 characters/);
  });

  it('says so when there is no decision yet', () => {
    assert.match(formatDecisionReport(undefined), /No completion has been requested in this editor yet/);
  });

  it('keeps model output inside its code fence even when it contains backticks', () => {
    const text = formatDecisionReport({ ...shown, rawText: 'x = ```\n```' }, { shownText: 'x = ```\n```' });
    assert.ok(text.includes('````\nx = ```\n```\n````'), text);
  });

  it('lists extra plain fields the engine adds, skipping objects and secret-looking names', () => {
    const text = formatDecisionReport({
      ...shown,
      gate: 'mid-line',
      cacheHit: true,
      nested: { a: 1 },
      authToken: 'zzz',
    });
    assert.match(text, /`gate`: `mid-line`/);
    assert.match(text, /`cacheHit`: `true`/);
    assert.ok(!text.includes('nested'));
    assert.ok(!text.includes('zzz'));
  });

  it('lists the post-processing filters that changed the text, in order', () => {
    const text = formatDecisionReport({
      ...shown,
      rawText: 'a + b)\nfoo',
      shownText: 'a + b',
      postprocessSteps: [
        { filter: 'singleLine', result: 'a + b)' },
        { filter: 'suffixOverlap', result: 'a + b' },
      ],
    });
    const at = (s: string) => text.indexOf(s);
    assert.ok(at('`singleLine`: `a + b)`') > 0 && at('`suffixOverlap`: `a + b`') > at('`singleLine`'), text);
    assert.ok(!text.includes('postprocessSteps'), 'not repeated under other details');
    const dropped = formatDecisionReport({
      ...shown,
      outcome: 'empty',
      postprocessSteps: [{ filter: 'duplicateOfNextLine', result: null }],
    });
    assert.match(dropped, /`duplicateOfNextLine`: dropped the completion/);
  });

  it('translates through the function it is given', () => {
    const text = formatDecisionReport(
      shown,
      {},
      (m, ...a) => `[${m.replace(/\{(\d+)\}/g, (_x, i: string) => String(a[Number(i)]))}]`,
    );
    assert.ok(text.includes('[Model: qwen2.5-coder:1.5b]'), text);
  });
});

describe('describeChange', () => {
  it('names each kind of change', () => {
    assert.match(describeChange('abc', 'abc'), /Unchanged/);
    assert.match(describeChange('abc', ''), /nothing was shown/);
    assert.match(describeChange('a\nb\nc', 'a'), /Cut short: the last 4 characters \(2 line breaks\)/);
    assert.match(describeChange('abc  ', 'abc'), /Trailing whitespace/);
    assert.match(describeChange('abc)', 'xyz'), /Rewritten: 4 characters came back, 3 were shown/);
    assert.match(describeChange('abc', undefined), /did not record/);
  });
});

describe('newDecision + withResponse', () => {
  it('records what the caller knows and what the server answered, in one shape', () => {
    const base = newDecision('m', 'shown', 'shown', 'ok', { promptChars: 10, command: 'Complete at Cursor' });
    assert.deepEqual(
      { ...base },
      {
        outcome: 'shown',
        reasonCode: 'shown',
        reason: 'ok',
        source: 'network',
        model: 'm',
        promptChars: 10,
        suffixChars: 0,
        command: 'Complete at Cursor',
      },
    );
    const answered = withResponse(base, {
      status: 200,
      choices: [{ index: 0, text: 'x + 1', finishReason: 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 2 },
      timing: { headersMs: 4, firstTokenMs: 6, totalMs: 9 },
      endedEarly: false,
      streamed: true,
      attempts: 1,
    });
    assert.equal(answered.rawText, 'x + 1');
    assert.equal(answered.finishReason, 'stop');
    assert.equal(answered.status, 200);
    assert.equal(answered.firstTokenMs, 6);
    assert.deepEqual(answered.usage, { prompt_tokens: 5, completion_tokens: 2 });
    assert.equal(answered.choices, 1);
    assert.equal(answered.command, 'Complete at Cursor');
  });
});
