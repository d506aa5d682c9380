import * as vscode from 'vscode';
import type { ControllerStats } from '../core/engine/completionController';
import { SharedStatisticsStore } from '../core/reports/sharedStatisticsStore';
import { StatisticsStore } from '../core/reports/statisticsStore';
import { SuggestionTracker } from '../core/reports/suggestionTracker';
import { readSettings } from './configuration';

/** The hidden command every Infill item carries: VS Code runs it after a full accept (Tab). */
export const RECORD_ACCEPT_COMMAND = 'infill.recordAccept';

const STATE_KEY = 'infill.statistics';
const SHOWN_AFTER_MS = 100;
/** Longer insertions are no word or line of a suggestion; not kept, so a big paste is not held on to. */
const MAX_TAKEN_CHARS = 4_096;
/** An edit this long before the provider call is taken as the keystroke that asked. */
const KEYSTROKE_WINDOW_MS = 1_000;

const VSCODE_ACCEPT = {
  word: 'editor.action.inlineSuggest.acceptNextWord',
  line: 'editor.action.inlineSuggest.acceptNextLine',
} as const;

/** The first change of a document edit: where the new text starts, and what it added. */
interface LastEdit {
  at: number;
  version: number;
  offset: number;
  taken: string;
  added: number;
}

type DecidingProvider = vscode.InlineCompletionItemProvider;

/**
 * Feeds the acceptance statistics from what an extension can see: each answer of the inline
 * provider (wrapped here, unchanged otherwise), Infill's word and line accept commands (which run
 * VS Code's own and look at the edit they made) and the item command VS Code runs on a full accept.
 * The counting rules are in src/core/reports/suggestionTracker.ts.
 */
export class AcceptanceTracking implements vscode.Disposable {
  readonly store: StatisticsStore;
  readonly tracker: SuggestionTracker;
  private readonly persistence: SharedStatisticsStore;
  private readonly edits = new Map<string, LastEdit>();
  /** Document version right after Infill's last word/line accept in it. */
  private readonly partialVersion = new Map<string, number>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private settleTimer: NodeJS.Timeout | undefined;
  private seenRevision = 0;
  private snapshot = { sent: 0, local: 0 };

