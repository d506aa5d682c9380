/**
 * Everything Infill reads from configuration, as plain data. The VS Code glue fills it from
 * `infill.*` settings; the engine and tests use it without VS Code.
 */
export type FimMode = 'auto' | 'suffix' | 'template' | 'off';

export interface InfillSettings {
  enable: boolean;
  provider: string;
  baseUrl: string;
  endpointPath: string;
  model: string;
  maxTokens: number;
  temperature: number;
  stop: string[];
  fimMode: FimMode;
  debounceMs: number;
  /** Custom headers sent with every request (never logged with values). */
  headers: Record<string, string>;
  /** Merged last into every request body. */
  extraBody: Record<string, unknown>;
  /** Prompt + suffix budget, in tokens. */
  contextLength: number;
  /** Globs of files never sent anywhere. */
  exclude: string[];
}

export const DEFAULT_SETTINGS: InfillSettings = {
  enable: true,
  provider: 'ollama',
  baseUrl: 'http://127.0.0.1:11434/v1',
  endpointPath: '/completions',
  model: 'qwen2.5-coder:1.5b',
  maxTokens: 128,
  temperature: 0.2,
  stop: [],
  fimMode: 'auto',
  debounceMs: 75,
  headers: {},
  extraBody: {},
  contextLength: 2048,
  exclude: ['**/.env*', '**/*.pem', '**/*.key', '**/id_rsa*', '**/secrets/**'],
};
