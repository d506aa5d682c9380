import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { HttpTransport, TransportOptions } from '../core/transport/httpTransport';
import type { InfillSettings } from '../core/settings';
import { latestWins } from '../core/transport/latestWins';

/** One sequencer per transport: quick successive changes are applied in the order they were made. */
const sequencers = new WeakMap<HttpTransport, ReturnType<typeof latestWins<Partial<TransportOptions>>>>();

/**
 * Applies the transport settings (timeouts, proxy, certificates) to the shared HttpTransport. The CA
 * file is read here, once per change, never per request; a missing or unreadable file is reported
 * and the system certificates stay in use.
 */
export async function applyTransportSettings(
  transport: HttpTransport,
  settings: InfillSettings,
  log: vscode.LogOutputChannel,
): Promise<void> {
  let apply = sequencers.get(transport);
  if (!apply) {
    apply = latestWins<Partial<TransportOptions>>((options) => transport.configure(options));
    sequencers.set(transport, apply);
  }
  await apply(() => transportOptionsFor(settings, log));
}

async function transportOptionsFor(
  settings: InfillSettings,
  log: vscode.LogOutputChannel,
): Promise<Partial<TransportOptions>> {
  const options: Partial<TransportOptions> = {
    headersTimeoutMs: settings.headersTimeoutMs,
    idleTimeoutMs: settings.idleTimeoutMs,
    totalTimeoutMs: settings.totalTimeoutMs,
    rejectUnauthorized: settings.proxyStrictSSL,
    noProxy: settings.noProxy,
  };
  options.proxyUrl = settings.proxyUrl || undefined;
  let ca: string | undefined;
  if (settings.caCertificateFile) {
    try {
      ca = await fs.readFile(settings.caCertificateFile, 'utf8');
      if (!ca.includes('-----BEGIN CERTIFICATE-----')) {
        log.warn(`infill.caCertificateFile (${settings.caCertificateFile}) holds no PEM certificate; it is ignored`);
        ca = undefined;
      }
    } catch (err) {
      log.warn(`infill.caCertificateFile could not be read: ${err instanceof Error ? err.message : String(err)}`);
      void vscode.window.showWarningMessage(
        vscode.l10n.t('Infill: the certificate file in infill.caCertificateFile could not be read.'),
      );
    }
  }
  options.caCertificates = ca;
  return options;
}
