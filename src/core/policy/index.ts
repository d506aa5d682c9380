/**
 * What may be read and where it may go: workspace trust, which hosts are the user's own, which
 * origins may carry the API key, the exclusion globs, and redaction of secrets from everything
 * logged or shown.
 */
export * from './exclusionMatcher';
export * from './hostLocality';
export * from './originPolicy';
export * from './redaction';
export * from './trustPolicy';
