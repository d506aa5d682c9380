import { CompletionCache, suffixKeyOf, type CachedChoice, type CacheHit } from './completionCache';
import type { ChoiceProgress } from '../protocol/completionClient';
import {
  decisionWithoutRequest,
  executeCompletion,
  prepareCompletion,
  type CompletionDecision,
  type CompletionOutcome,
  type CompletionQuery,
  type DecisionReasonCode,
  type PreparedCompletion,
  type Suggestion,
  type SuggestionSource,
} from './completionEngine';
import { DebouncePolicy, parseDebounceSetting } from './debouncePolicy';
import type { HttpTransport } from '../transport/httpTransport';
import { InfillError, toInfillError } from '../infillError';
import { resolveProvider, type ResolvedProvider } from '../providers/providerPresets';
import type { InfillSettings } from '../settings';
import { normalizeNewlines } from '../stream/streamStopRules';
import { readWindowFor } from '../prompt/promptAssembler';
import { DocumentWithInsertion } from '../prompt/textDocumentLike';
import { midLineGate } from './triggerGate';
import type { PromptContext } from '../prompt/context/contextTypes';

/** A query for the engine, plus how the editor asked. */
export interface ProvideRequest extends CompletionQuery {
  /** Typing (automatic) or an explicit request (Invoke), which asks at once. */
  trigger: 'automatic' | 'invoke';
  /**
   * The gathered context once the debounce is over: the glue started gathering with the keystroke
   * and resolves within its deadline (`infill.context.deadlineMs`) with what is ready.
   */
  resolveContext?: () => Promise<PromptContext | undefined>;
}

export interface ControllerOptions {
  /** Clock for debounce measurements (the benchmark replays typing on its own clock). */
  now?: () => number;
  /** Entries kept in the completion cache. */
  cacheSize?: number;
  /** How to wait `ms`; resolves true when the wait ran out, false when `signal` aborted it. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<boolean>;
}

export interface ControllerStats {
  /** Completion requests sent to the server (speculative ones included). */
  requestsSent: number;
  /** Requests aborted because the user moved on to a position they cannot serve. */
  requestsAborted: number;
  /** Positions served from the cache at a position seen before (backspace, re-trigger). */
  cacheHits: number;
  /** Positions served from a stored or streaming suggestion the user typed into. */
  typedAheadHits: number;
  /** Requests that joined one already streaming instead of starting another. */
  streamJoins: number;
  speculativeRequests: number;
  /** Positions served from a speculative prefetch. */
  speculativeHits: number;
  /** Characters of raw completion text received. */
  tokensGenerated: number;
  /** Calls that waited for typing to pause, and those superseded while waiting. */
  debounceWaits: number;
  debounceSuperseded: number;
  /** Calls stopped by the mid-line gate. */
  gateSkips: number;
}

interface InFlight {
  documentId: string;
  /** Window prefix and suffix key of the position the request was made for. */
  prefix: string;
  suffixKey: string;
  controller: AbortController;
  promise: Promise<CompletionOutcome>;
  /** Latest raw text of choice 0, LF line endings. */
  text: string;
  done: boolean;
  speculative: boolean;
  /** Positions waiting on this request, told of each streamed update. */
  watchers: Set<() => void>;
}

/**
 * Per-editor completion flow: the mid-line gate, the cache and typed-ahead reuse, debounce, at most
 * one request in flight per document (a superseded request is aborted unless the new position is
 * reachable from what it is streaming, in which case the new position waits for it), and the
 * speculative prefetch of what follows a shown suggestion. Never throws.
 */
export class CompletionController {
  readonly stats: ControllerStats = {
    requestsSent: 0,
    requestsAborted: 0,
    cacheHits: 0,
    typedAheadHits: 0,
    streamJoins: 0,
    speculativeRequests: 0,
    speculativeHits: 0,
    tokensGenerated: 0,
    debounceWaits: 0,
    debounceSuperseded: 0,
    gateSkips: 0,
  };
  readonly debounce: DebouncePolicy;
  private readonly cache: CompletionCache;
  private readonly inFlight = new Map<string, InFlight>();
  private readonly generation = new Map<string, number>();
  private readonly background = new Set<Promise<unknown>>();
  /**
   * Positions already prefetched, most recent last. A prefetch whose answer was empty (or filtered
   * away) leaves nothing in the cache, and every keystroke typed through the suggestion would
   * otherwise send the same request again.
   */
  private readonly speculated: string[] = [];
  /** The settings the cached answers were made with (see answerFingerprint). */
  private fingerprint: string | undefined;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<boolean>;
  private disposed = false;

