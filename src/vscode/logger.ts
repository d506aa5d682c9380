import type * as vscode from 'vscode';
import { redactText } from '../core/policy/redaction';

/** Methods of a log channel that write a line; everything else passes through untouched. */
const WRITERS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine', 'replace']);

/**
 * The `Infill` log channel, wrapped so that every line written by any part of the extension passes
 * through redaction: bearer tokens, `sk-` keys and the stored API key itself never reach the log,
 * whoever wrote the line and however the message was built.
 */
export function createRedactingLog(
  channel: vscode.LogOutputChannel,
  knownSecrets: () => readonly string[],
): vscode.LogOutputChannel {
  const clean = (value: unknown): unknown => {
    if (typeof value === 'string') return redactText(value, knownSecrets());
    if (value instanceof Error) return redactText(value.stack ?? value.message, knownSecrets());
    return value;
  };
  return new Proxy(channel, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property === 'string' && WRITERS.has(property) && typeof value === 'function') {
        return (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(target, args.map(clean));
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
