import type { AcceptanceCounts, StatisticsStore } from './statisticsStore';

/**
 * The counting rules behind the acceptance statistics. VS Code tells an extension nothing when an
 * item is shown or partly accepted, so the glue reports what it can see (each answer of the inline
 * provider, each accept through Infill's commands, the edits they made) and this class decides:
 *
 * - A suggestion is **shown** when it was returned and not superseded within `shownAfterMs`
 *   (about 100 ms): an answer replaced by the next keystroke's answer never reached the user's eyes.
 * - Answers that continue the current suggestion (the user typed or accepted into it and the cache
 *   served the rest) are the same suggestion, not a new one.
 * - A word or line accept that takes part of it counts as **accepted partly**; Tab (the item's
 *   command) as **accepted fully**; the acceptance rate counts each suggestion once, however many
 *   pieces of it were taken.
 * - Latency is from the edit that asked to the answer, for suggestions counted as shown.
 */

export interface ProvidedAnswer {
  documentId: string;
  languageId: string;
  model: string;
  /** When the edit that asked happened (ms, same clock as `returnedAt`), or the call began. */
  askedAt: number;
  /** When the provider was called and when it answered. */
  startedAt: number;
  returnedAt: number;
  /** Document offset of the cursor the answer is for. */
  offset: number;
  /** The first item's text; undefined or '' when nothing was returned. */
  text?: string;
  /** VS Code cancelled the call: the answer says nothing about what is on screen. */
  cancelled?: boolean;
  /** Requests sent and answers served without the network during this call. */
  requestsSent?: number;
  servedLocally?: number;
}

interface Suggestion {
  id: string;
  documentId: string;
  languageId: string;
  model: string;
  offset: number;
  text: string;
  askedAt: number;
  startedAt: number;
  returnedAt: number;
  state: 'pending' | 'shown' | 'dropped';
  accepted: boolean;
}

export type PartialAcceptResult = 'partly' | 'rest' | 'notOurs';

export interface SuggestionTrackerOptions {
  shownAfterMs?: number;
  /** Suggestions remembered for a late accept (VS Code may keep showing a superseded item). */
  remember?: number;
}

export class SuggestionTracker {
  private readonly shownAfterMs: number;
  private readonly remember: number;
  private readonly current = new Map<string, Suggestion>();
  private readonly recent = new Map<string, Suggestion>();
  /** Per document: the start of the newest call, and of the newest call that has answered. */
  private readonly latestStart = new Map<string, number>();
  private readonly latestAnswered = new Map<string, number>();
  private nextId = 1;

  constructor(
    private readonly store: StatisticsStore,
    options: SuggestionTrackerOptions = {},
  ) {
    this.shownAfterMs = options.shownAfterMs ?? 100;
    this.remember = Math.max(1, options.remember ?? 32);
  }

  callStarted(documentId: string, at: number): void {
    this.latestStart.set(documentId, Math.max(at, this.latestStart.get(documentId) ?? -Infinity));
  }

  /** Counts one answer; returns the id its items carry to the accept command, if it has items. */
  provided(a: ProvidedAnswer): string | undefined {
    this.latestAnswered.set(a.documentId, Math.max(a.startedAt, this.latestAnswered.get(a.documentId) ?? -Infinity));
    if ((a.requestsSent ?? 0) > 0 || (a.servedLocally ?? 0) > 0)
      this.store.add(a.languageId, a.model, { requestsSent: a.requestsSent ?? 0, servedLocally: a.servedLocally ?? 0 });
    if (a.cancelled) return undefined;
    const text = a.text ?? '';
    const cur = this.current.get(a.documentId);
    if (cur && text !== '' && continues(cur, a.offset, text)) return cur.id;
    if (cur && cur.state === 'pending') {
      if (a.startedAt - cur.returnedAt >= this.shownAfterMs) this.confirm(cur);
      else cur.state = 'dropped';
    }
    this.current.delete(a.documentId);
    if (text === '') return undefined;
    const s: Suggestion = {
      id: `s${this.nextId++}`,
      documentId: a.documentId,
      languageId: a.languageId,
      model: a.model,
      offset: a.offset,
      text,
      askedAt: Math.min(a.askedAt, a.startedAt),
      startedAt: a.startedAt,
      returnedAt: a.returnedAt,
      state: 'pending',
      accepted: false,
    };
    this.current.set(a.documentId, s);
    this.recent.set(s.id, s);
    while (this.recent.size > this.remember) this.recent.delete(this.recent.keys().next().value!);
    return s.id;
  }