  constructor(
    readonly transport: HttpTransport,
    options: ControllerOptions = {},
  ) {
    this.debounce = new DebouncePolicy(options.now);
    this.cache = new CompletionCache(options.cacheSize ?? 100);
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** Entries in the completion cache. */
  get cacheSize(): number {
    return this.cache.size;
  }

  /** Requests running now (at most one per document). */
  get requestsInFlight(): number {
    return this.inFlight.size;
  }

  async provide(req: ProvideRequest): Promise<CompletionOutcome> {
    try {
      return await this.provideUnsafe(req);
    } catch (err) {
      // A bug here must cost one suggestion, never an exception into the editor.
      const error = toInfillError(err, 'protocol');
      return {
        suggestions: [],
        decision: {
          ...decisionWithoutRequest(req.settings, 'error', 'error', `internal error: ${error.message}`),
          error,
        },
      };
    }
  }

  /** A decision made by the caller before asking (disabled language, excluded file), counted like the others. */
  skip(settings: Pick<InfillSettings, 'model'>, code: DecisionReasonCode, reason: string): CompletionOutcome {
    return { suggestions: [], decision: decisionWithoutRequest(settings, 'skipped', code, reason) };
  }

  /** Resolves when no request (speculative ones included) is running: for tests and the benchmark. */
  async whenIdle(): Promise<void> {
    while (this.background.size > 0 || this.inFlight.size > 0) {
      await Promise.allSettled([...this.background, ...[...this.inFlight.values()].map((f) => f.promise)]);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const f of this.inFlight.values()) f.controller.abort(new InfillError('aborted', 'Infill was disposed'));
    this.inFlight.clear();
    this.cache.clear();
  }

  private async provideUnsafe(req: ProvideRequest): Promise<CompletionOutcome> {
    const { settings, document } = req;
    const documentId = document.fileName;
    const generation = (this.generation.get(documentId) ?? 0) + 1;
    this.generation.set(documentId, generation);
    if (req.trigger === 'automatic') this.debounce.noteKeystroke();
    if (this.disposed) return this.skip(settings, 'cancelled', 'Infill was disposed');
    if (!settings.enable) return this.skip(settings, 'disabled', 'Infill is disabled (infill.enable)');

    let provider: ResolvedProvider;
    try {
      provider = req.provider ?? resolveProvider(settings);
    } catch (err) {
      const error = err instanceof InfillError ? err : toInfillError(err, 'config');
      return {
        suggestions: [],
        decision: { ...decisionWithoutRequest(settings, 'error', 'error', error.message), error },
      };
    }
    // Stored answers belong to the settings that produced them: after a change of server, model,
    // template or stop rules, a position seen before must be asked again.
    const fingerprint = answerFingerprint(settings, provider);
    if (fingerprint !== this.fingerprint) {
      if (this.fingerprint !== undefined) this.cache.clear();
      this.fingerprint = fingerprint;
    }
    // Per keystroke only the window is read; the prompt (open-files snippets included) is built
    // once a request is really going out.
    const window = readWindowFor({
      document,
      position: req.position,
      settings,
      ...(req.openDocuments ? { openDocuments: req.openDocuments } : {}),
      ...(req.context ? { context: req.context } : {}),
    });
    const light: CompletionDecision = {
      ...decisionWithoutRequest(settings, 'skipped', 'midLineGate', ''),
      promptChars: window.prefix.length,
      suffixChars: window.suffix.length,
    };

    const gate = midLineGate(window.lineSuffix, req.trigger);
    if (!gate.ask) {
      this.stats.gateSkips++;
      return { suggestions: [], decision: { ...light, reason: gate.reason } };
    }

    const cached = this.serveFromCache(documentId, window.prefix, window.suffix, light, window.eol);
    if (cached) {
      this.maybeSpeculate(req, provider, cached.suggestions[0]);
      return cached;
    }

    // A request already streaming for this document: join it if this position is reachable from it.
    const running = this.inFlight.get(documentId);
    if (running) {
      const suffixKey = suffixKeyOf(window.suffix);
      if (isReachable(running, window.prefix, suffixKey)) {
        this.stats.streamJoins++;
        // Joined before the stream says anything (or while it agrees with what was typed): stop
        // waiting the moment it streams something else, rather than at its end.
        const settled = await raceJoin(running, req.signal, () => !isReachable(running, window.prefix, suffixKey));
        if (settled === 'aborted')
          return this.cancelled(light, 'cancelled by the editor while waiting for the streaming suggestion');
        if (settled === 'diverged') {
          if (this.generation.get(documentId) !== generation) {
            return {
              suggestions: [],
              decision: {
                ...light,
                outcome: 'cancelled',
                reasonCode: 'superseded',
                reason: 'superseded by a newer request',
              },
            };
          }
          if (this.inFlight.get(documentId) === running) this.abortRunning(running);
        } else {
          // Asked again at the very position of the running request: its own answer, as it came.
          if (running.prefix === window.prefix && settled.value.suggestions.length > 0) return settled.value;
          const served = this.serveFromCache(documentId, window.prefix, window.suffix, light, window.eol, true);
          if (served) return served;
        }
      } else {
        this.abortRunning(running);
      }
    }

    const debounce = this.debounce.delayFor(parseDebounceSetting(settings.debounceMs), {
      trigger: req.trigger,
      linePrefix: window.linePrefix,
      lineSuffix: window.lineSuffix,
      paid: provider.paid,
    });
    if (debounce.ms > 0) {
      this.stats.debounceWaits++;
      const waited = new AbortController();
      const onAbort = () => waited.abort();
      req.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        if (req.signal?.aborted) waited.abort();
        const ran = await this.sleep(debounce.ms, waited.signal);
        if (!ran || this.generation.get(documentId) !== generation) {
          this.stats.debounceSuperseded++;
          return {
            suggestions: [],
            decision: {
              ...light,
              outcome: 'cancelled',
              reasonCode: 'superseded',
              reason: 'superseded while waiting for typing to pause',
              debounceMs: debounce.ms,
            },
          };
        }
      } finally {
        req.signal?.removeEventListener('abort', onAbort);
      }
    }
    if (this.generation.get(documentId) !== generation) {
      return {
        suggestions: [],
        decision: { ...light, outcome: 'cancelled', reasonCode: 'superseded', reason: 'superseded by a newer request' },
      };
    }
    if (req.signal?.aborted) return this.cancelled(light, 'cancelled by the editor before the request');
    const context = (req.resolveContext ? await req.resolveContext() : undefined) ?? req.context;
    if (this.generation.get(documentId) !== generation) {
      return {
        suggestions: [],
        decision: { ...light, outcome: 'cancelled', reasonCode: 'superseded', reason: 'superseded by a newer request' },
      };
    }

    let prepared: PreparedCompletion;
    try {
      prepared = prepareCompletion({
        document,
        position: req.position,
        settings,
        endpoint: req.endpoint,
        provider,
        ...(req.openDocuments ? { openDocuments: req.openDocuments } : {}),
        ...(context ? { context } : {}),
        ...(req.afterPartialAccept ? { afterPartialAccept: true } : {}),
      });
    } catch (err) {
      const error = err instanceof InfillError ? err : toInfillError(err, 'config');
      return {
        suggestions: [],
        decision: { ...decisionWithoutRequest(settings, 'error', 'error', error.message), error },
      };
    }

    // Another call may have started a request meanwhile; one per document.
    const other = this.inFlight.get(documentId);
    if (other) this.abortRunning(other);
    const flight = this.start(documentId, prepared, false);
    // The editor's cancellation does not abort the request: the next keystroke may be served by it.
    // Only a later position that cannot use it aborts it (above).
    const settled = await raceAbort(flight.promise, req.signal);
    if (settled === 'aborted')
      return this.cancelled(prepared.base, 'cancelled by the editor; the request goes on for the next keystroke');
    const outcome = settled.value;
    const decision: CompletionDecision = {
      ...outcome.decision,
      ...(debounce.ms > 0 ? { debounceMs: debounce.ms } : {}),
    };
    if (outcome.suggestions.length > 0)
      this.maybeSpeculate(context ? { ...req, context } : req, provider, outcome.suggestions[0]);
    return { ...outcome, decision };
  }

