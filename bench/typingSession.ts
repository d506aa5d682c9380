import { completionUrl } from '../src/core/protocol/completionClient';
import type { ProvideRequest } from '../src/core/engine/completionController';
import { prepareCompletion, type CompletionOutcome, type SuggestionSource } from '../src/core/engine/completionEngine';
import type { InfillSettings } from '../src/core/settings';
import { StringDocument } from '../src/core/prompt/textDocumentLike';
import { sleep, startTokenServer, type LlamaBehaviour } from '../test/fixtures/scriptedServer';
import type { CorpusFile } from './benchDocuments';
import { benchSettings } from './benchSettings';
import { continuationAnswer, tokenizeCode } from './continuationServer';
import { naiveCompletion } from './naiveClient';
import { controllerProvider } from './providerUnderTest';
import { seededRandom } from './stats';

/**
 * One simulated editor session: a user types a corpus file character by character against a
 * server that answers with the file's true continuation, through the real CompletionController,
 * driven the way VS Code drives an inline completion provider:
 * - every document change calls provide (trigger automatic) and cancels the previous call's token;
 * - a result for the current document version shows as ghost text; a stale one is dropped;
 * - typing a character that the ghost text starts with keeps the rest of it showing, while the
 *   provider is asked again;
 * - Tab inserts the ghost text, and that change triggers provide again.
 * The user: 8–12 characters a second with pauses (longer after a line, short ones between words),
 * Enter inserts the next line's indentation as an editor's auto-indent does, and a suggestion that
 * is exactly what they were about to type is accepted with Tab after a reaction time; a wrong one
 * is typed over. Nothing is typed after the cursor (a new file written top to bottom).
 *
 * Time runs `timeScale` times faster than real: typing gaps, pauses, reaction times, the server's
 * delays and the controller's debounce are all divided by it (the controller's clock and sleep are
 * injected, and the latencies it learns from are scaled back), so every figure is in the user's
 * (virtual) milliseconds. What does not scale is the client's own CPU time, which is therefore
 * counted `timeScale` times over: the figures are pessimistic, not flattering.
 */

export type ReplayClient =
  | { kind: 'infill'; settings: Partial<InfillSettings> }
  /** The naive client builds its prompt from these settings too (e.g. a window as large as the file). */
  | { kind: 'naive'; settings?: Partial<InfillSettings> };

export interface ReplayConfig {
  file: CorpusFile;
  client: ReplayClient;
  timeScale: number;
  seed: number;
  /** Server's time to first token and per-token delay, in virtual ms. */
  timeToFirstTokenMs: number;
  tokenDelayMs: number;
  /** Replay only this many characters of the file (all when undefined). */
  maxChars?: number;
  /**
   * Type the lines from offset `start` (moved back to a line start) for at least `chars` characters,
   * with the rest of the file already there after the cursor: editing inside a file.
   */
  typeAt?: { start: number; chars: number };
  /** Make the server behave like llama.cpp: a prompt cache, prompt time, `timings` (see scriptedServer). */
  llama?: LlamaBehaviour;
  /**
   * `junk`: the server answers with text the user never wants (like a model with random weights),
   * so every character is typed and every keystroke may cost a request. Default: the true continuation.
   */
  answers?: 'continuation' | 'junk';
  /** Keep one line per exchange (end of prompt, text generated) in the result, to explain figures. */
  logExchanges?: boolean;
}

export interface ShownSuggestion {
  source: SuggestionSource | 'naive';
  chars: number;
  tokens: number;
  /** Keystroke to ghost text, virtual ms. */
  latencyMs: number;
  /** The server's own time to generate this suggestion from scratch for this keystroke, virtual ms. */
  serverMs: number;
}

