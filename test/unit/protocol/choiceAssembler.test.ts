import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { ChoiceAssembler } from '../../../src/core/protocol/choiceAssembler';
import { InfillError } from '../../../src/core/infillError';
import { mergeLogprobs, normalizeLogprobs } from '../../../src/core/protocol/logprobs';

function feed(assembler: ChoiceAssembler, ...objects: unknown[]): string[] {
  return objects.map((o) => assembler.onEvent({ data: typeof o === 'string' ? o : JSON.stringify(o) }));
}

describe('ChoiceAssembler', () => {
  it('keeps the last non-null usage (include_usage sends null on every chunk but the last)', () => {
    const a = new ChoiceAssembler();
    feed(
      a,
      { choices: [{ index: 0, text: 'a' }], usage: null },
      { choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } },
      { choices: [], usage: null },
    );
    assert.deepEqual(a.result().usage, { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 });
  });

  it('an error object inside a data event is an error, typed by its code', () => {
    const a = new ChoiceAssembler();
    assert.throws(
      () => feed(a, { error: { code: 429, message: 'too many' } }),
      (err: unknown) => err instanceof InfillError && err.kind === 'rateLimited' && /too many/.test(err.message),
    );
  });

  it('ends early only while the server still generates: a client stop with the server finished too reads on', () => {
    const withServerFinish = new ChoiceAssembler({ clientStops: ['\n\n'] });
    assert.deepEqual(feed(withServerFinish, { choices: [{ index: 0, text: 'x\n\n', finish_reason: 'stop' }] }), [
      'more',
    ]);
    const midStream = new ChoiceAssembler({ clientStops: ['\n\n'] });
    assert.deepEqual(feed(midStream, { choices: [{ index: 0, text: 'x\n\ny' }] }), ['stop']);
    assert.equal(midStream.result().endedEarly, true);
  });

  it('waits for every expected choice before ending early', () => {
    const a = new ChoiceAssembler({ clientStops: [';'], expectedChoices: 2 });
    assert.deepEqual(feed(a, { choices: [{ index: 0, text: 'a;' }] }, { choices: [{ index: 1, text: 'b;' }] }), [
      'more',
      'stop',
    ]);
  });

  it('drops the logprobs of text cut away by a stop string', () => {
    const a = new ChoiceAssembler({ clientStops: [';'] });
    feed(a, {
      choices: [{ index: 0, text: 'ab;c', logprobs: { tokens: ['ab', ';', 'c'], token_logprobs: [-1, -2, -3] } }],
    });
    assert.deepEqual(
      a.result().choices[0]?.logprobs?.map((t) => t.token),
      ['ab'],
    );
  });

  it('a choice with a garbage index is read as index 0, not a crash', () => {
    const a = new ChoiceAssembler();
    feed(a, { choices: [{ index: -3, text: 'x' }, { index: 'one', text: 'y' }, null, 7] });
    assert.equal(a.result().choices[0]?.text, 'xy');
  });

  it('given arbitrary JSON in events, it throws nothing but the typed error', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.jsonValue(), fc.string()), { maxLength: 6 }), fc.boolean(), (values, asBody) => {
        const a = new ChoiceAssembler({
          clientStops: ['\n'],
          expectedChoices: 2,
          echoedPrompt: 'p',
          onProgress: () => 'continue',
        });
        try {
          if (asBody) a.onJsonBody(JSON.stringify(values), 'application/json');
          else for (const v of values) a.onEvent({ data: typeof v === 'string' ? v : JSON.stringify(v) });
          a.result();
        } catch (err) {
          assert.ok(err instanceof InfillError, `threw ${String(err)}`);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('given arbitrary completion-shaped objects, it never throws', () => {
    const choice = fc.record(
      {
        index: fc.oneof(fc.nat(3), fc.constant(null), fc.string()),
        text: fc.oneof(fc.string(), fc.constant(null), fc.integer()),
        finish_reason: fc.oneof(fc.constantFrom('stop', 'length', null), fc.string()),
        logprobs: fc.oneof(
          fc.constant(null),
          fc.record({
            tokens: fc.array(fc.oneof(fc.string(), fc.integer())),
            token_logprobs: fc.array(fc.oneof(fc.double(), fc.constant(null))),
          }),
          fc.record({
            content: fc.array(fc.record({ token: fc.oneof(fc.string(), fc.constant(null)), logprob: fc.double() })),
          }),
          fc.jsonValue(),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            choices: fc.array(choice, { maxLength: 3 }),
            usage: fc.oneof(fc.constant(null), fc.jsonValue()),
          }),
          { maxLength: 6 },
        ),
        (chunks) => {
          const a = new ChoiceAssembler({ clientStops: ['\n'], expectedChoices: 3 });
          for (const c of chunks) a.onEvent({ data: JSON.stringify(c) });
          for (const c of a.result().choices) assert.equal(c.text.includes('\n'), false);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('logprobs', () => {
  it('null and non-objects give undefined', () => {
    assert.equal(normalizeLogprobs(null), undefined);
    assert.equal(normalizeLogprobs('x'), undefined);
  });

  it('mergeLogprobs appends per-chunk lists and replaces a repeated full list', () => {
    const t = (token: string) => ({ token, logprob: -1 });
    assert.deepEqual(mergeLogprobs([t('a')], [t('a')], 'a', 'a'), [t('a'), t('a')]);
    const full = [t('a'), t('b'), t('c')];
    assert.deepEqual(mergeLogprobs(full, full, 'a', 'b'), full);
  });
});
