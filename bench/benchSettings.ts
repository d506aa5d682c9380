import { DEFAULT_SETTINGS, type InfillSettings } from '../src/core/settings';

/**
 * The shipped defaults pointed at the benchmark's server. `fimMode: 'suffix'` keeps the prompt the
 * plain text before the cursor, which the continuation server looks up in the file being typed.
 */
export function benchSettings(baseUrl: string, overrides: Partial<InfillSettings> = {}): InfillSettings {
  return {
    ...DEFAULT_SETTINGS,
    baseUrl,
    endpointPath: '/completions',
    model: 'bench-model',
    fimMode: 'suffix',
    ...overrides,
  };
}
