/**
 * Runs in a fresh Node process (bundled to CommonJS by bench/activation.ts): loads the built
 * extension with the fake `vscode` module and prints, as one JSON line, how long loading the
 * bundle and `activate()` took. A fresh process per sample makes every sample a cold start, as in
 * VS Code's extension host.
 */
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { createFakeContext, createFakeVscode } from './fakeVscode';

export interface ActivationSample {
  requireMs: number;
  /** Until activate() returned. */
  activateMs: number;
  /** Until a promise activate() returned settled (same as activateMs when it returns nothing). */
  activateSettledMs: number;
  registrations: Record<string, number>;
  stubbed: string[];
  error?: string;
}

interface ExtensionModule {
  activate(context: unknown): unknown;
  deactivate?(): unknown;
}

// Node's resolver hook is not in its public typings; it is the documented way tools redirect a
// module name without touching the code that requires it.
type Resolver = (request: string, parent: unknown, isMain: boolean, options: unknown) => string;
const moduleInternals = Module as unknown as { _resolveFilename: Resolver; _cache: Record<string, unknown> };

async function main(): Promise<void> {
  const [bundlePath, packageJsonPath] = process.argv.slice(2);
  if (!bundlePath || !packageJsonPath) throw new Error('usage: activationProbe <dist/extension.js> <package.json>');
  const manifest = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as {
    contributes?: {
      configuration?:
        | { properties?: Record<string, { default?: unknown }> }
        | { properties?: Record<string, { default?: unknown }> }[];
    };
  };
  const defaults: Record<string, unknown> = {};
  const sections = manifest.contributes?.configuration;
  for (const section of Array.isArray(sections) ? sections : sections ? [sections] : []) {
    for (const [key, schema] of Object.entries(section.properties ?? {})) defaults[key] = schema.default;
  }
  const fake = createFakeVscode(defaults);
  const original = moduleInternals._resolveFilename;
  moduleInternals._resolveFilename = (request, parent, isMain, options) =>
    request === 'vscode' ? 'vscode' : original(request, parent, isMain, options);
  moduleInternals._cache['vscode'] = { id: 'vscode', filename: 'vscode', loaded: true, exports: fake.module };

  const context = createFakeContext('/bench/extension', fake.stubbed);
  const sample: ActivationSample = {
    requireMs: 0,
    activateMs: 0,
    activateSettledMs: 0,
    registrations: {},
    stubbed: [],
  };
  try {
    const t0 = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle is loaded at run time
    const extension = require(bundlePath) as ExtensionModule;
    const t1 = performance.now();
    const returned = extension.activate(context);
    const t2 = performance.now();
    await returned;
    const t3 = performance.now();
    sample.requireMs = t1 - t0;
    sample.activateMs = t2 - t1;
    sample.activateSettledMs = t3 - t1;
    await extension.deactivate?.();
  } catch (err) {
    sample.error = err instanceof Error ? (err.stack ?? err.message) : String(err);
  }
  sample.registrations = Object.fromEntries(fake.registrations);
  sample.stubbed = [...fake.stubbed].sort();
  process.stdout.write(JSON.stringify(sample) + '\n');
  // Timers the extension may have started must not keep the probe alive.
  process.exit(0);
}

void main();
