import * as vscode from 'vscode';
import { commandSuggestions, createCommandStopper } from '../core/engine/commandRequest';
import type { Suggestion } from '../core/engine/completionEngine';
import { requestCompletion, type CompletionResult } from '../core/protocol/completionClient';
import { toInfillError } from '../core/infillError';
import { newDecision, withResponse } from '../core/reports/decisionRecord';
import { positionAfter, StreamInsertion, type InsertionStep } from '../core/stream/streamInsertion';
import { retryPolicyFromSettings } from '../core/transport/transportSettings';
import { prepareCommand, type PreparedCommand } from './commandRequestSetup';
import { countUsage } from './gatedInlineProvider';
import { describeRequestTarget } from './requestSummary';
import type { InfillServices } from './services';

/** Context key set while a completion streams in, for the Escape keybinding. */
const CONTEXT_KEY = 'infill.completingAtCursor';

type StopReason = 'user' | 'edited' | 'switched' | 'closed';

const STOP_REASONS: Record<StopReason, string> = {
  user: 'stopped by the user',
  edited: 'stopped: the document was edited',
  switched: 'stopped: another editor became active',
  closed: 'stopped: the editor closed',
};

/**
 * `Infill: Complete at Cursor`: streams the completion straight into the document at the cursor as
 * tokens arrive, under a progress notification that can cancel it. The stream ends where ghost
 * text would end it, and once the answer is in, the text becomes what ghost text would show
 * (post-processing, with the probe's findings and the editor's indentation). All edits form one
 * undo step. An edit by the user, a switch to another editor, Escape or Cancel stops it and keeps
 * what was inserted (always a prefix of the answer); an error removes what was inserted.
 */
export class CompleteAtCursor implements vscode.Disposable {
  private active: InsertionSession | undefined;

  constructor(private readonly s: InfillServices) {}

  /** `Infill: Stop Completing at Cursor` (Escape while streaming). */
  stop(): void {
    this.active?.stop('user');
  }

  async run(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Infill: open a file and place the cursor where the completion should go.'),
      );
      return;
    }
    if (this.active) {
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Infill: a completion is already streaming; press Escape to stop it.'),
      );
      return;
    }
    const verdict = this.s.gate.shouldRequest(editor.document, { explicit: true });
    if (!verdict.allowed) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Infill: nothing was sent: {0}.', verdict.reason));
      return;
    }
    const command = await prepareCommand(this.s, editor, 1);
    if (!command) return;

    const session = new InsertionSession(editor, command.prepared.built.clientStops);
    this.active = session;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, true);
    this.s.status.set({ kind: 'requesting' });
    const started = Date.now();
    let streamed: { result?: CompletionResult; error?: unknown };
    try {
      streamed = await this.stream(session, command);
    } finally {
      session.dispose();
      this.active = undefined;
      void vscode.commands.executeCommand('setContext', CONTEXT_KEY, false);
    }
    await session.closeUndoGroup();
    await this.report(session, command, streamed, Date.now() - started);
  }

  dispose(): void {
    this.active?.stop('closed');
  }

  /** The request under a cancellable progress, streamed into the document; settles on the shown text. */
  private stream(
    session: InsertionSession,
    command: PreparedCommand,
  ): Thenable<{ result?: CompletionResult; error?: unknown }> {
    const { prepared, settings, endpoint } = command;
    const stopper = createCommandStopper(prepared, settings.maxTokens);
    return vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Infill: completing at the cursor…'),
        cancellable: true,
      },
      async (progress, token) => {
        token.onCancellationRequested(() => session.stop('user'));
        try {
          const result = await requestCompletion(this.s.transport, endpoint, prepared.built.body, {
            signal: session.signal,
            clientStops: prepared.built.clientStops,
            retry: retryPolicyFromSettings(settings),
            expectedChoices: 1,
            onProgress: (choice) => {
              if (choice.index !== 0) return 'continue';
              if (session.stopped) return 'stop';
              if (session.streamed(choice.text, choice.finished))
                progress.report({ message: vscode.l10n.t('{0} characters', session.text.length) });
              return stopper.onProgress(choice);
            },
          });
          if (stopper.runaway) this.s.log.warn(`Complete at cursor: ${stopper.runaway}`);
          // The whole answer is in: the document gets what ghost text would show of it.
          const raw = result.choices.find((c) => c.index === 0)?.text ?? '';
          if (!session.stopped) session.settleTo(commandSuggestions(prepared, [raw])[0]);
          await session.idle();
          return { result };
        } catch (error) {
          await session.idle();
          return { error };
        }
      },
    );
  }

  /** The log line, the decision record, usage, and what the user is told. */
  private async report(
    session: InsertionSession,
    command: PreparedCommand,
    { result, error }: { result?: CompletionResult; error?: unknown },
    elapsedMs: number,
  ): Promise<void> {
    const { settings, prepared } = command;
    const document = session.editor.document;
    const failure = error !== undefined ? toInfillError(error) : undefined;
    const stopped = session.stopped;
    const cancelled = failure?.kind === 'aborted' || (stopped !== undefined && failure === undefined);
    const reason = stopped ? STOP_REASONS[stopped] : failure ? failure.message : 'ok';
    this.s.log.info(
      `Complete at cursor: ${settings.model}, prompt ${prepared.assembled.window.prefix.length} chars -> ${session.text.length} chars inserted in ${elapsedMs} ms (${reason})`,
    );
    const sizes = {
      promptChars: prepared.assembled.window.prefix.length,
      suffixChars: prepared.built.body.suffix?.length ?? 0,
      command: 'Complete at Cursor',
    } as const;
    const recordContext = {
      documentName: vscode.workspace.asRelativePath(document.uri),
      languageId: document.languageId,
      ...describeRequestTarget(settings),
      ...(command.apiKey ? { secrets: [command.apiKey] } : {}),
    };
    if (result) {
      const inserted = session.text.length > 0;
      const outcome = cancelled ? 'cancelled' : inserted ? 'shown' : 'empty';
      const code = cancelled ? 'cancelled' : inserted ? 'shown' : 'filtered';
      const decision = withResponse(newDecision(settings.model, outcome, code, reason, sizes), result);
      this.s.decisions.record(document, decision, { ...recordContext, shownText: session.text });
      countUsage(this.s.usage, decision);
    }
    if (failure && !cancelled) {
      // Errors leave the document as it was: take back what was inserted, if nobody touched it since.
      if (!stopped) await session.removeInserted();
      this.s.status.set({ kind: 'error', reason: failure.message });
      this.s.decisions.record(
        document,
        newDecision(settings.model, 'error', 'error', failure.message, { ...sizes, error: failure }),
        recordContext,
      );
      throw failure;
    }
    this.s.status.set({ kind: 'ready' });
    if (!stopped && session.text.length === 0)
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Infill: the server returned no text for this position.'),
      );
  }
}