  private serveFromCache(
    documentId: string,
    prefix: string,
    suffix: string,
    base: CompletionDecision,
    eol: '\n' | '\r\n',
    joined = false,
  ): CompletionOutcome | undefined {
    const hit: CacheHit | undefined = this.cache.lookup(documentId, prefix, suffix);
    if (!hit) return undefined;
    let source: SuggestionSource;
    if (hit.typed.length > 0) {
      source = 'typedAhead';
      this.stats.typedAheadHits++;
    } else if (hit.entry.source === 'speculative') {
      source = 'speculative';
      this.stats.speculativeHits++;
    } else {
      source = joined ? 'typedAhead' : 'cache';
      if (joined) this.stats.typedAheadHits++;
      else this.stats.cacheHits++;
    }
    const suggestions: Suggestion[] = hit.choices.map((c) => ({
      insertText: eol === '\r\n' ? c.text.replace(/\r?\n/g, '\r\n') : c.text,
      replaceSuffixChars: c.replaceSuffixChars,
      ...(c.meanLogprob !== undefined ? { meanProbability: Math.exp(c.meanLogprob) } : {}),
    }));
    const reason =
      source === 'typedAhead'
        ? `served from a suggestion the typing matches (${hit.typed.length} characters typed into it)`
        : source === 'speculative'
          ? 'served from the speculative prefetch'
          : 'served from the cache (this position was completed before)';
    return {
      suggestions,
      decision: {
        ...base,
        outcome: 'shown',
        reasonCode: 'cacheHit',
        reason,
        source,
        fromCache: true,
        shownText: suggestions[0]!.insertText,
      },
    };
  }

