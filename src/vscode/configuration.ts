import * as vscode from 'vscode';
import { DEFAULT_SETTINGS, type FimMode, type InfillSettings } from '../core/settings';

/**
 * Settings that decide where code and keys are sent. In an untrusted workspace they come from user
 * settings only, so a cloned repository's .vscode/settings.json cannot redirect requests.
 */
export const RESTRICTED_SETTINGS = ['baseUrl', 'endpointPath', 'headers', 'provider', 'extraBody', 'caCertificateFile', 'proxy'] as const;

function read<T>(config: vscode.WorkspaceConfiguration, key: string, fallback: T): T {
  if (!vscode.workspace.isTrusted && (RESTRICTED_SETTINGS as readonly string[]).includes(key)) {
    const inspected = config.inspect<T>(key);
    return inspected?.globalValue ?? inspected?.defaultValue ?? fallback;
  }
  return config.get<T>(key, fallback);
}

export function readSettings(scope?: vscode.ConfigurationScope): InfillSettings {
  const c = vscode.workspace.getConfiguration('infill', scope);
  const d = DEFAULT_SETTINGS;
  return {
    enable: read(c, 'enable', d.enable),
    provider: read(c, 'provider', d.provider),
    baseUrl: read(c, 'baseUrl', d.baseUrl),
    endpointPath: read(c, 'endpointPath', d.endpointPath),
    model: read(c, 'model', d.model),
    maxTokens: read(c, 'maxTokens', d.maxTokens),
    temperature: read(c, 'temperature', d.temperature),
    stop: read<string[]>(c, 'stop', d.stop),
    fimMode: read<FimMode>(c, 'fimMode', d.fimMode),
    debounceMs: read(c, 'debounceMs', d.debounceMs),
    headers: read<Record<string, string>>(c, 'headers', d.headers),
    extraBody: read<Record<string, unknown>>(c, 'extraBody', d.extraBody),
    contextLength: read(c, 'contextLength', d.contextLength),
    exclude: read<string[]>(c, 'exclude', d.exclude),
  };
}
