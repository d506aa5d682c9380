/**
 * Runs in its own Node process with --expose-gc (bundled by bench/memory.ts), so the heap it
 * measures holds only the client: the server lives in the parent process. Sends N completions
 * through the provider under test, one line further down a large document each time so every
 * prompt is new and any cache fills and then evicts, and prints the heap after full garbage
 * collections at checkpoints, as one JSON line.
 */
import { documentOfLines, loadCorpus } from './benchDocuments';
import { benchSettings } from './benchSettings';
import { controllerProvider } from './providerUnderTest';

export interface MemorySample {
  requests: number;
  heapUsedMB: number;
}

export interface MemoryProbeResult {
  samples: MemorySample[];
  shown: number;
  failed: number;
  seconds: number;
  /** Entries in the controller's completion cache at the end: full means evictions happened. */
  cacheEntries: number;
  error?: string;
}

const gc = (globalThis as { gc?: () => void }).gc;

function heapAfterGc(): number {
  if (!gc) throw new Error('run with --expose-gc');
  // Two passes: the first can leave objects that only the second finds unreachable (finalizers).
  gc();
  gc();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}

async function main(): Promise<void> {
  const [baseUrl, corpusDir, requestsArg, everyArg] = process.argv.slice(2);
  if (!baseUrl || !corpusDir) throw new Error('usage: memoryProbe <baseUrl> <corpusDir> [requests] [checkpointEvery]');
  const total = Number(requestsArg ?? 10_000);
  const every = Number(everyArg ?? 500);
  const result: MemoryProbeResult = { samples: [], shown: 0, failed: 0, seconds: 0, cacheEntries: 0 };
  const started = performance.now();
  const corpus = loadCorpus(corpusDir)[0]!;
  const document = documentOfLines(corpus, 20_000);
  const provider = controllerProvider();
  // Exactly one request per call: no prefetch.
  const settings = benchSettings(baseUrl, { debounceMs: 0, speculative: 'off' });
  const endpoint = { baseUrl, endpointPath: '/completions' };
  try {
    result.samples.push({ requests: 0, heapUsedMB: heapAfterGc() });
    for (let i = 1; i <= total; i++) {
      const line = 50 + (i % (document.lineCount - 100));
      const answer = await provider.provide({
        document,
        position: { line, character: document.lineText(line).length },
        settings,
        endpoint,
        trigger: 'invoke',
      });
      if (answer.suggestions.length > 0) result.shown++;
      else result.failed++;
      if (i % every === 0) result.samples.push({ requests: i, heapUsedMB: heapAfterGc() });
    }
    result.cacheEntries = provider.controller.cacheSize;
  } catch (err) {
    result.error = err instanceof Error ? (err.stack ?? err.message) : String(err);
  } finally {
    await provider.close();
  }
  result.seconds = (performance.now() - started) / 1000;
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0);
}

void main();