  private start(documentId: string, prepared: PreparedCompletion, speculative: boolean): InFlight {
    const window = prepared.assembled.window;
    const controller = new AbortController();
    const flight: InFlight = {
      documentId,
      prefix: window.prefix,
      suffixKey: suffixKeyOf(window.suffix),
      controller,
      text: '',
      done: false,
      speculative,
      watchers: new Set(),
      promise: Promise.resolve(undefined as unknown as CompletionOutcome),
    };
    this.stats.requestsSent++;
    if (speculative) this.stats.speculativeRequests++;
    flight.promise = executeCompletion(this.transport, prepared, {
      signal: controller.signal,
      onText: (choice: ChoiceProgress) => {
        if (choice.index !== 0) return;
        flight.text = normalizeNewlines(choice.text);
        for (const watch of flight.watchers) watch();
      },
    }).then((outcome) => {
      flight.done = true;
      if (this.inFlight.get(documentId) === flight) this.inFlight.delete(documentId);
      for (const c of outcome.result?.choices ?? []) this.stats.tokensGenerated += c.text.length;
      const latency = outcome.decision.firstTokenMs ?? outcome.decision.totalMs;
      if (latency !== undefined && outcome.decision.outcome !== 'cancelled') this.debounce.noteLatency(latency);
      if (outcome.suggestions.length > 0) {
        const choices: CachedChoice[] = outcome.suggestions.map((s) => ({
          text: s.insertText.replace(/\r\n/g, '\n'),
          replaceSuffixChars: s.replaceSuffixChars,
          ...(s.meanProbability !== undefined ? { meanLogprob: Math.log(s.meanProbability) } : {}),
        }));
        this.cache.set(documentId, window.prefix, window.suffix, choices, speculative ? 'speculative' : 'network');
      }
      return speculative ? { ...outcome, decision: { ...outcome.decision, source: 'speculative' as const } } : outcome;
    });
    this.inFlight.set(documentId, flight);
    return flight;
  }

  private abortRunning(flight: InFlight): void {
    if (flight.done) return;
    this.stats.requestsAborted++;
    flight.controller.abort(new InfillError('aborted', 'superseded by a position it cannot serve'));
    if (this.inFlight.get(flight.documentId) === flight) this.inFlight.delete(flight.documentId);
  }

  private cancelled(base: CompletionDecision, reason: string): CompletionOutcome {
    return { suggestions: [], decision: { ...base, outcome: 'cancelled', reasonCode: 'cancelled', reason } };
  }

