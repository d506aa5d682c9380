/**
 * Per-language on/off switch (`infill.languages`): a map from VS Code language id to a boolean, with
 * `*` as the default for languages the map does not name. Missing `*` means on.
 */
export type LanguageMap = Record<string, boolean>;

export function isLanguageEnabled(map: Readonly<Record<string, unknown>> | undefined, languageId: string): boolean {
  const own = map?.[languageId];
  if (typeof own === 'boolean') return own;
  const fallback = map?.['*'];
  return typeof fallback === 'boolean' ? fallback : true;
}

/**
 * The map after flipping one language. The new value is always written explicitly: VS Code merges
 * object settings with their defaults, so removing a key could bring a default `false` back.
 */
export function toggleLanguage(map: Readonly<Record<string, unknown>> | undefined, languageId: string): LanguageMap {
  const next: LanguageMap = {};
  for (const [k, v] of Object.entries(map ?? {})) if (typeof v === 'boolean') next[k] = v;
  next[languageId] = !isLanguageEnabled(map, languageId);
  return next;
}