  constructor(
    state: vscode.Memento,
    /** The completion controller's counters (requests sent, served from cache/typed-ahead/prefetch). */
    private readonly controllerStats: () => ControllerStats | undefined,
  ) {
    // Every window shares globalState: writes add this window's counts to what is stored.
    this.persistence = new SharedStatisticsStore(state, STATE_KEY);
    this.store = new StatisticsStore(this.persistence);
    this.tracker = new SuggestionTracker(this.store, { shownAfterMs: SHOWN_AFTER_MS });
    this.snapshot = this.readControllerStats();
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.noteEdit(e)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        const key = d.uri.toString();
        this.tracker.forget(key, Date.now());
        this.edits.delete(key);
        this.partialVersion.delete(key);
        this.notifyIfChanged();
      }),
    );
  }

  /** The provider with every answer counted and every item carrying the accept command. */
  wrap<P extends DecidingProvider>(inner: P): P {
    const provide: vscode.InlineCompletionItemProvider['provideInlineCompletionItems'] = async (
      document,
      position,
      context,
      token,
    ) => {
      const key = document.uri.toString();
      const startedAt = Date.now();
      // Read before awaiting: the document may change while the provider works.
      const offset = document.offsetAt(position);
      this.tracker.callStarted(key, startedAt);
      const result = await inner.provideInlineCompletionItems(document, position, context, token);
      try {
        this.countAnswer(document, key, offset, startedAt, result, token.isCancellationRequested);
      } catch {
        // Counting must never cost a suggestion.
      }
      return result;
    };
    return new Proxy(inner, {
      get(target, property, receiver) {
        if (property === 'provideInlineCompletionItems') return provide;
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  /** `Infill: Accept Next Word` / `Accept Next Line`: VS Code's own accept, then what it took is counted. */
  async acceptNext(kind: 'word' | 'line'): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const document = editor?.document;
    const key = document?.uri.toString();
    const before = document?.version;
    const seen = key ? this.edits.get(key) : undefined;
    await vscode.commands.executeCommand(VSCODE_ACCEPT[kind]);
    if (!document || !key || document.version === before) return;
    let edit = this.edits.get(key);
    // The edit's event and the command's answer travel separately: give the event one turn.
    if (edit === seen) await new Promise((r) => setTimeout(r, 0));
    edit = this.edits.get(key);
    if (!edit || edit === seen) return;
    this.partialVersion.set(key, document.version);
    // 'rest' (the accept took everything left) is counted by the item command VS Code runs then.
    this.tracker.partlyAccepted(key, edit.offset, edit.taken, edit.added);
    this.notifyIfChanged();
  }

  /** The item command: VS Code has just inserted the item (its edit is the document's last). */
  recordAccept(id: unknown): void {
    if (typeof id !== 'string') return;
    const document = vscode.window.activeTextEditor?.document;
    const edit = document ? this.edits.get(document.uri.toString()) : undefined;
    const added = edit && edit.version === document?.version && Date.now() - edit.at < 5_000 ? edit.added : undefined;
    this.tracker.fullyAccepted(id, added);
    this.notifyIfChanged();
  }

  /** Nothing typed since Infill's last word/line accept in this document: ask for one line only. */
  afterPartialAccept(document: vscode.TextDocument): boolean {
    return this.partialVersion.get(document.uri.toString()) === document.version;
  }

  /** "Suggestions today: 12 shown, 42% accepted, median 180 ms" for the status bar tooltip; '' before any. */
  todayLine(): string {
    const t = this.store.summary(1).today;
    if (t.shown === 0) return '';
    const n = (x: number) => x.toLocaleString(vscode.env.language);
    const rate = Math.round((t.acceptanceRate ?? 0) * 100);
    return t.latencyP50 === undefined
      ? vscode.l10n.t('Suggestions today: {0} shown, {1}% accepted', n(t.shown), n(rate))
      : vscode.l10n.t(
          'Suggestions today: {0} shown, {1}% accepted, median latency {2} ms',
          n(t.shown),
          n(rate),
          n(Math.round(t.latencyP50)),
        );
  }

  async reset(): Promise<void> {
    await this.store.reset();
    this.notifyIfChanged();
  }

  async flush(): Promise<void> {
    this.tracker.settle(Date.now());
    await this.persistence.flush();
  }

  dispose(): void {
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.tracker.settle(Date.now());
    for (const s of this.subscriptions) s.dispose();
    void this.persistence.flush();
    this.changed.dispose();
  }

  private countAnswer(
    document: vscode.TextDocument,
    key: string,
    offset: number,
    startedAt: number,
    result: vscode.InlineCompletionItem[] | vscode.InlineCompletionList | null | undefined,
    cancelled: boolean,
  ): void {
    const items = Array.isArray(result) ? result : result?.items;
    const first = items?.[0];
    const text = first ? (typeof first.insertText === 'string' ? first.insertText : first.insertText.value) : undefined;
    const stats = this.readControllerStats();
    const edit = this.edits.get(key);
    const askedAt = edit && edit.at <= startedAt && startedAt - edit.at < KEYSTROKE_WINDOW_MS ? edit.at : startedAt;
    const id = this.tracker.provided({
      documentId: key,
      languageId: document.languageId,
      model: readSettings(document).model,
      askedAt,
      startedAt,
      returnedAt: Date.now(),
      offset,
      ...(text !== undefined ? { text } : {}),
      cancelled,
      requestsSent: stats.sent - this.snapshot.sent,
      servedLocally: stats.local - this.snapshot.local,
    });
    this.snapshot = stats;
    if (id && items) {
      for (const item of items)
        item.command ??= { command: RECORD_ACCEPT_COMMAND, title: 'Record accepted suggestion', arguments: [id] };
    }
    this.scheduleSettle();
    this.notifyIfChanged();
  }

  private readControllerStats(): { sent: number; local: number } {
    const s = this.controllerStats();
    return s
      ? { sent: s.requestsSent, local: s.cacheHits + s.typedAheadHits + s.speculativeHits }
      : { sent: 0, local: 0 };
  }

  private noteEdit(e: vscode.TextDocumentChangeEvent): void {
    const c = e.contentChanges[0];
    if (!c) return;
    const added = e.contentChanges.reduce((sum, x) => sum + x.text.length - x.rangeLength, 0);
    // VS Code's accepts replace the text before the ghost text with itself plus what is taken.
    this.edits.set(e.document.uri.toString(), {
      at: Date.now(),
      version: e.document.version,
      offset: c.rangeOffset + c.rangeLength,
      taken: c.text.length - c.rangeLength > MAX_TAKEN_CHARS ? '' : c.text.slice(c.rangeLength),
      added,
    });
  }

  /** Counts what has had its time on screen once that time is up, without waiting for the next event. */
  private scheduleSettle(): void {
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined;
      this.tracker.settle(Date.now());
      this.notifyIfChanged();
    }, SHOWN_AFTER_MS + 20);
    this.settleTimer.unref?.();
  }

  private notifyIfChanged(): void {
    if (this.store.revision === this.seenRevision) return;
    this.seenRevision = this.store.revision;
    this.changed.fire();
  }
}
