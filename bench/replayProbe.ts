/**
 * Runs in its own Node process (bundled by bench/typingReplay.ts): replays every corpus file with
 * one client variant, the files side by side, and prints the results as one JSON line. Variants run
 * in separate processes so they do not share an event loop, and the whole sweep fits the budget.
 */
import { loadCorpus } from './benchDocuments';
import type { LlamaBehaviour } from '../test/fixtures/scriptedServer';
import { replayTyping, type ReplayClient, type ReplayResult } from './typingSession';

export interface ReplayProbeInput {
  corpusDir: string;
  client: ReplayClient;
  timeScale: number;
  timeToFirstTokenMs: number;
  tokenDelayMs: number;
  maxChars?: number;
  /** Type this many characters at this share of each file, the rest of the file after the cursor. */
  typeAt?: { share: number; chars: number };
  llama?: LlamaBehaviour;
  answers?: 'continuation' | 'junk';
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
          ...(input.typeAt
            ? { typeAt: { start: Math.floor(file.text.length * input.typeAt.share), chars: input.typeAt.chars } }
            : {}),
          ...(input.llama ? { llama: input.llama } : {}),
          ...(input.answers ? { answers: input.answers } : {}),
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
