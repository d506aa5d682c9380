import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import type { ActivationSample } from './activationProbe';
import type { FigureRow } from './report';
import { spread } from './stats';

export interface ActivationOptions {
  repoRoot: string;
  samples: number;
}

/** Paths never copied into the packaging sandbox: dependencies (linked instead), history, builds. */
const SKIP = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test']);

/**
 * Packages a copy of the working tree exactly as `npm run package` does (vsce runs the production
 * build), in a temporary directory, so the benchmark neither overwrites dist/ nor leaves a .vsix.
 */
function packageInSandbox(repoRoot: string): { dir: string; vsix: string; seconds: number; log: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'infill-bench-package-'));
  cpSync(repoRoot, dir, {
    recursive: true,
    filter: (source) => !SKIP.has(path.basename(source)) && !source.includes(`${path.sep}bench${path.sep}results`),
  });
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  const vsix = path.join(dir, 'bench.vsix');
  const started = performance.now();
  const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const result = spawnSync(
    process.execPath,
    [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '-o', vsix],
    {
      cwd: dir,
      encoding: 'utf8',
      timeout: 180_000,
    },
  );
  const log = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0 || !existsSync(vsix))
    throw new Error(`vsce package failed (${result.status ?? result.signal}): ${log.slice(-2000)}`);
  return { dir, vsix, seconds: (performance.now() - started) / 1000, log };
}

function runProbes(dir: string, samples: number): ActivationSample[] {
  const probe = path.join(dir, 'activation-probe.cjs');
  buildSync({
    entryPoints: [path.join(__dirname, 'activationProbe.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: probe,
    logLevel: 'error',
  });
  const bundle = path.join(dir, 'dist', 'extension.js');
  const out: ActivationSample[] = [];
  for (let i = 0; i < samples; i++) {
    const result = spawnSync(process.execPath, [probe, bundle, path.join(dir, 'package.json')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    const line = (result.stdout ?? '').trim().split('\n').pop() ?? '';
    let sample: ActivationSample;
    try {
      sample = JSON.parse(line) as ActivationSample;
    } catch {
      throw new Error(`activation probe printed no result: ${(result.stderr ?? '').slice(-1000)}`);
    }
    if (sample.error) throw new Error(`activate() threw under the fake vscode module: ${sample.error}`);
    out.push(sample);
  }
  return out;
}

/** Figure 4: what installing and starting Infill costs. */
export async function measureActivation(options: ActivationOptions): Promise<{ rows: FigureRow[]; detail: unknown }> {
  const packaged = packageInSandbox(options.repoRoot);
  try {
    const bundlePath = path.join(packaged.dir, 'dist', 'extension.js');
    const bundleBytes = statSync(bundlePath).size;
    const gzipBytes = gzipSync(readFileSync(bundlePath)).byteLength;
    const vsixBytes = statSync(packaged.vsix).size;
    const samples = runProbes(packaged.dir, options.samples);
    const activate = spread(samples.map((s) => s.activateSettledMs));
    const load = spread(samples.map((s) => s.requireMs));
    const stubbed = [...new Set(samples.flatMap((s) => s.stubbed))];
    const rows: FigureRow[] = [
      {
        figure: 4,
        name: 'activate() (cold, fresh process each)',
        unit: 'ms',
        value: activate,
        target: '< 20 ms',
        met: activate.median < 20,
        note: `loading the bundle before it: ${load.median.toFixed(1)} ms (${load.min.toFixed(1)}–${load.max.toFixed(1)}); registered ${JSON.stringify(samples[0]?.registrations ?? {})}`,
      },
      {
        figure: 4,
        name: '.vsix size',
        unit: 'bytes',
        value: spread([vsixBytes]),
        target: '< 1 MB',
        met: vsixBytes < 1024 * 1024,
        note: `vsce package took ${packaged.seconds.toFixed(1)} s`,
      },
      {
        figure: 4,
        name: 'dist/extension.js (production)',
        unit: 'bytes',
        value: spread([bundleBytes]),
        target: '',
        met: null,
        note: `${(gzipBytes / 1024).toFixed(1)} KiB gzipped`,
      },
    ];
    return {
      rows,
      detail: {
        bundleBytes,
        gzipBytes,
        vsixBytes,
        samples: samples.map(({ stubbed: _s, ...rest }) => rest),
        stubbedApi: stubbed,
        packageSeconds: packaged.seconds,
      },
    };
  } finally {
    rmSync(packaged.dir, { recursive: true, force: true });
  }
}
