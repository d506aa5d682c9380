import { setTimeout as sleep } from 'node:timers/promises';
import { answerFingerprint, outcomeFromCache } from './cachedAnswers';
import { CompletionCache, suffixKeyOf, type CachedChoice } from './completionCache';
import {
  prepareCompletion,
  type CompletionDecision,
  type CompletionOutcome,
  type DecisionReasonCode,
  type PreparedCompletion,
  type Suggestion,
} from './completionEngine';
import { DebouncePolicy, parseDebounceSetting } from './debouncePolicy';
import { InFlightRequests, isReachable, raceAbort, raceJoin, type InFlight } from './inFlightRequests';
import { Speculation } from './speculation';
import type { HttpTransport } from '../transport/httpTransport';
import { InfillError, toInfillError } from '../infillError';
import { resolveProvider, type ResolvedProvider } from '../providers/providerPresets';
import type { InfillSettings } from '../settings';
import { readWindowFor } from '../prompt/promptAssembler';
import type { PromptWindow } from '../prompt/promptWindow';
import { newDecision } from '../reports/decisionRecord';
import { midLineGate } from './triggerGate';
import { withPromptSpeed } from './promptSpeed';
import type { ControllerOptions, ControllerStats, ProvideRequest } from './controllerTypes';

export type { ControllerOptions, ControllerStats, ProvideRequest };

