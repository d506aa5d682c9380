/**
 * The one rule for "is this server the user's own". Two questions use it with different strictness:
 * whether a host is this machine (the API key may go there over plain http, no proxy can reach it)
 * and whether it is on the user's own network (free to ask speculatively, like a preset's local
 * server). Everything that asks either question calls these functions, so `0.0.0.0` or
 * `[::ffff:127.0.0.1]` cannot count as local in one place and remote in another.
 */

export type HostLocality = 'thisMachine' | 'localNetwork' | 'remote';

/** Host names that always mean this machine. */
const LOCAL_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);

/** Takes a URL's `hostname` (IPv6 literals bracketed or not, a trailing root dot or not). */
export function hostLocality(hostname: string): HostLocality {
  const host = hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (isThisMachineHost(host)) return 'thisMachine';
  return isPrivateNetworkHost(host) ? 'localNetwork' : 'remote';
}

/** Loopback: `localhost` (and `*.localhost`), 127.0.0.0/8, `::1`, `0.0.0.0` (which connects to this machine). */
export function isLocalHost(hostname: string): boolean {
  return hostLocality(hostname) === 'thisMachine';
}

/** This machine or the user's private network (RFC 1918, link-local, ULA, mDNS `.local`, Docker's host). */
export function isLocalNetworkHost(hostname: string): boolean {
  return hostLocality(hostname) !== 'remote';
}

export function isLocalOrigin(url: URL | string): boolean {
  const parsed = parseUrl(url);
  return parsed !== undefined && isLocalHost(parsed.hostname);
}

export function isLocalNetworkUrl(url: URL | string): boolean {
  const parsed = parseUrl(url);
  return parsed !== undefined && isLocalNetworkHost(parsed.hostname);
}

function isThisMachineHost(host: string): boolean {
  if (LOCAL_NAMES.has(host) || host.endsWith('.localhost')) return true;
  if (/^127(\.\d{1,3}){3}$/.test(host)) return host.split('.').every((part) => Number(part) <= 255);
  if (host === '0.0.0.0') return true;
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  // IPv4-mapped loopback, as URL normalizes it: ::ffff:7f00:1.
  return /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host);
}

function isPrivateNetworkHost(host: string): boolean {
  if (host.endsWith('.local') || host === 'host.docker.internal') return true;
  if (/^f[cd][0-9a-f]{2}:/.test(host) || host.startsWith('fe80:')) return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!v4) return false;
  const [a, b] = [Number(v4[1]), Number(v4[2])];
  return a === 10 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31) || (a === 169 && b === 254);
}

export function parseUrl(url: URL | string): URL | undefined {
  if (url instanceof URL) return url;
  try {
    return new URL(url.trim());
  } catch {
    return undefined;
  }
}
