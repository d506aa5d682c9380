import * as vscode from 'vscode';
import type { ContextPiece } from '../../core/prompt/context/contextTypes';
import { redactText } from '../../core/policy/redaction';
import type { InfillSettings } from '../../core/settings';

/** Longest clipboard text sent; a longer one is left out whole (a paste of a whole file is no hint). */
const MAX_CLIPBOARD_CHARS = 1500;

/**
 * `infill.context.clipboard`: read only when the setting is on, and for a server that is not on
 * this machine only when it says `allServers`. Key-shaped strings are redacted like everywhere else.
 */
export function clipboardAllowed(settings: Pick<InfillSettings, 'contextClipboard'>, serverIsLocal: boolean): boolean {
  return settings.contextClipboard === 'allServers' || (settings.contextClipboard === 'localServers' && serverIsLocal);
}

export async function readClipboardPiece(seen: (key: string) => number): Promise<ContextPiece | undefined> {
  let text: string;
  try {
    text = await vscode.env.clipboard.readText();
  } catch {
    return undefined;
  }
  text = text.replace(/\s+$/, '');
  if (text.trim() === '' || text.length > MAX_CLIPBOARD_CHARS) return undefined;
  text = redactText(text);
  return {
    source: 'clipboard',
    path: '',
    startLine: 0,
    endLine: text.split('\n').length - 1,
    text,
    rank: 0,
    seen: seen(`clipboard\u0000${text}`),
  };
}