export interface ReplayResult {
  file: string;
  fileChars: number;
  /** Document changes made by typing (one per key, Enter with its auto-indent counting one). */
  keystrokes: number;
  acceptedChars: number;
  acceptances: number;
  virtualSeconds: number;
  realSeconds: number;
  requests: number;
  speculativeRequests: number;
  requestsAborted: number;
  streamsClosedEarly: number;
  cacheHits: number;
  typedAheadHits: number;
  streamJoins: number;
  speculativeHits: number;
  suggestionsShown: number;
  shown: ShownSuggestion[];
  /** Keystrokes typed into a showing suggestion (it stayed visible), and requests started meanwhile. */
  typedThroughKeystrokes: number;
  requestsWhileTypingThrough: number;
  /** Of those, the speculative prefetches of what follows the suggestion. */
  speculativeWhileTypingThrough: number;
  tokensGenerated: number;
  tokensShown: number;
  /** With `llama`: per request, the prompt tokens the server evaluated and those it reused. */
  promptEvaluated: number[];
  promptReused: number[];
  exchangeLog?: string[];
}

/** Never what the user types next: a comment no corpus line starts with. */
const JUNK_ANSWER = [' #', ' zq', ' zq', '\n'];

interface Ghost {
  text: string;
  /** Virtual time at which the user will press Tab, when the suggestion is what they meant to type. */
  acceptAt?: number;
}

