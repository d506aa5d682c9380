// `npm run test:integration`: runs test/integration/ in a VS Code downloaded by @vscode/test-electron,
// for a developer's desktop or a public CI. VS Code cannot be downloaded on this project's own
// machines, so there `bash test/e2e/run.sh --only integration` runs the same suite in code-server.
import * as esbuild from 'esbuild';
import { runTests } from '@vscode/test-electron';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const out = path.join(here, 'out');
fs.rmSync(out, { recursive: true, force: true });
const suites = fs
  .readdirSync(path.join(here, 'suite'))
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => path.join(here, 'suite', f));
await esbuild.build({
  entryPoints: [path.join(here, 'index.ts'), ...suites],
  outbase: here,
  outdir: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode'],
  logLevel: 'warning',
});
try {
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(out, 'index.js'),
    launchArgs: ['--disable-extensions', fs.mkdtempSync(path.join(root, 'out-int-ws-'))],
  });
} catch (err) {
  console.error(`integration: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
