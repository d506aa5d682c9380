/**
 * Which configuration layer Infill may believe. A cloned repository can ship `.vscode/settings.json`;
 * in a workspace the user has not trusted, nothing in it may decide where code or the API key is
 * sent. Those keys are read from the user's own settings (or the default) only.
 */

/**
 * Settings (without the `infill.` prefix) that decide where code and keys go, what may be sent, and
 * what requests cost. Every one of them must
 * also be listed in package.json `capabilities.untrustedWorkspaces.restrictedConfigurations`; a unit
 * test checks the two lists agree.
 */
export const RESTRICTED_SETTINGS = [
  'provider',
  'baseUrl',
  'endpointPath',
  'headers',
  'extraBody',
  'proxy',
  'caCertificateFile',
  'proxyStrictSSL',
  'noProxy',
  // What may be sent at all: a cloned repository must not empty the exclusion list.
  'exclude',
  // What requests cost on a paid API: a cloned repository must not ask for 128 choices of 4,096
  // tokens on every keystroke, or switch prefetching on.
  'model',
  'maxTokens',
  'n',
  'bestOf',
  'speculative',
  'debounceMs',
  'alternatives',
  // The clipboard may hold anything: a cloned repository must not start sending it.
  'context.clipboard',
] as const;

export type RestrictedSetting = (typeof RESTRICTED_SETTINGS)[number];

/** The shape of `WorkspaceConfiguration.inspect()`, reduced to what the policy reads. */
export interface InspectedValue<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
  defaultLanguageValue?: T;
  globalLanguageValue?: T;
  workspaceLanguageValue?: T;
  workspaceFolderLanguageValue?: T;
}

export function isRestrictedSetting(key: string): key is RestrictedSetting {
  return (RESTRICTED_SETTINGS as readonly string[]).includes(key);
}

/**
 * The value to use for `key`. Trusted, or not a restricted key: the usual precedence, most specific
 * first (folder, workspace, user, default; a language-specific value before a plain one at each
 * layer). Untrusted and restricted: user and default layers only.
 */
export function effectiveValue<T>(
  key: string,
  inspected: InspectedValue<T> | undefined,
  trusted: boolean,
  fallback: T,
): T {
  if (!inspected) return fallback;
  const layers: (T | undefined)[] =
    trusted || !isRestrictedSetting(key)
      ? [
          inspected.workspaceFolderLanguageValue,
          inspected.workspaceFolderValue,
          inspected.workspaceLanguageValue,
          inspected.workspaceValue,
          inspected.globalLanguageValue,
          inspected.globalValue,
          inspected.defaultLanguageValue,
          inspected.defaultValue,
        ]
      : [inspected.globalLanguageValue, inspected.globalValue, inspected.defaultLanguageValue, inspected.defaultValue];
  for (const value of layers) if (value !== undefined) return value;
  return fallback;
}

/**
 * True when the workspace tried to set a restricted key that is being ignored, so the glue can say
 * so once instead of leaving the user wondering why their workspace setting has no effect.
 */
export function isIgnoredWorkspaceOverride<T>(
  key: string,
  inspected: InspectedValue<T> | undefined,
  trusted: boolean,
): boolean {
  if (trusted || !isRestrictedSetting(key) || !inspected) return false;
  return [
    inspected.workspaceValue,
    inspected.workspaceFolderValue,
    inspected.workspaceLanguageValue,
    inspected.workspaceFolderLanguageValue,
  ].some((v) => v !== undefined);
}
