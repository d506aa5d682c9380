import * as vscode from 'vscode';
import { keyTransportVerdict } from '../core/policy/originPolicy';

const APPROVED_KEY = 'infill.approvedPlainHttpOrigins';

/**
 * Before the API key goes over plain `http://` to anything but this machine, the user is asked
 * once per origin. A "yes" is remembered (globalState); until then requests to that origin are
 * not made, because sending them without the key would only produce confusing auth errors.
 */
export class KeyTransportGuard {
  /** Origins already asked about in this session by the non-interactive path (ghost text). */
  private readonly asked = new Set<string>();

  constructor(
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  private approved(): string[] {
    const value = this.state.get<unknown>(APPROVED_KEY);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }

  private async approve(origin: string): Promise<void> {
    await this.state.update(APPROVED_KEY, [...new Set([...this.approved(), origin])]);
    this.log.info(`Sending the API key to ${origin} over plain HTTP was allowed by the user`);
  }

  /** Forgets every approval (from the menu), so the warning shows again. */
  async forgetApprovals(): Promise<void> {
    await this.state.update(APPROVED_KEY, undefined);
    this.asked.clear();
  }

  /**
   * True when a request carrying a key (if `hasKey`) may go to `url` now. `interactive` (a command
   * the user ran) asks with a modal dialog and waits; otherwise (ghost text while typing) the
   * warning shows once without blocking and this request is skipped.
   */
  async mayCarryKey(url: string | URL, hasKey: boolean, interactive: boolean): Promise<boolean> {
    const verdict = keyTransportVerdict(url, hasKey, this.approved());
    if (verdict.kind !== 'ask') return true;
    const origin = verdict.origin;
    const send = vscode.l10n.t('Send the Key to {0}', origin);
    const message = vscode.l10n.t(
      'Infill is about to send your API key to {0} over plain HTTP, readable by anyone on the network path. Use https:// if the server supports it.',
      origin,
    );
    if (interactive) {
      const choice = await vscode.window.showWarningMessage(message, { modal: true }, send);
      if (choice === send) {
        await this.approve(origin);
        return true;
      }
      this.log.warn(`The API key was not sent to ${origin}: plain HTTP was not allowed`);
      return false;
    }
    if (!this.asked.has(origin)) {
      this.asked.add(origin);
      this.log.warn(`No request to ${origin}: sending the API key over plain HTTP needs your permission first`);
      void vscode.window.showWarningMessage(message, send, vscode.l10n.t('Keep Blocked')).then(
        async (choice) => {
          try {
            if (choice === send) await this.approve(origin);
          } catch (err) {
            this.log.warn(
              `Could not remember the permission for ${origin}: ${err instanceof Error ? err.message : String(err)}`,
            );
          }
        },
        () => undefined,
      );
    }
    return false;
  }
}
