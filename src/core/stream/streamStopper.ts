import { findCompletionEnd } from './blockEnd';
import type { CompletionPlan, StopPoint } from './completionPlan';

/**
 * The stream adapter: plugs the stop rules into the stream contract, so the HTTP stream is closed
 * the moment the answer is complete (the server stops generating what nobody will read).
 */

/** Line ending normalization for the rules: they work on LF text. */
export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * The `onProgress` callback of the stream contract: answers `stop` once every expected choice has
 * reached its end, so the client closes the HTTP stream at once.
 */
export function createStreamStopper(
  plan: CompletionPlan,
  expectedChoices = 1,
): {
  onProgress: (choice: { index: number; text: string; finished: boolean }) => 'continue' | 'stop';
  /** Choices the rules have ended, with where and why. */
  readonly ended: ReadonlyMap<number, StopPoint>;
} {
  const ended = new Map<number, StopPoint>();
  const finished = new Set<number>();
  return {
    ended,
    onProgress(choice) {
      if (choice.finished) finished.add(choice.index);
      else if (!ended.has(choice.index)) {
        const stop = findCompletionEnd(normalizeNewlines(choice.text), plan, false);
        if (stop) ended.set(choice.index, stop);
      }
      let done = 0;
      for (let i = 0; i < expectedChoices; i++) if (ended.has(i) || finished.has(i)) done++;
      return done >= expectedChoices && ended.size > 0 ? 'stop' : 'continue';
    },
  };
}
