import * as assert from 'node:assert/strict';
import { isLanguageEnabled, toggleLanguage } from '../../../src/core/engine/languageGate';
import { DEFAULT_SETTINGS } from '../../../src/core/settings';

const DEFAULT_LANGUAGES = DEFAULT_SETTINGS.languages;

describe('languageGate', () => {
  it('uses the language entry first, then `*`, then on', () => {
    assert.equal(isLanguageEnabled({ '*': false, python: true }, 'python'), true);
    assert.equal(isLanguageEnabled({ '*': false, python: true }, 'go'), false);
    assert.equal(isLanguageEnabled({ python: false }, 'go'), true);
    assert.equal(isLanguageEnabled(undefined, 'go'), true);
  });

  it('ignores values that are not booleans', () => {
    assert.equal(isLanguageEnabled({ '*': false, python: 'yes' }, 'python'), false);
    assert.equal(isLanguageEnabled({ '*': 0 }, 'python'), true);
  });

  it('is off by default for plain text and commit messages only', () => {
    assert.equal(isLanguageEnabled(DEFAULT_LANGUAGES, 'plaintext'), false);
    assert.equal(isLanguageEnabled(DEFAULT_LANGUAGES, 'scminput'), false);
    assert.equal(isLanguageEnabled(DEFAULT_LANGUAGES, 'typescript'), true);
  });

  it('toggling flips the one language and leaves the others', () => {
    const off = toggleLanguage({ '*': true, go: false }, 'python');
    assert.deepEqual(off, { '*': true, go: false, python: false });
    assert.equal(isLanguageEnabled(off, 'python'), false);
    const on = toggleLanguage(off, 'python');
    assert.equal(isLanguageEnabled(on, 'python'), true);
    assert.equal(isLanguageEnabled(on, 'go'), false);
  });

  it('writes the new value explicitly, so a merged default cannot undo it', () => {
    assert.deepEqual(toggleLanguage(DEFAULT_LANGUAGES, 'plaintext'), { ...DEFAULT_LANGUAGES, plaintext: true });
  });

  it('does not change the map it was given', () => {
    const map = { '*': true };
    toggleLanguage(map, 'go');
    assert.deepEqual(map, { '*': true });
  });
});