  /**
   * `infill.speculative`: when a suggestion is shown, ask now for what would follow it once
   * accepted, so Tab-Tab-Tab does not wait. On by default for local servers only: relays charge
   * per token, and most prefetches are never used.
   */
  private maybeSpeculate(req: ProvideRequest, provider: ResolvedProvider, shown: Suggestion | undefined): void {
    if (!shown || this.disposed) return;
    const mode = req.settings.speculative;
    const enabled = mode === 'on' || (mode === 'auto' && provider.local && !provider.paid);
    if (!enabled) return;
    const documentId = req.document.fileName;
    if (this.inFlight.has(documentId)) return;
    const next = new DocumentWithInsertion(req.document, req.position, shown.insertText, shown.replaceSuffixChars);
    const nextWindow = readWindowFor({
      document: next,
      position: next.end,
      settings: req.settings,
      ...(req.openDocuments ? { openDocuments: req.openDocuments } : {}),
      ...(req.context ? { context: req.context } : {}),
    });
    if (!midLineGate(nextWindow.lineSuffix, 'automatic').ask) return;
    if (this.cache.lookup(documentId, nextWindow.prefix, nextWindow.suffix)) return;
    const key = `${documentId}\u0000${nextWindow.prefix}\u0000${nextWindow.suffix}`;
    if (this.speculated.includes(key)) return;
    this.speculated.push(key);
    if (this.speculated.length > MAX_SPECULATED_REMEMBERED) this.speculated.shift();
    let speculative: PreparedCompletion;
    try {
      speculative = prepareCompletion({
        document: next,
        position: next.end,
        settings: req.settings,
        endpoint: req.endpoint,
        provider,
        ...(req.openDocuments ? { openDocuments: req.openDocuments } : {}),
        ...(req.context ? { context: req.context } : {}),
      });
    } catch {
      return;
    }
    const flight = this.start(documentId, speculative, true);
    const done = flight.promise.finally(() => this.background.delete(done));
    this.background.add(done);
  }
}

/** Every setting that changes what the server answers or what is shown of it. */
function answerFingerprint(settings: InfillSettings, provider: ResolvedProvider): string {
  return JSON.stringify([
    provider.id,
    provider.baseUrl,
    provider.endpointPath,
    settings.model,
    settings.fimMode,
    settings.fimTemplate,
    settings.stop,
    settings.maxTokens,
    settings.temperature,
    settings.maxLines,
    settings.multiline,
    settings.n,
    settings.minConfidence,
    settings.contextLength,
    settings.extraBody,
  ]);
}

/** Enough to cover the suggestions of one stretch of typing; each entry is one window's text. */
const MAX_SPECULATED_REMEMBERED = 16;

/**
 * The new position (prefix `prefix`) can be served by the running request when it extends the
 * request's prefix by text the stream has produced, or is still producing (what was typed is
 * consistent with the text so far).
 */
function isReachable(flight: InFlight, prefix: string, suffixKey: string): boolean {
  if (flight.done || flight.suffixKey !== suffixKey || !prefix.startsWith(flight.prefix)) return false;
  const typed = normalizeNewlines(prefix.slice(flight.prefix.length));
  if (typed === '') return true;
  const streamed = flight.text.replace(/^[ \t]+/, '');
  return streamed.startsWith(typed) || typed.startsWith(streamed) || flight.text.startsWith(typed);
}

/** Waits for a joined request, the editor's cancellation, or the stream parting from what was typed. */
async function raceJoin(
  flight: InFlight,
  signal: AbortSignal | undefined,
  diverged: () => boolean,
): Promise<{ value: CompletionOutcome } | 'aborted' | 'diverged'> {
  let watch: (() => void) | undefined;
  const parted = new Promise<'diverged'>((resolve) => {
    watch = () => {
      if (!flight.done && diverged()) resolve('diverged');
    };
    flight.watchers.add(watch);
  });
  try {
    return await Promise.race([raceAbort(flight.promise, signal), parted]);
  } finally {
    if (watch) flight.watchers.delete(watch);
  }
}

async function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<{ value: T } | 'aborted'> {
  if (!signal) return { value: await promise };
  if (signal.aborted) return 'aborted';
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve({ value });
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
