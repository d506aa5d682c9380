import * as vscode from 'vscode';

/** One secret per server origin: `infill.apiKey@https://api.openai.com`. */
const SECRET_PREFIX = 'infill.apiKey@';

/** The origin (scheme, host, port) of a base URL, or undefined when it is not a URL. */
export function originOf(baseUrl: string | undefined): string | undefined {
  if (!baseUrl) return undefined;
  try {
    return new URL(baseUrl).origin;
  } catch {
    return undefined;
  }
}

/**
 * API keys live only in SecretStorage, each bound to the server origin it was set for, so a key
 * set for one provider is never sent to another after the settings change (choosing a preset,
 * a workspace's base URL). They are cached in memory to keep SecretStorage off the typing path.
 */
export class ApiKeyStore implements vscode.Disposable {
  private readonly cache = new Map<string, string | undefined>();
  private readonly subscription: vscode.Disposable;
  private failureReported = false;

  /**
   * @param currentOrigin the origin requests go to under the current settings; `get()`, `set()`
   *   and `clear()` without an origin use it.
   * @param onReadFailure told once when SecretStorage cannot be read (no keyring, for example).
   */
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly currentOrigin: () => string | undefined,
    private readonly onReadFailure: (err: unknown) => void = () => undefined,
  ) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key.startsWith(SECRET_PREFIX)) this.cache.delete(e.key.slice(SECRET_PREFIX.length));
    });
  }

  /** The key for where the current settings send requests, if one was set for that origin. */
  get(): Promise<string | undefined> {
    return this.getFor(this.currentOrigin());
  }

  /** The key set for `origin`; none for an unknown origin. */
  async getFor(origin: string | undefined): Promise<string | undefined> {
    if (!origin) return undefined;
    if (!this.cache.has(origin)) {
      let value: string | undefined;
      try {
        value = (await this.secrets.get(SECRET_PREFIX + origin)) || undefined;
      } catch (err) {
        // A broken keyring must not take ghost text down with it: go on without a key.
        if (!this.failureReported) this.onReadFailure(err);
        this.failureReported = true;
        value = undefined;
      }
      this.cache.set(origin, value);
    }
    return this.cache.get(origin);
  }

  /**
   * Every key read so far, without touching SecretStorage: for redacting log lines, which must not
   * wait.
   */
  peekAll(): string[] {
    return [...this.cache.values()].filter((k): k is string => Boolean(k));
  }

  async set(key: string, origin = this.currentOrigin()): Promise<void> {
    if (!origin) throw new Error(vscode.l10n.t('Set infill.baseUrl (or choose a provider) before setting its API key'));
    await this.secrets.store(SECRET_PREFIX + origin, key);
    this.cache.set(origin, key);
  }

  async clear(origin = this.currentOrigin()): Promise<void> {
    if (!origin) return;
    await this.secrets.delete(SECRET_PREFIX + origin);
    this.cache.set(origin, undefined);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
