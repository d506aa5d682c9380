/**
 * Where a request may carry the API key. Over `http://` anyone on the path reads the key, which is
 * fine for a server on this machine and not for anything else; before that happens the user is
 * asked once per origin. "This machine" is hostLocality's rule, the same one the proxy bypass uses.
 */
import { isLocalHost, parseUrl } from './hostLocality';

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