/**
 * Per-editor completion flow, on the one window read per call: the mid-line gate, the cache
 * (typed-ahead reuse, and empty answers remembered per position), debounce, at most one request in
 * flight per document (a superseded request is aborted unless the new position is reachable from
 * what it is streaming, in which case the new position waits for it; one nobody waits for is
 * aborted after ABANDON_AFTER_MS), and the speculative prefetch of what follows a shown
 * suggestion. Never throws.
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
  private readonly inFlight: InFlightRequests;
  private readonly speculation: Speculation;
  private readonly generation = new Map<string, number>();
  /** The settings the cached answers were made with (see answerFingerprint). */
  private fingerprint: string | undefined;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<boolean>;
  private disposed = false;
  private readonly onRequestSettled: ((decision: CompletionDecision) => void) | undefined;
  /** Aborted by dispose(): ends every debounce wait at once. */
  private readonly lifetime = new AbortController();

  constructor(
    readonly transport: HttpTransport,
    options: ControllerOptions = {},
  ) {
    this.debounce = new DebouncePolicy(options.now);
    this.cache = new CompletionCache(options.cacheSize ?? 100);
    this.sleep = options.sleep ?? defaultSleep;
    this.onRequestSettled = options.onRequestSettled;
    this.inFlight = new InFlightRequests(
      transport,
      {
        onStart: (flight) => {
          this.stats.requestsSent++;
          if (flight.speculative) this.stats.speculativeRequests++;
        },
        onSettled: (flight, outcome, prepared) => this.settle(flight, outcome, prepared),
        onAborted: () => this.stats.requestsAborted++,
      },
      options.abandonAfterMs,
    );
    this.speculation = new Speculation(this.cache, this.inFlight);
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
          ...newDecision(req.settings.model, 'error', 'error', `internal error: ${error.message}`),
          error,
        },
      };
    }
  }

  /** A decision made by the caller before asking (disabled language, excluded file), counted like the others. */
  skip(settings: Pick<InfillSettings, 'model'>, code: DecisionReasonCode, reason: string): CompletionOutcome {
    return { suggestions: [], decision: newDecision(settings.model, 'skipped', code, reason) };
  }

  /** Resolves when no request (speculative ones included) is running: for tests and the benchmark. */
  async whenIdle(): Promise<void> {
    while (this.speculation.pending().length > 0 || this.inFlight.size > 0) {
      await Promise.allSettled([...this.speculation.pending(), ...this.inFlight.promises()]);
    }
  }

  dispose(): void {
    this.disposed = true;
    this.lifetime.abort();
    this.inFlight.abortAll('Infill was disposed');
    this.cache.clear();
  }

  private async provideUnsafe(req: ProvideRequest): Promise<CompletionOutcome> {
    const begun = this.begin(req);
    if ('outcome' in begun) return begun.outcome;
    const { provider, generation } = begun;
    const documentId = req.document.fileName;
    // Per keystroke only the window is read; the prompt (open-files snippets included) is built
    // once a request is really going out.
    const window = readWindowFor({
      document: req.document,
      position: req.position,
      settings: req.settings,
      provider,
      ...(req.openDocuments ? { openDocuments: req.openDocuments } : {}),
      ...(req.context ? { context: req.context } : {}),
    });
    const light = newDecision(req.settings.model, 'skipped', 'midLineGate', '', {
      promptChars: window.prefix.length,
      suffixChars: window.suffix.length,
    });

    const gate = midLineGate(window.lineSuffix, req.trigger);
    if (!gate.ask) {
      this.stats.gateSkips++;
      return { suggestions: [], decision: { ...light, reason: gate.reason } };
    }

    const cached = this.serveFromCache(documentId, window, light, req.trigger);
    if (cached) {
      this.speculate(req, provider, cached.suggestions[0]);
      return cached;
    }

    const joined = await this.joinRunning(req, window, light, generation);
    if (joined) return joined;

    const debounce = this.debounce.delayFor(parseDebounceSetting(req.settings.debounceMs), {
      trigger: req.trigger,
      linePrefix: window.linePrefix,
      lineSuffix: window.lineSuffix,
      paid: provider.paid,
    });
    const waited = await this.waitForTypingPause(req, debounce.ms, light, generation);
    if (waited) return waited;
    if (req.signal?.aborted) return this.cancelled(light, 'cancelled by the editor before the request');
    // Gathering ran while the debounce waited; what it has within its deadline goes in.
    const context = (req.resolveContext ? await req.resolveContext() : undefined) ?? req.context;
    if (this.generation.get(documentId) !== generation) return this.superseded(light, 'superseded by a newer request');

    return this.send(context ? { ...req, context } : req, window, provider, debounce.ms);
  }

  /** The checks before the window is read: on/off, the provider, whether cached answers still hold. */
  private begin(
    req: ProvideRequest,
  ): { outcome: CompletionOutcome } | { provider: ResolvedProvider; generation: number } {
    const { settings } = req;
    const documentId = req.document.fileName;
    const generation = (this.generation.get(documentId) ?? 0) + 1;
    this.generation.set(documentId, generation);
    if (req.trigger === 'automatic') this.debounce.noteKeystroke();
    if (this.disposed) return { outcome: this.skip(settings, 'cancelled', 'Infill was disposed') };
    if (!settings.enable) return { outcome: this.skip(settings, 'disabled', 'Infill is disabled (infill.enable)') };
    let provider: ResolvedProvider;
    try {
      provider = withPromptSpeed(req.provider ?? resolveProvider(settings), req.endpoint.baseUrl, this.transport);
    } catch (err) {
      return { outcome: configError(settings, err) };
    }
    // Stored answers belong to the settings that produced them: after a change of server, model,
    // template or stop rules, a position seen before must be asked again.
    const fingerprint = answerFingerprint(settings, provider);
    if (fingerprint !== this.fingerprint) {
      if (this.fingerprint !== undefined) this.cache.clear();
      this.fingerprint = fingerprint;
    }
    return { provider, generation };
  }

  /**
   * A request already streaming for this document: wait for it when this position is reachable
   * from it, else abort it. Undefined when this call must go on to ask for itself.
   */
  private async joinRunning(
    req: ProvideRequest,
    window: PromptWindow,
    light: CompletionDecision,
    generation: number,
  ): Promise<CompletionOutcome | undefined> {
    const documentId = req.document.fileName;
    const running = this.inFlight.get(documentId);
    if (!running) return undefined;
    const suffixKey = suffixKeyOf(window.suffix);
    if (!isReachable(running, window.prefix, suffixKey)) {
      this.inFlight.abort(running);
      return undefined;
    }
    this.stats.streamJoins++;
    // Joined before the stream says anything (or while it agrees with what was typed): stop
    // waiting the moment it streams something else, rather than at its end.
    this.inFlight.claim(running);
    let settled: Awaited<ReturnType<typeof raceJoin>>;
    try {
      settled = await raceJoin(running, req.signal, () => !isReachable(running, window.prefix, suffixKey));
    } finally {
      this.inFlight.release(running);
    }
    if (settled === 'aborted')
      return this.cancelled(light, 'cancelled by the editor while waiting for the streaming suggestion');
    if (settled === 'diverged') {
      if (this.generation.get(documentId) !== generation)
        return this.superseded(light, 'superseded by a newer request');
      if (this.inFlight.get(documentId) === running) this.inFlight.abort(running);
      return undefined;
    }
    // Asked again at the very position of the running request: its own answer, as it came.
    if (running.prefix === window.prefix && settled.value.suggestions.length > 0) return settled.value;
    return this.serveFromCache(documentId, window, light, req.trigger, true);
  }

  /** Waits `ms` for typing to pause; an outcome when a newer keystroke or the editor ended the wait. */
  private async waitForTypingPause(
    req: ProvideRequest,
    ms: number,
    light: CompletionDecision,
    generation: number,
  ): Promise<CompletionOutcome | undefined> {
    const documentId = req.document.fileName;
    if (ms > 0) {
      this.stats.debounceWaits++;
      const waited = new AbortController();
      const onAbort = () => waited.abort();
      req.signal?.addEventListener('abort', onAbort, { once: true });
      this.lifetime.signal.addEventListener('abort', onAbort, { once: true });
      try {
        if (req.signal?.aborted || this.disposed) waited.abort();
        const ran = await this.sleep(ms, waited.signal);
        if (!ran || this.disposed || this.generation.get(documentId) !== generation) {
          this.stats.debounceSuperseded++;
          const outcome = this.superseded(light, 'superseded while waiting for typing to pause');
          return { ...outcome, decision: { ...outcome.decision, debounceMs: ms } };
        }
      } finally {
        req.signal?.removeEventListener('abort', onAbort);
        this.lifetime.signal.removeEventListener('abort', onAbort);
      }
    }
    if (this.generation.get(documentId) !== generation) return this.superseded(light, 'superseded by a newer request');
    if (this.disposed) return this.cancelled(light, 'Infill was disposed');
    return undefined;
  }

  /** Builds the prompt and sends it, one request per document; the editor's cancellation does not abort it. */
  private async send(
    req: ProvideRequest,
    window: PromptWindow,
    provider: ResolvedProvider,
    debounceMs: number,
  ): Promise<CompletionOutcome> {
    const documentId = req.document.fileName;
    let prepared: PreparedCompletion;
    try {
      prepared = prepareCompletion({
        document: req.document,
        position: req.position,
        settings: req.settings,
        endpoint: req.endpoint,
        provider,
        ...(req.openDocuments ? { openDocuments: req.openDocuments } : {}),
        ...(req.context ? { context: req.context } : {}),
        ...(req.afterPartialAccept ? { afterPartialAccept: true } : {}),
        ...(req.tabSize !== undefined ? { tabSize: req.tabSize } : {}),
        ...(req.insertSpaces !== undefined ? { insertSpaces: req.insertSpaces } : {}),
        window,
      });
    } catch (err) {
      return configError(req.settings, err);
    }
    // Another call may have started a request meanwhile; one per document.
    const other = this.inFlight.get(documentId);
    if (other) this.inFlight.abort(other);
    const flight = this.inFlight.start(documentId, prepared, false);
    // The next keystroke may be served by the request: only a later position that cannot use it
    // aborts it (joinRunning).
    this.inFlight.claim(flight);
    let settled: Awaited<ReturnType<typeof raceAbort<CompletionOutcome>>>;
    try {
      settled = await raceAbort(flight.promise, req.signal);
    } finally {
      this.inFlight.release(flight);
    }
    if (settled === 'aborted')
      return this.cancelled(prepared.base, 'cancelled by the editor; the request goes on for the next keystroke');
    const outcome = settled.value;
    if (outcome.suggestions.length > 0) this.speculate(req, provider, outcome.suggestions[0]);
    return debounceMs > 0 ? { ...outcome, decision: { ...outcome.decision, debounceMs } } : outcome;
  }

  private serveFromCache(
    documentId: string,
    window: Pick<PromptWindow, 'prefix' | 'suffix' | 'eol'>,
    base: CompletionDecision,
    trigger: ProvideRequest['trigger'],
    joined = false,
  ): CompletionOutcome | undefined {
    const hit = this.cache.lookup(documentId, window.prefix, window.suffix);
    // An explicit request (Invoke) at a position answered with nothing asks again.
    if (!hit || (hit.choices.length === 0 && trigger === 'invoke')) return undefined;
    const outcome = outcomeFromCache(hit, base, window.eol, joined);
    if (outcome.decision.source === 'typedAhead') this.stats.typedAheadHits++;
    else if (outcome.decision.source === 'speculative') this.stats.speculativeHits++;
    else this.stats.cacheHits++;
    return outcome;
  }

  /** What a finished request leaves behind: its answer in the cache, its latency for the debounce. */
  private settle(flight: InFlight, outcome: CompletionOutcome, prepared: PreparedCompletion): CompletionOutcome {
    const window = prepared.assembled.window;
    for (const c of outcome.result?.choices ?? []) this.stats.tokensGenerated += c.text.length;
    const latency = outcome.decision.firstTokenMs ?? outcome.decision.totalMs;
    if (latency !== undefined && outcome.decision.outcome !== 'cancelled') this.debounce.noteLatency(latency);
    // An empty answer is remembered too (choices []): asking at the same position sends nothing.
    if (outcome.suggestions.length > 0 || outcome.decision.outcome === 'empty') {
      const choices: CachedChoice[] = outcome.suggestions.map((s) => ({
        text: s.insertText.replace(/\r\n/g, '\n'),
        replaceSuffixChars: s.replaceSuffixChars,
        ...(s.meanProbability !== undefined ? { meanLogprob: Math.log(s.meanProbability) } : {}),
      }));
      const source = flight.speculative ? 'speculative' : 'network';
      this.cache.set(flight.documentId, window.prefix, window.suffix, choices, source);
    }
    const settled = flight.speculative
      ? { ...outcome, decision: { ...outcome.decision, source: 'speculative' as const } }
      : outcome;
    try {
      if (settled.decision.status !== undefined) this.onRequestSettled?.(settled.decision);
    } catch {
      // Counting must never cost a completion.
    }
    return settled;
  }

  private speculate(req: ProvideRequest, provider: ResolvedProvider, shown: Suggestion | undefined): void {
    if (!this.disposed) this.speculation.maybeSpeculate(req, provider, shown);
  }

  private cancelled(base: CompletionDecision, reason: string): CompletionOutcome {
    return { suggestions: [], decision: { ...base, outcome: 'cancelled', reasonCode: 'cancelled', reason } };
  }

  private superseded(base: CompletionDecision, reason: string): CompletionOutcome {
    return { suggestions: [], decision: { ...base, outcome: 'cancelled', reasonCode: 'superseded', reason } };
  }
}

function configError(settings: InfillSettings, err: unknown): CompletionOutcome {
  const error = err instanceof InfillError ? err : toInfillError(err, 'config');
  return { suggestions: [], decision: newDecision(settings.model, 'error', 'error', error.message, { error }) };
}

/** Resolves true after `ms`, false as soon as `signal` aborts the wait. */
function defaultSleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return sleep(ms, true, { signal }).catch(() => false);
}
