/**
 * Runs in its own Node process (bundled by bench/typingReplay.ts): replays every corpus file with
 * one client variant, the files side by side, and prints the results as one JSON line. Variants run
 * in separate processes so they do not share an event loop, and the whole sweep fits the budget.
 */
import { loadCorpus } from './benchDocuments';
import { replayTyping, type ReplayClient, type ReplayResult } from './typingSession';

export interface ReplayProbeInput {
  corpusDir: string;
  client: ReplayClient;
  timeScale: number;
  timeToFirstTokenMs: number;
  tokenDelayMs: number;
  maxChars?: number;
}

export interface ReplayProbeOutput {
  results?: ReplayResult[];
  error?: string;
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as ReplayProbeInput;
  const output: ReplayProbeOutput = {};
  try {
    const files = loadCorpus(input.corpusDir);
    output.results = await Promise.all(
      files.map((file, i) =>
        replayTyping({
          file,
          client: input.client,
          timeScale: input.timeScale,
          seed: 17 + i,
          timeToFirstTokenMs: input.timeToFirstTokenMs,
          tokenDelayMs: input.tokenDelayMs,
          ...(input.maxChars !== undefined ? { maxChars: input.maxChars } : {}),
        }),
      ),
    );
  } catch (err) {
    output.error = err instanceof Error ? (err.stack ?? err.message) : String(err);
  }
  process.stdout.write(JSON.stringify(output) + '\n');
  process.exit(0);
}

void main();
