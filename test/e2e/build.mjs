// Compiles the harness (src/ -> .cache/out/) and the integration suite
// (test/integration/ -> test/integration/out/) with this package's own esbuild.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const integration = path.resolve(here, '..', 'integration');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
};

fs.rmSync(path.join(integration, 'out'), { recursive: true, force: true });
const suites = fs
  .readdirSync(path.join(integration, 'suite'))
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => path.join(integration, 'suite', f));
await esbuild.build({
  ...common,
  entryPoints: [path.join(integration, 'index.ts'), ...suites],
  outbase: integration,
  outdir: path.join(integration, 'out'),
  external: ['vscode'],
});
await esbuild.build({
  ...common,
  entryPoints: [path.join(here, 'src', 'main.ts'), path.join(here, 'src', 'scenarios.test.ts')],
  outdir: path.join(here, '.cache', 'out'),
  external: ['playwright-core', 'mocha'],
});
