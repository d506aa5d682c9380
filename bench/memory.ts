import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { startTokenServer } from '../test/fixtures/scriptedServer';
import { CORPUS_DIR } from './benchDocuments';
import type { MemoryProbeResult } from './memoryProbe';
import type { FigureRow } from './report';
import { spread } from './stats';

export interface MemoryOptions {
  requests: number;
  checkpointEvery: number;
  runs: number;
}

function runProbe(probe: string, baseUrl: string, options: MemoryOptions): Promise<MemoryProbeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', probe, baseUrl, CORPUS_DIR, String(options.requests), String(options.checkpointEvery)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', () => {
      try {
        const result = JSON.parse(out.trim().split('\n').pop() ?? '') as MemoryProbeResult;
        if (result.error) reject(new Error(`memory probe failed: ${result.error}`));
        else resolve(result);
      } catch {
        reject(new Error(`memory probe printed no result: ${err.slice(-1000)}`));
      }
    });
  });
}

/** Figure 5: the heap after many requests, and whether it keeps growing once caches are full. */
export async function measureMemory(options: MemoryOptions): Promise<{ rows: FigureRow[]; detail: unknown }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'infill-bench-memory-'));
  const probe = path.join(dir, 'memory-probe.cjs');
  buildSync({
    entryPoints: [path.join(__dirname, 'memoryProbe.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: probe,
    logLevel: 'error',
    external: ['esbuild'],
  });
  const server = await startTokenServer({ answer: () => ['value', ' =', ' compute', '(', 'item', ')', '\n'] });
  // The server keeps a record per exchange; drop them as they come, it is the client being measured.
  const forget = setInterval(() => server.clearExchanges(), 200);
  try {
    const results: MemoryProbeResult[] = [];
    for (let run = 0; run < options.runs; run++) results.push(await runProbe(probe, server.baseUrl, options));
    const growth = results.map((r) => r.samples[r.samples.length - 1]!.heapUsedMB - r.samples[0]!.heapUsedMB);
    const half = Math.floor(options.requests / 2);
    const lateGrowth = results.map((r) => {
      const mid = r.samples.find((s) => s.requests >= half)!;
      return r.samples[r.samples.length - 1]!.heapUsedMB - mid.heapUsedMB;
    });
    const peak = results.map((r) => Math.max(...r.samples.map((s) => s.heapUsedMB)) - r.samples[0]!.heapUsedMB);
    const rows: FigureRow[] = [
      {
        figure: 5,
        name: `heap growth after ${options.requests.toLocaleString('en-US')} requests`,
        unit: 'MB',
        value: spread(growth),
        target: '< 20 MB',
        met: spread(growth).max < 20,
        note: `peak above the start ${spread(peak).median.toFixed(2)} MB; cache held ${results[0]!.cacheEntries} entries at the end; ${results[0]!.seconds.toFixed(1)} s per run`,
      },
      {
        figure: 5,
        name: `heap growth, request ${half.toLocaleString('en-US')} → ${options.requests.toLocaleString('en-US')} (caches full)`,
        unit: 'MB',
        value: spread(lateGrowth),
        target: '< 1 MB (no growth)',
        met: spread(lateGrowth).max < 1,
      },
    ];
    return {
      rows,
      detail: results.map((r) => ({
        samples: r.samples,
        shown: r.shown,
        failed: r.failed,
        seconds: r.seconds,
        cacheEntries: r.cacheEntries,
      })),
    };
  } finally {
    clearInterval(forget);
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