  /**
   * Counts suggestions that stayed on screen for `shownAfterMs` by `now`. One whose document has a
   * newer call still running that began inside the window waits for that call's answer.
   */
  settle(now: number): void {
    for (const s of this.current.values()) {
      if (s.state !== 'pending' || now - s.returnedAt < this.shownAfterMs) continue;
      const started = this.latestStart.get(s.documentId) ?? -Infinity;
      const answered = this.latestAnswered.get(s.documentId) ?? -Infinity;
      const contested = started > answered && started > s.startedAt && started - s.returnedAt < this.shownAfterMs;
      if (!contested) this.confirm(s);
    }
  }

  /**
   * A word or line accept inserted `taken` at `offset` and grew the document by `addedChars`.
   * 'rest' means it took all that was left: VS Code then accepts the item, whose command counts it.
   */
  partlyAccepted(documentId: string, offset: number, taken: string, addedChars: number): PartialAcceptResult {
    const s = this.current.get(documentId);
    if (!s || taken === '') return 'notOurs';
    const k = offset - s.offset;
    if (k < 0 || k >= s.text.length) return 'notOurs';
    const rest = s.text.slice(k);
    if (!rest.startsWith(taken)) return 'notOurs';
    if (rest === taken) return 'rest';
    this.accept(s, { acceptedPartly: 1, charsAccepted: Math.max(0, addedChars) });
    return 'partly';
  }

  /** The item's command ran: `addedChars` is what the accept added (the rest of the text when unknown). */
  fullyAccepted(id: string, addedChars?: number): boolean {
    const s = this.recent.get(id);
    if (!s) return false;
    const chars = addedChars ?? s.text.length;
    this.accept(s, { acceptedFully: 1, charsAccepted: Math.max(0, chars) });
    // All of it is in the document now: whatever is asked next is a new suggestion.
    if (this.current.get(s.documentId) === s) this.current.delete(s.documentId);
    return true;
  }

  /** The document was closed: a suggestion that had its time on screen is counted, the rest forgotten. */
  forget(documentId: string, now: number): void {
    const s = this.current.get(documentId);
    if (s?.state === 'pending' && now - s.returnedAt >= this.shownAfterMs) this.confirm(s);
    this.current.delete(documentId);
    this.latestStart.delete(documentId);
    this.latestAnswered.delete(documentId);
  }

  private accept(s: Suggestion, counts: Partial<AcceptanceCounts>): void {
    // Accepted means seen, whatever the clock said.
    if (s.state !== 'shown') this.confirm(s);
    if (!s.accepted) {
      s.accepted = true;
      counts = { ...counts, suggestionsAccepted: 1 };
    }
    this.store.add(s.languageId, s.model, counts);
  }

  private confirm(s: Suggestion): void {
    s.state = 'shown';
    this.store.add(s.languageId, s.model, { shown: 1 }, Math.max(0, s.returnedAt - s.askedAt));
  }
}

/**
 * `text` at `offset` is what is left of `s` after the user typed or accepted `offset - s.offset`
 * characters of it (or, while it streams, a longer version of that rest).
 */
function continues(s: Suggestion, offset: number, text: string): boolean {
  const k = offset - s.offset;
  if (k < 0 || k >= s.text.length) return false;
  const rest = s.text.slice(k);
  return rest.startsWith(text) || text.startsWith(rest);
}
