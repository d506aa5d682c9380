/**
 * Where a request may carry the API key. Over `http://` anyone on the path reads the key, which is
 * fine for a server on this machine and not for anything else; before that happens the user is
 * asked once per origin.
 */

/** Host names that always mean this machine. */
const LOCAL_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);

/** True for loopback hosts: `localhost` (and `*.localhost`), 127.0.0.0/8, `::1`, `0.0.0.0`. */
export function isLocalHost(hostname: string): boolean {
  // URL keeps IPv6 literals bracketed: "[::1]".
  const host = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (LOCAL_NAMES.has(host) || host.endsWith('.localhost')) return true;
  if (/^127(\.\d{1,3}){3}$/.test(host)) return host.split('.').every((part) => Number(part) <= 255);
  if (host === '0.0.0.0') return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  // IPv4-mapped loopback, as URL normalizes it: ::ffff:7f00:1.
  return /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host);
}

export function isLocalOrigin(url: URL | string): boolean {
  const parsed = parseUrl(url);
  return parsed !== undefined && isLocalHost(parsed.hostname);
}

export type KeyTransportVerdict =
  /** Send it: https, a local server, no key, or the user already agreed for this origin. */
  | { kind: 'send' }
  /** Ask the user first: the key would cross the network in clear text. */
  | { kind: 'ask'; origin: string }
  /** The URL cannot be parsed; the request will fail on its own with a clearer message. */
  | { kind: 'invalid' };

/**
 * Decides whether a request that carries a key may go to `url` now. `approvedOrigins` are origins
 * the user allowed for plain http before.
 */
export function keyTransportVerdict(
  url: URL | string,
  hasKey: boolean,
  approvedOrigins: ReadonlySet<string> | readonly string[],
): KeyTransportVerdict {
  const parsed = parseUrl(url);
  if (!parsed) return { kind: 'invalid' };
  if (!hasKey || parsed.protocol !== 'http:' || isLocalHost(parsed.hostname)) return { kind: 'send' };
  const approved =
    approvedOrigins instanceof Set
      ? approvedOrigins.has(parsed.origin)
      : (approvedOrigins as readonly string[]).includes(parsed.origin);
  return approved ? { kind: 'send' } : { kind: 'ask', origin: parsed.origin };
}

function parseUrl(url: URL | string): URL | undefined {
  if (url instanceof URL) return url;
  try {
    return new URL(url.trim());
  } catch {
    return undefined;
  }
}
