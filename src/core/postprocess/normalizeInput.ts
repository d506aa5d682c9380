import type { PostprocessFilter } from './types';

/**
 * Model output arrives with any line ending; every later rule works on LF text, and the last filter
 * writes the document's own line ending back. Invisible zero-width characters are removed.
 */
export const normalizeInput: PostprocessFilter = {
  name: 'normalize line endings',
  apply(c) {
    // Zero-width characters are never what the user wants inserted, and they hide in ghost text.
    const text = c.text.replace(/\r\n?/g, '\n').replace(/[\u200B-\u200D\uFEFF]/g, '');
    return text === c.text ? c : { ...c, text };
  },
};
