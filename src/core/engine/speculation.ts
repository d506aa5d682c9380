import { readWindowFor } from '../prompt/promptAssembler';
import { DocumentWithInsertion } from '../prompt/textDocumentLike';
import type { ResolvedProvider } from '../providers/providerPresets';
import type { CompletionCache } from './completionCache';
import { prepareCompletion, type CompletionQuery, type PreparedCompletion, type Suggestion } from './completionEngine';
import type { InFlightRequests } from './inFlightRequests';
import { midLineGate } from './triggerGate';

/** Enough to cover the suggestions of one stretch of typing; each entry is one window's text. */
const MAX_SPECULATED_REMEMBERED = 16;

/**
 * `infill.speculative`: when a suggestion is shown, ask now for what would follow it once
 * accepted, so Tab-Tab-Tab does not wait. On by default for local servers only: relays charge per
 * token, and most prefetches are never used.
 */
export class Speculation {
  /**
   * Positions already prefetched, most recent last. A prefetch whose answer was empty (or filtered
   * away) leaves nothing in the cache, and every keystroke typed through the suggestion would
   * otherwise send the same request again.
   */
  private readonly speculated: string[] = [];
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly cache: CompletionCache,
    private readonly inFlight: InFlightRequests,
  ) {}

  /** Prefetches still running. */
  pending(): Promise<unknown>[] {
    return [...this.running];
  }

  maybeSpeculate(query: CompletionQuery, provider: ResolvedProvider, shown: Suggestion | undefined): void {
    if (!shown) return;
    const mode = query.settings.speculative;
    const enabled = mode === 'on' || (mode === 'auto' && provider.local && !provider.paid);
    if (!enabled) return;
    const documentId = query.document.fileName;
    if (this.inFlight.get(documentId)) return;
    const next = new DocumentWithInsertion(query.document, query.position, shown.insertText, shown.replaceSuffixChars);
    const nextWindow = readWindowFor({
      document: next,
      position: next.end,
      settings: query.settings,
      provider,
      ...(query.openDocuments ? { openDocuments: query.openDocuments } : {}),
      ...(query.context ? { context: query.context } : {}),
    });
    if (!midLineGate(nextWindow.lineSuffix, 'automatic').ask) return;
    if (this.cache.lookup(documentId, nextWindow.prefix, nextWindow.suffix)) return;
    const key = `${documentId}\u0000${nextWindow.prefix}\u0000${nextWindow.suffix}`;
    if (this.speculated.includes(key)) return;
    this.speculated.push(key);
    if (this.speculated.length > MAX_SPECULATED_REMEMBERED) this.speculated.shift();
    let prepared: PreparedCompletion;
    try {
      prepared = prepareCompletion({
        document: next,
        position: next.end,
        settings: query.settings,
        endpoint: query.endpoint,
        provider,
        ...(query.openDocuments ? { openDocuments: query.openDocuments } : {}),
        ...(query.context ? { context: query.context } : {}),
        ...(query.tabSize !== undefined ? { tabSize: query.tabSize } : {}),
        ...(query.insertSpaces !== undefined ? { insertSpaces: query.insertSpaces } : {}),
        window: nextWindow,
      });
    } catch {
      return;
    }
    const flight = this.inFlight.start(documentId, prepared, true);
    const forget = (): void => void this.running.delete(done);
    const done: Promise<void> = flight.promise.then(forget, forget);
    this.running.add(done);
  }
}
