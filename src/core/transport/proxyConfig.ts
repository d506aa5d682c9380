/**
 * Which proxy, if any, a request to a given URL goes through. VS Code's `http.proxy` (or
 * `infill.proxy`) wins; without it the environment's HTTPS_PROXY / HTTP_PROXY apply. NO_PROXY and
 * VS Code's `http.noProxy` exempt hosts, with curl's rules: `*` is every host, `example.com` and
 * `.example.com` cover the domain and its subdomains, `host:port` only that port. A server on this
 * machine (Ollama, llama.cpp…; policy/hostLocality decides, the same rule as for the API key) is
 * never sent through a proxy, which could not reach it anyway, unless `bypassLoopback` is turned off.
 *
 * undici's EnvHttpProxyAgent matches NO_PROXY too, but not all of this: `*` only as the whole list,
 * no unbracketed IPv6 rules, no loopback bypass, and no `http.noProxy` besides the environment's.
 * test/unit/transport/proxyConfig.test.ts shows each difference against the real agent.
 */
import { isLocalHost } from '../policy/hostLocality';

export interface ProxyChoiceInput {
  /** Explicit proxy (VS Code `http.proxy`); '' or undefined = environment. */
  proxyUrl?: string;
  /** Extra exemptions (VS Code `http.noProxy`). */
  noProxy?: readonly string[];
  env?: Readonly<Record<string, string | undefined>>;
  bypassLoopback?: boolean;
}

export function proxyFor(target: URL, input: ProxyChoiceInput = {}): string | undefined {
  const env = input.env ?? process.env;
  const host = target.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  if ((input.bypassLoopback ?? true) && isLocalHost(host)) return undefined;
  const exemptions = [...(input.noProxy ?? []), ...splitList(env.NO_PROXY ?? env.no_proxy ?? '')];
  if (exemptions.some((rule) => matchesNoProxy(rule, host, port))) return undefined;
  const explicit = input.proxyUrl?.trim();
  if (explicit) return explicit;
  const fromEnv =
    target.protocol === 'https:'
      ? (env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy)
      : (env.HTTP_PROXY ?? env.http_proxy);
  return fromEnv?.trim() || undefined;
}

function splitList(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function matchesNoProxy(rule: string, host: string, port: string): boolean {
  let r = rule.trim().toLowerCase();
  if (!r) return false;
  if (r === '*') return true;
  let rulePort: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(r);
  if (bracketed) {
    r = bracketed[1]!;
    rulePort = bracketed[2];
  } else {
    const withPort = /^([^:]+):(\d+)$/.exec(r);
    if (withPort) {
      r = withPort[1]!;
      rulePort = withPort[2];
    }
  }
  if (rulePort !== undefined && rulePort !== port) return false;
  r = r.replace(/^\*?\./, '');
  return host === r || host.endsWith(`.${r}`);
}
