// Pointing the extension at a suite's test server, shared by the extension-host suites.
import * as vscode from 'vscode';

/** User settings that send every keystroke's request at once to `baseUrl`, with the suffix as a field. */
export async function useTestServer(baseUrl: string, model: string): Promise<void> {
  const cfg = vscode.workspace.getConfiguration('infill');
  for (const [k, v] of Object.entries({
    provider: 'custom',
    baseUrl,
    endpointPath: '/completions',
    model,
    debounceMs: 0,
    fimMode: 'suffix',
    enable: true,
    // The suites count requests: a warm-up on regaining focus after a long suite would be one more.
    warmUp: false,
  })) {
    await cfg.update(k, v, vscode.ConfigurationTarget.Global);
  }
}
