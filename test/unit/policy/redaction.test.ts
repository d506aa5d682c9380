import * as assert from 'node:assert/strict';
import { redactHeaders, redactText } from '../../../src/core/policy/redaction';

describe('redaction', () => {
  it('redacts Authorization and key-like headers, keeps the others', () => {
    const out = redactHeaders({
      Authorization: 'Bearer sk-abcdefghijklmnop',
      'X-Api-Key': 'abc123456',
      'HTTP-Referer': 'https://example.com',
    });
    assert.deepEqual(out, {
      Authorization: '<redacted>',
      'X-Api-Key': '<redacted>',
      'HTTP-Referer': 'https://example.com',
    });
  });

  it('redacts bearer tokens and sk- keys inside text', () => {
    const text = redactText('sent Authorization: Bearer abcdefghijkl and key sk-1234567890abcdef');
    assert.equal(text, 'sent Authorization: Bearer <redacted> and key <redacted>');
  });

  it('redacts a known secret wherever it appears', () => {
    assert.equal(redactText('error for key my-own-secret-key!', ['my-own-secret-key']), 'error for key <redacted>!');
  });
});
