// Entry point VS Code's extension host loads as `extensionTestsPath`: runs the mocha
// suites next to it and writes a summary where the harness (test/e2e) reads it.
import * as fs from 'node:fs';
import * as path from 'node:path';

export async function run(): Promise<void> {
  // Mocha comes from test/e2e's own install under code-server, from the root package under
  // @vscode/test-electron (`npm run test:integration`); either way it is loaded at run time.
  const e2eMocha = path.resolve(__dirname, '..', '..', 'e2e', 'node_modules', 'mocha');
  const mochaPath = fs.existsSync(e2eMocha)
    ? e2eMocha
    : path.resolve(__dirname, '..', '..', '..', 'node_modules', 'mocha');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Mocha } = require(mochaPath) as { Mocha: typeof import('mocha') };
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec' });
  const grep = process.env.INFILL_INTEGRATION_GREP;
  if (grep) mocha.grep(grep);
  for (const f of fs.readdirSync(path.join(__dirname, 'suite')).sort()) {
    if (f.endsWith('.test.js')) mocha.addFile(path.join(__dirname, 'suite', f));
  }
  const failures: { title: string; error: string }[] = [];
  const tests: { title: string; state: 'passed' | 'failed'; ms?: number }[] = [];
  let passed = 0;
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (test) => {
      passed++;
      tests.push({ title: test.fullTitle(), state: 'passed', ms: test.duration });
    });
    runner.on('fail', (test, err: Error) => {
      failures.push({ title: test.fullTitle(), error: String(err?.stack ?? err) });
      tests.push({ title: test.fullTitle(), state: 'failed', ms: test.duration });
    });
  });
  const summary = { passed, failed: failures.length, tests, failures };
  const out = process.env.INFILL_INTEGRATION_RESULTS;
  if (out) fs.writeFileSync(out, JSON.stringify(summary, null, 2));
  console.log(`integration: ${passed} passed, ${failures.length} failed`);
  if (failures.length) throw new Error(`${failures.length} integration test(s) failed`);
}
