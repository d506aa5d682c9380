import * as vscode from 'vscode';

const SECRET_ID = 'infill.apiKey';

/** The API key lives only in SecretStorage; it is cached in memory to keep it off the typing path. */
export class ApiKeyStore implements vscode.Disposable {
  private cached: string | undefined;
  private loaded = false;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((e) => {
      if (e.key === SECRET_ID) this.loaded = false;
    });
  }

  async get(): Promise<string | undefined> {
    if (!this.loaded) {
      this.cached = (await this.secrets.get(SECRET_ID)) || undefined;
      this.loaded = true;
    }
    return this.cached;
  }

  /**
   * The key if it was already read, without touching SecretStorage: for redacting log lines, which
   * must not wait. Undefined before the first read or when none is stored.
   */
  peek(): string | undefined {
    return this.loaded ? this.cached : undefined;
  }

  async set(key: string): Promise<void> {
    await this.secrets.store(SECRET_ID, key);
    this.cached = key;
    this.loaded = true;
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_ID);
    this.cached = undefined;
    this.loaded = true;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
