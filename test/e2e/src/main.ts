// Runs the integration suite (inside VS Code's extension host, behind the web workbench)
// and the code-server scenarios, then prints `e2e: N passed, N failed`.
//
//   node .cache/out/main.js --vsix <file.vsix> [--only integration|scenarios] [--grep <re>]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as h from './harness';

interface Counts {
  passed: number;
  failed: number;
}

function args(): { vsix: string; only?: string; grep?: string } {
  const a = process.argv.slice(2);
  const get = (flag: string) => {
    const i = a.indexOf(flag);
    return i >= 0 ? a[i + 1] : undefined;
  };
  const vsix = get('--vsix');
  if (!vsix || !fs.existsSync(vsix)) throw new Error(`--vsix <file> is required (got ${vsix})`);
  return { vsix: path.resolve(vsix), only: get('--only'), grep: get('--grep') };
}

/** Unpacks a .vsix and returns its `extension/` folder and the extension id. */
function unpackVsix(vsix: string): { dir: string; id: string } {
  const out = h.tmpDir('vsix');
  execFileSync('python3', ['-m', 'zipfile', '-e', vsix, out]);
  const dir = path.join(out, 'extension');
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  return { dir, id: `${pkg.publisher}.${pkg.name}` };
}

async function runIntegration(ext: { dir: string; id: string }, grep?: string): Promise<Counts> {
  const results = path.join(h.tmpDir('int-results'), 'results.json');
  const testsEntry = path.join(h.REPO_ROOT, 'test', 'integration', 'out', 'index.js');
  const server = await h.startVscodeServer({
    name: 'integration',
    env: {
      INFILL_EXTENSION_ID: ext.id,
      INFILL_INTEGRATION_RESULTS: results,
      ...(grep ? { INFILL_INTEGRATION_GREP: grep } : {}),
    },
  });
  const ws = h.tmpDir('int-ws');
  const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(ext.dir)],
    ['extensionTestsPath', remote(testsEntry)],
  ];
  const url = `http://127.0.0.1:${server.port}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  const browser = await h.launchBrowser();
  const consoleLog = path.join(h.ARTIFACTS, 'integration-console.log');
  fs.writeFileSync(consoleLog, '');
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let exit!: (code: number) => void;
    const exited = new Promise<number>((r) => (exit = r));
    await page.exposeFunction('codeAutomationExit', (code: number) => exit(code));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      fs.appendFileSync(consoleLog, `[${type}] ${args.map(String).join(' ')}\n`);
    });
    page.on('console', (m) => fs.appendFileSync(consoleLog, `${m.type()}: ${m.text()}\n`));
    await page.goto(url);
    const timeout = new Promise<number>((r) => setTimeout(() => r(-1), 300_000));
    const code = await Promise.race([exited, timeout]);
    if (code === -1) {
      await h.screenshot(page, path.join(h.ARTIFACTS, 'integration-timeout.png'));
      throw new Error('integration suite did not finish within 5 minutes');
    }
    if (!fs.existsSync(results)) {
      await h.screenshot(page, path.join(h.ARTIFACTS, 'integration-no-results.png'));
      throw new Error(`integration suite exited ${code} without results; see ${consoleLog} and ${server.logFile}`);
    }
    const r = JSON.parse(fs.readFileSync(results, 'utf8')) as Counts & {
      tests: { title: string; state: string; ms?: number }[];
      failures: { title: string; error: string }[];
    };
    for (const t of r.tests)
      console.log(`  ${t.state === 'passed' ? '✔' : '✖'} ${t.title}${t.ms !== undefined ? ` (${t.ms} ms)` : ''}`);
    for (const f of r.failures)
      console.log(`  FAILED (integration): ${f.title}\n    ${f.error.split('\n').slice(0, 6).join('\n    ')}`);
    return { passed: r.passed, failed: r.failed };
  } finally {
    await browser.close();
    await server.stop();
  }
}

async function runScenarios(vsix: string, ext: { id: string }, grep?: string): Promise<Counts> {
  process.env.INFILL_VSIX = vsix;
  process.env.INFILL_EXTENSION_ID = ext.id;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Mocha } = require('mocha') as { Mocha: typeof import('mocha') };
  const mocha = new Mocha({ ui: 'bdd', timeout: 90_000, reporter: 'spec', color: false });
  if (grep) mocha.grep(grep);
  mocha.addFile(path.join(__dirname, 'scenarios.test.js'));
  await mocha.loadFilesAsync();
  const counts = { passed: 0, failed: 0 };
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', () => counts.passed++);
    runner.on('fail', () => counts.failed++);
  });
  return counts;
}

const runStarted = Date.now();

async function main(): Promise<number> {
  const opts = args();
  const ext = unpackVsix(opts.vsix);
  h.log(`extension ${ext.id} from ${path.relative(process.cwd(), opts.vsix)}`);
  fs.rmSync(h.ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(h.ARTIFACTS, { recursive: true });
  const total: Counts = { passed: 0, failed: 0 };
  const add = (c: Counts) => {
    total.passed += c.passed;
    total.failed += c.failed;
  };
  if (opts.only !== 'scenarios') {
    const t = Date.now();
    try {
      const c = await runIntegration(ext, opts.grep);
      h.log(`integration suite: ${c.passed} passed, ${c.failed} failed (${((Date.now() - t) / 1000).toFixed(0)} s)`);
      add(c);
    } catch (e) {
      console.log(`  FAILED (integration harness): ${e instanceof Error ? e.message : e}`);
      add({ passed: 0, failed: 1 });
    }
  }
  if (opts.only !== 'integration') {
    const t = Date.now();
    const c = await runScenarios(opts.vsix, ext, opts.grep);
    h.log(`code-server scenarios: ${c.passed} passed, ${c.failed} failed (${((Date.now() - t) / 1000).toFixed(0)} s)`);
    add(c);
  }
  const started = Number(process.env.INFILL_E2E_STARTED_MS) || runStarted;
  h.log(
    `finished in ${((Date.now() - started) / 1000).toFixed(0)} s${process.env.INFILL_E2E_STARTED_MS ? ' (installs included)' : ''}`,
  );
  // The closing line, last on purpose.
  console.log(`e2e: ${total.passed} passed, ${total.failed} failed`);
  return total.failed === 0 && total.passed > 0 ? 0 : 1;
}

// Interrupted: the exit handlers (harness.ts) kill the process groups of code-server and VS Code's server.
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    console.log('e2e: 0 passed, 1 failed');
    process.exit(1);
  },
);
