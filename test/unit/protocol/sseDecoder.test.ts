import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { InfillError } from '../../../src/core/infillError';
import { SseDecoder, type SseEvent } from '../../../src/core/protocol/sseDecoder';

function decodeAll(pieces: (string | Uint8Array)[]): SseEvent[] {
  const decoder = new SseDecoder();
  const events: SseEvent[] = [];
  for (const p of pieces) events.push(...decoder.push(typeof p === 'string' ? Buffer.from(p, 'utf8') : p));
  events.push(...decoder.end());
  return events;
}

describe('SseDecoder', () => {
  it('decodes data events and the [DONE] marker', () => {
    const events = decodeAll(['data: {"a":1}\n\ndata: [DONE]\n\n']);
    assert.deepEqual(events, [{ data: '{"a":1}' }, { data: '[DONE]' }]);
  });

  it('yields the same events when a line is split in the middle', () => {
    const events = decodeAll(['da', 'ta: {"te', 'xt":"x"}\n', '\ndata: [DONE]\n\n']);
    assert.deepEqual(events, [{ data: '{"text":"x"}' }, { data: '[DONE]' }]);
  });

  it('reassembles a UTF-8 character split across chunks', () => {
    const whole = Buffer.from('data: {"text":"日本語"}\n\n', 'utf8');
    const cut = whole.indexOf(Buffer.from('本')) + 1; // inside the 3-byte character
    const events = decodeAll([whole.subarray(0, cut), whole.subarray(cut)]);
    assert.deepEqual(events, [{ data: '{"text":"日本語"}' }]);
  });

  it('ignores keep-alive comments but counts them', () => {
    const decoder = new SseDecoder();
    const events = decoder.push(Buffer.from(': keep-alive\n\ndata: x\n\n: ping\n\n'));
    assert.deepEqual(events, [{ data: 'x' }]);
    assert.equal(decoder.commentCount, 2);
  });

  it('keeps the event name (llama.cpp error events)', () => {
    assert.deepEqual(decodeAll(['event: error\ndata: {"message":"boom"}\n\n']), [
      { event: 'error', data: '{"message":"boom"}' },
    ]);
  });

  it('flushes a last event that lacks its blank line at the end of the body', () => {
    assert.deepEqual(decodeAll(['data: {"last":true}']), [{ data: '{"last":true}' }]);
  });

  it('handles CRLF line endings', () => {
    assert.deepEqual(decodeAll(['data: a\r\n\r\ndata: b\r\n\r\n']), [{ data: 'a' }, { data: 'b' }]);
  });

  it('fails with a typed protocol error on an unbounded line', () => {
    const decoder = new SseDecoder(1024);
    assert.throws(
      () => decoder.push(Buffer.from('data: ' + 'x'.repeat(5000))),
      (err: unknown) => err instanceof InfillError && err.kind === 'protocol',
    );
  });

  it("turns llama.cpp's `error:` line into an error event (a strict parser would drop it)", () => {
    assert.deepEqual(decodeAll(['data: {"a":1}\n\nerror: {"code":500,"message":"boom"}\n\n']), [
      { data: '{"a":1}' },
      { event: 'error', data: '{"code":500,"message":"boom"}' },
    ]);
  });

  describe('properties', () => {
    /** Field values as servers send them: any text without line breaks, Chinese and emoji included. */
    const lineText = fc
      .oneof(
        fc.string({ unit: 'grapheme', maxLength: 30 }),
        fc
          .array(fc.constantFrom('a', ' ', '{', '"', ':', '你', '😀', 'é', '\t', 'data:'), { maxLength: 12 })
          .map((a) => a.join('')),
      )
      .map((t) => t.replace(/[\r\n]/g, ''));
    const eventArb = fc.record({
      event: fc.option(fc.constantFrom('error', 'message2', 'ping'), { nil: undefined }),
      lines: fc.array(lineText, { minLength: 1, maxLength: 3 }),
    });
    const streamArb = fc.record({
      events: fc.array(eventArb, { maxLength: 8 }),
      eol: fc.constantFrom('\n', '\r\n', '\r'),
      comments: fc.boolean(),
    });

    function serialize(stream: { events: { event?: string; lines: string[] }[]; eol: string; comments: boolean }): {
      bytes: Buffer;
      expected: SseEvent[];
    } {
      let text = '';
      const expected: SseEvent[] = [];
      for (const e of stream.events) {
        if (stream.comments) text += `: keep-alive${stream.eol}`;
        if (e.event) text += `event: ${e.event}${stream.eol}`;
        for (const line of e.lines) text += `data: ${line}${stream.eol}`;
        text += stream.eol;
        // The parser drops one leading space after the colon; data lines join with \n.
        expected.push(e.event ? { event: e.event, data: e.lines.join('\n') } : { data: e.lines.join('\n') });
      }
      return { bytes: Buffer.from(text, 'utf8'), expected };
    }

    function splitAt(bytes: Buffer, cuts: number[]): Buffer[] {
      const offsets = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
      const out: Buffer[] = [];
      let last = 0;
      for (const o of offsets) {
        out.push(bytes.subarray(last, o));
        last = o;
      }
      out.push(bytes.subarray(last));
      return out;
    }

    it('any split of a valid stream into chunks yields the same events', () => {
      fc.assert(
        fc.property(streamArb, fc.array(fc.nat(), { maxLength: 20 }), (stream, cuts) => {
          const { bytes, expected } = serialize(stream);
          const whole = decodeAll([bytes]);
          const pieces = decodeAll(splitAt(bytes, cuts));
          assert.deepEqual(whole, expected);
          assert.deepEqual(pieces, expected);
        }),
        { numRuns: 300 },
      );
    });

    it('given arbitrary bytes, split anywhere, it throws nothing but the typed error', () => {
      fc.assert(
        fc.property(
          fc.uint8Array({ maxLength: 400 }),
          fc.array(fc.nat(), { maxLength: 10 }),
          fc.integer({ min: 8, max: 512 }),
          (bytes, cuts, maxBuffer) => {
            const decoder = new SseDecoder(maxBuffer);
            try {
              for (const piece of splitAt(Buffer.from(bytes), cuts)) decoder.push(piece);
              decoder.end();
            } catch (err) {
              assert.ok(err instanceof InfillError, `threw ${String(err)}`);
              assert.equal(err.kind, 'protocol');
            }
          },
        ),
        { numRuns: 500 },
      );
    });
  });
});