/**
 * One completion streaming into one editor: the edits, queued so they apply in order, and what
 * stops it (an edit by someone else, another editor, the editor closing).
 */
class InsertionSession implements vscode.Disposable {
  readonly anchor: vscode.Position;
  private readonly insertion: StreamInsertion;
  private readonly controller = new AbortController();
  private stopReason: StopReason | undefined;
  /** Our own edits in flight: document changes while this is 0 are someone else's. */
  private applying = 0;
  private queue: Promise<void> = Promise.resolve();
  private first = true;
  private failedEdit = false;
  /** Characters after the inserted text that the shown text replaced (a closer already there). */
  private replaced = 0;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    readonly editor: vscode.TextEditor,
    clientStops: readonly string[],
  ) {
    this.anchor = editor.selection.active;
    this.insertion = new StreamInsertion(clientStops);
    const document = editor.document;
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === document && e.contentChanges.length > 0 && this.applying === 0) this.stop('edited');
      }),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e?.document !== document) this.stop('switched');
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d === document) this.stop('closed');
      }),
    ];
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopped(): StopReason | undefined {
    return this.stopReason;
  }

  /** The text now in the document at the anchor. */
  get text(): string {
    return this.insertion.text;
  }

  stop(reason: StopReason): void {
    if (this.stopReason) return;
    this.stopReason = reason;
    this.controller.abort();
  }

  /** The answer so far; true when the document changed. */
  streamed(text: string, finished: boolean): boolean {
    const previous = this.insertion.text;
    const step = this.insertion.update(text, finished);
    if (step) this.apply(step, previous);
    return step !== undefined;
  }

  /** Brings the document to the shown text (nothing, when everything was filtered). */
  settleTo(shown: Suggestion | undefined): void {
    const previous = this.insertion.text;
    const target = shown?.insertText ?? '';
    const step = this.insertion.update(target, true);
    const replace = shown?.replaceSuffixChars ?? 0;
    if (step || replace > 0) this.apply(step ?? { keep: target.length, append: '' }, previous, replace);
  }

  idle(): Promise<void> {
    return this.queue;
  }

  /** Closes the undo group so the next typing is its own step. */
  async closeUndoGroup(): Promise<void> {
    if (this.insertion.text.length === 0 || this.failedEdit || vscode.window.activeTextEditor !== this.editor) return;
    await Promise.resolve(this.editor.edit(() => undefined, { undoStopBefore: false, undoStopAfter: true })).catch(
      () => false,
    );
  }

  async removeInserted(): Promise<void> {
    if (this.insertion.text.length === 0) return;
    const end = new vscode.Position(...toTuple(positionAfter(this.anchor, this.insertion.text)));
    await Promise.resolve(
      this.editor.edit((b) => b.delete(new vscode.Range(this.anchor, end)), {
        undoStopBefore: false,
        undoStopAfter: true,
      }),
    ).catch(() => false);
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
  }

  /** Replaces what follows the kept part of `previous` (and `replaceAfter` characters after it). */
  private apply(step: InsertionStep, previous: string, replaceAfter = 0): void {
    this.queue = this.queue.then(async () => {
      if (this.stopReason && this.stopReason !== 'user') return;
      const keepEnd = new vscode.Position(...toTuple(positionAfter(this.anchor, previous.slice(0, step.keep))));
      const oldEnd = new vscode.Position(...toTuple(positionAfter(this.anchor, previous))).translate(
        0,
        replaceAfter - this.replaced,
      );
      this.replaced = Math.max(this.replaced, replaceAfter);
      this.applying++;
      try {
        const ok = await this.editor.edit(
          (b) => {
            if (!keepEnd.isEqual(oldEnd)) b.delete(new vscode.Range(keepEnd, oldEnd));
            if (step.append) b.insert(keepEnd, step.append);
          },
          { undoStopBefore: this.first, undoStopAfter: false },
        );
        this.first = false;
        if (!ok) this.failEdit();
      } catch {
        this.failEdit();
      } finally {
        this.applying--;
      }
    });
  }

  private failEdit(): void {
    this.failedEdit = true;
    this.stop('closed');
  }
}

function toTuple(p: { line: number; character: number }): [number, number] {
  return [p.line, p.character];
}
