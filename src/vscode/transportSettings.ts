import * as vscode from 'vscode';
import type { HttpTransport } from '../core/transport/httpTransport';
import { transportOptionsAndProblems } from '../core/transport/transportSettings';
import type { InfillSettings } from '../core/settings';

/**
 * Applies the transport settings (timeouts, proxy, certificates) to the shared HttpTransport, through
 * the core mapping the unit tests cover. A setting that cannot be used is reported and left out:
 * an unreadable CA file leaves the system certificates in use.
 */
export function applyTransportSettings(
  transport: HttpTransport,
  settings: InfillSettings,
  log: vscode.LogOutputChannel,
): void {
  const { options, problems } = transportOptionsAndProblems(settings);
  for (const problem of problems) {
    log.warn(problem.message);
    const message = problem.message.includes('infill.caCertificateFile')
      ? vscode.l10n.t('Infill: the certificate file in infill.caCertificateFile could not be read.')
      : vscode.l10n.t('Infill: the proxy URL is not an http:// or https:// URL; requests go without it.');
    void vscode.window.showWarningMessage(message);
  }
  transport.configure(options);
}
