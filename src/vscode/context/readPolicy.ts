import * as vscode from 'vscode';
import type { InfillSettings } from '../../core/settings';

/**
 * Which files context may be read from: never one matching `infill.exclude`; a file outside every
 * workspace folder only while the user has it open in a tab; only files on disk or untitled ones
 * the user is editing. The untrusted-workspace rules apply through the settings (`infill.exclude`
 * comes from user settings only there).
 */
export type UriExclusion = (uri: vscode.Uri, settings: InfillSettings) => boolean;

export function openInTab(uri: vscode.Uri): boolean {
  const key = uri.toString();
  for (const group of vscode.window.tabGroups.all)
    for (const tab of group.tabs)
      if (tab.input instanceof vscode.TabInputText && tab.input.uri.toString() === key) return true;
  return false;
}

export function mayReadForContext(uri: vscode.Uri, settings: InfillSettings, isExcluded: UriExclusion): boolean {
  if (uri.scheme !== 'file' && uri.scheme !== 'untitled' && uri.scheme !== 'vscode-remote') return false;
  if (isExcluded(uri, settings)) return false;
  if (uri.scheme === 'untitled') return openInTab(uri);
  return vscode.workspace.getWorkspaceFolder(uri) !== undefined || openInTab(uri);
}
