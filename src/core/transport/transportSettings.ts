import * as fs from 'node:fs';
import type { TransportOptions } from './httpTransport';
import { InfillError } from '../infillError';
import { MAX_RETRIES_CAP, type RetryPolicy } from './retryPolicy';
import type { InfillSettings } from '../settings';

type TransportSettings = Pick<
  InfillSettings,
  | 'headersTimeoutMs'
  | 'idleTimeoutMs'
  | 'totalTimeoutMs'
  | 'caCertificateFile'
  | 'proxyUrl'
  | 'proxyStrictSSL'
  | 'noProxy'
>;

/**
 * The transport options the settings ask for, for `HttpTransport.configure`; the one mapping the
 * extension and the tests share. Reads the CA file (`infill.caCertificateFile`) here, once per
 * settings change, so a missing or unreadable file is one clear `config` error naming the setting
 * instead of a TLS failure on every request. Throws the first problem.
 */
export function transportOptionsFromSettings(
  settings: TransportSettings,
  readFile: (path: string) => string = (p) => fs.readFileSync(p, 'utf8'),
): Partial<TransportOptions> {
  const { options, problems } = transportOptionsAndProblems(settings, readFile);
  if (problems[0]) throw problems[0];
  return options;
}

/**
 * The same mapping, keeping going past a bad setting: a CA file that cannot be used leaves the
 * system certificates in force, a proxy URL that is not http(s) is left out. Each such setting is
 * one `config` error in `problems`, for the caller to report.
 */
export function transportOptionsAndProblems(
  settings: TransportSettings,
  readFile: (path: string) => string = (p) => fs.readFileSync(p, 'utf8'),
): { options: Partial<TransportOptions>; problems: InfillError[] } {
  const problems: InfillError[] = [];
  const positive = (value: number, fallback: number) => (Number.isFinite(value) && value > 0 ? value : fallback);
  const options: Partial<TransportOptions> = {
    headersTimeoutMs: positive(settings.headersTimeoutMs, 30_000),
    idleTimeoutMs: positive(settings.idleTimeoutMs, 30_000),
    totalTimeoutMs: positive(settings.totalTimeoutMs, 120_000),
    proxyUrl: settings.proxyUrl.trim(),
    noProxy: [...settings.noProxy],
    rejectUnauthorized: settings.proxyStrictSSL,
    caCertificates: undefined,
  };
  const file = settings.caCertificateFile.trim();
  if (file) {
    try {
      options.caCertificates = readCaCertificates(file, readFile);
    } catch (err) {
      problems.push(err as InfillError);
    }
  }
  if (options.proxyUrl && !isHttpUrl(options.proxyUrl)) {
    problems.push(
      new InfillError(
        'config',
        `The proxy URL (http.proxy or infill.proxy) is not an http:// or https:// URL: "${options.proxyUrl}"`,
      ),
    );
    options.proxyUrl = '';
  }
  return { options, problems };
}

function readCaCertificates(file: string, readFile: (path: string) => string): string {
  let pem: string;
  try {
    pem = readFile(file);
  } catch (err) {
    throw new InfillError(
      'config',
      `infill.caCertificateFile could not be read (${file}): ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new InfillError(
      'config',
      `infill.caCertificateFile (${file}) holds no PEM certificate ("-----BEGIN CERTIFICATE-----")`,
    );
  }
  return pem;
}

function isHttpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

export function retryPolicyFromSettings(
  settings: Pick<InfillSettings, 'retryMaxAttempts' | 'retryMaxWaitMs'>,
): RetryPolicy {
  const retries = Number.isFinite(settings.retryMaxAttempts)
    ? Math.max(0, Math.min(MAX_RETRIES_CAP, Math.floor(settings.retryMaxAttempts)))
    : 0;
  const wait = Number.isFinite(settings.retryMaxWaitMs) ? Math.max(0, settings.retryMaxWaitMs) : 0;
  return { maxRetries: retries, maxWaitMs: wait, baseDelayMs: 250 };
}
