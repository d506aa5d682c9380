import * as assert from 'node:assert/strict';
import { InfillError } from '../../src/core/infillError';
import { SseDecoder, type SseEvent } from '../../src/core/sseDecoder';

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
    assert.deepEqual(decodeAll(['event: error\ndata: {"message":"boom"}\n\n']), [{ event: 'error', data: '{"message":"boom"}' }]);
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
});