export async function replayTyping(config: ReplayConfig): Promise<ReplayResult> {
  const { file, timeScale: scale } = config;
  // `text` is what the user types; `before` and `after` are already in the document around it.
  let before = '';
  let after = '';
  let text = config.maxChars !== undefined ? file.text.slice(0, config.maxChars) : file.text;
  if (config.typeAt) {
    // Whole lines, typed into an empty line: the text after the cursor is on the lines below.
    const start = file.text.lastIndexOf('\n', config.typeAt.start) + 1;
    const lineEnd = file.text.indexOf('\n', start + config.typeAt.chars);
    const end = lineEnd === -1 ? file.text.length : lineEnd;
    before = file.text.slice(0, start);
    text = file.text.slice(start, end);
    after = file.text.slice(end);
  }
  const random = seededRandom(config.seed);
  const server = await startTokenServer({
    timeToFirstTokenMs: config.timeToFirstTokenMs / scale,
    tokenDelayMs: config.tokenDelayMs / scale,
    answer: config.answers === 'junk' ? () => JUNK_ANSWER : continuationAnswer(file.text),
    ...(config.llama
      ? {
          llama: {
            ...config.llama,
            promptTokensPerSecond: config.llama.promptTokensPerSecond * scale,
            timingsScale: scale,
          },
        }
      : {}),
  });
  const realStart = performance.now();
  const vnow = () => (performance.now() - realStart) * scale;
  const vsleep = (ms: number) => sleep(Math.max(0, ms / scale));
  const scaledSleep = (ms: number, signal: AbortSignal): Promise<boolean> =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve(false);
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms / scale);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });

  const provider =
    config.client.kind === 'infill' ? controllerProvider({}, { now: vnow, sleep: scaledSleep }) : undefined;
  if (provider) {
    // The controller learns the server's latency from the client's real-time measurements; scale
    // them to the virtual clock its keystroke gaps are measured on, or `auto` would misjudge.
    const debounce = provider.controller.debounce;
    const noteLatency = debounce.noteLatency.bind(debounce);
    debounce.noteLatency = (ms: number) => noteLatency(ms * scale);
  }
  const settings = benchSettings(server.baseUrl, config.client.settings ?? {});
  const endpoint = { baseUrl: server.baseUrl, endpointPath: '/completions' };
  const fileName = `/bench/replay/${file.name}`;

  const result: ReplayResult = {
    file: file.name,
    fileChars: text.length,
    keystrokes: 0,
    acceptedChars: 0,
    acceptances: 0,
    virtualSeconds: 0,
    realSeconds: 0,
    requests: 0,
    speculativeRequests: 0,
    requestsAborted: 0,
    streamsClosedEarly: 0,
    cacheHits: 0,
    typedAheadHits: 0,
    streamJoins: 0,
    speculativeHits: 0,
    suggestionsShown: 0,
    shown: [],
    typedThroughKeystrokes: 0,
    requestsWhileTypingThrough: 0,
    speculativeWhileTypingThrough: 0,
    tokensGenerated: 0,
    tokensShown: 0,
    promptEvaluated: [],
    promptReused: [],
  };

  let cursor = 0;
  let version = 0;
  let ghost: Ghost | undefined;
  let editor: AbortController | undefined;
  const pending = new Set<Promise<void>>();
  let naiveRequests = 0;

  /** Tokens the server spent to produce `chars` characters from `at`, plus the line break that ended them. */
  const serverTimeFor = (at: number, chars: number): number => {
    const produced = tokenizeCode(text.slice(at, at + chars)).length;
    const endedByBreak = text[at + chars] === '\n' ? 1 : 0;
    const tokens = Math.max(1, produced + endedByBreak);
    return config.timeToFirstTokenMs + (tokens - 1) * config.tokenDelayMs;
  };

  const showResult = (
    forVersion: number,
    keyTime: number,
    at: number,
    suggestion: string,
    source: ShownSuggestion['source'],
  ) => {
    if (forVersion !== version || suggestion.length === 0) return;
    if (ghost && ghost.text === suggestion) return; // the same suggestion, still showing
    const correct = text.startsWith(suggestion, at);
    const tokens = tokenizeCode(suggestion).length;
    // Every newly shown suggestion counts, whichever way it arrived (a stream the keystroke joined
    // is reported as typed-ahead by the controller); the same suggestion still showing does not.
    result.suggestionsShown++;
    result.tokensShown += tokens;
    result.shown.push({
      source,
      chars: suggestion.length,
      tokens,
      latencyMs: vnow() - keyTime,
      serverMs: serverTimeFor(at, suggestion.length),
    });
    ghost = { text: suggestion, ...(correct ? { acceptAt: vnow() + 250 + random() * 350 } : {}) };
  };

  /** What VS Code does after each change: cancel the last call, make a new one. */
  const provideFor = () => {
    editor?.abort();
    const controller = new AbortController();
    editor = controller;
    const forVersion = version;
    const at = cursor;
    const keyTime = vnow();
    const typed = before + text.slice(0, at);
    const document = new StringDocument(typed + after, file.languageId, fileName);
    const lastBreak = typed.lastIndexOf('\n');
    const position = { line: typed.split('\n').length - 1, character: typed.length - lastBreak - 1 };
    let task: Promise<void>;
    if (provider) {
      const request: ProvideRequest = {
        document,
        position,
        trigger: 'automatic',
        settings,
        endpoint,
        signal: controller.signal,
      };
      task = provider.provide(request).then((outcome: CompletionOutcome) => {
        const first = outcome.suggestions[0];
        if (first && outcome.decision.outcome === 'shown')
          showResult(forVersion, keyTime, at, first.insertText, outcome.decision.source);
      });
    } else {
      // The naive client: a request on every change, a new connection each, the whole answer read.
      const prepared = prepareCompletion({ document, position, settings, endpoint });
      naiveRequests++;
      task = naiveCompletion(completionUrl(endpoint), prepared.built.body, {}, controller.signal).then((answer) => {
        if (answer.aborted) return;
        const line = answer.text.split('\n')[0]!.replace(/\s+$/, '');
        showResult(forVersion, keyTime, at, line, 'naive');
      });
    }
    const tracked = task.catch(() => undefined).finally(() => pending.delete(tracked));
    pending.add(tracked);
  };

  const requestsSoFar = () => (provider ? provider.controller.stats.requestsSent : naiveRequests);

  /** The delay before the next key, in virtual ms: 8–12 characters a second, with pauses. */
  const gapAfter = (typed: string): number => {
    let gap = 1000 / (8 + random() * 4);
    if (typed.endsWith('\n') && random() < 0.5) gap += 300 + random() * 900;
    else if (/[ ,;:(){}]$/.test(typed) && random() < 0.08) gap += 200 + random() * 400;
    return gap;
  };

  let nextKeyAt = vnow() + gapAfter('');
  provideFor();
  while (cursor < text.length) {
    const acceptAt = ghost?.acceptAt;
    const now = vnow();
    if (acceptAt !== undefined && acceptAt <= nextKeyAt) {
      if (acceptAt > now) {
        await vsleep(acceptAt - now);
        continue; // the ghost may have changed while waiting
      }
      // Tab: the suggestion goes in as one change.
      const inserted = ghost!.text;
      cursor += inserted.length;
      result.acceptedChars += inserted.length;
      result.acceptances++;
      ghost = undefined;
      version++;
      provideFor();
      nextKeyAt = vnow() + gapAfter(inserted);
      continue;
    }
    if (nextKeyAt > now) {
      await vsleep(Math.min(nextKeyAt, acceptAt ?? Infinity) - now);
      continue;
    }
    // A key: a character, or Enter with the next line's indentation (auto-indent).
    let inserted = text[cursor]!;
    if (inserted === '\n') inserted += /^[ \t]*/.exec(text.slice(cursor + 1))![0];
    const requestsBefore = requestsSoFar();
    const speculativeBefore = provider?.controller.stats.speculativeRequests ?? 0;
    cursor += inserted.length;
    result.keystrokes++;
    version++;
    let typedThrough = false;
    if (ghost && ghost.text.startsWith(inserted) && ghost.text.length > inserted.length) {
      ghost = { ...ghost, text: ghost.text.slice(inserted.length) };
      typedThrough = true;
      result.typedThroughKeystrokes++;
    } else {
      ghost = undefined;
    }
    provideFor();
    nextKeyAt = vnow() + gapAfter(inserted);
    if (typedThrough) {
      // Requests the provider starts for this keystroke go out before the next key (after any debounce).
      const until = Math.min(nextKeyAt, ghost?.acceptAt ?? Infinity);
      await vsleep(Math.max(0, until - vnow()));
      result.requestsWhileTypingThrough += requestsSoFar() - requestsBefore;
      result.speculativeWhileTypingThrough += (provider?.controller.stats.speculativeRequests ?? 0) - speculativeBefore;
    }
  }
  editor?.abort();
  await Promise.allSettled([...pending]);
  if (provider) await provider.controller.whenIdle();
  await server.idle();
  result.virtualSeconds = vnow() / 1000;
  result.realSeconds = (performance.now() - realStart) / 1000;

  result.requests = server.exchanges.length;
  if (config.logExchanges) {
    result.exchangeLog = server.exchanges.map((e) => {
      const prompt = typeof e.request.body?.prompt === 'string' ? e.request.body.prompt : '';
      const generated = e.plannedTokens.slice(0, e.tokenWrittenAt.length).join('');
      return `${JSON.stringify(prompt.slice(-30))} -> ${JSON.stringify(generated.slice(0, 60))}${e.clientClosedEarly ? ' (closed early)' : ''}`;
    });
  }
  for (const e of server.exchanges) {
    if (!e.prompt) continue;
    result.promptEvaluated.push(e.prompt.evaluated);
    result.promptReused.push(e.prompt.reused);
  }
  result.tokensGenerated = server.exchanges.reduce((n, e) => n + e.tokenWrittenAt.length, 0);
  result.streamsClosedEarly = server.exchanges.filter((e) => e.clientClosedEarly).length;
  if (provider) {
    const s = provider.controller.stats;
    result.speculativeRequests = s.speculativeRequests;
    result.requestsAborted = s.requestsAborted;
    result.cacheHits = s.cacheHits;
    result.typedAheadHits = s.typedAheadHits;
    result.streamJoins = s.streamJoins;
    result.speculativeHits = s.speculativeHits;
    await provider.close();
  } else {
    result.requestsAborted = server.exchanges.filter((e) => e.clientClosedEarly).length;
  }
  await server.close();
  return result;
}
