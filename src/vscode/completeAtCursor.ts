import * as vscode from 'vscode';
import { prepareCommandRequest } from '../core/engine/commandRequest';
import { requestCompletion, type CompletionResult } from '../core/protocol/completionClient';
import { isInfillError, toInfillError } from '../core/infillError';
import { positionAfter, StreamInsertion, type InsertionStep } from '../core/stream/streamInsertion';
import { readSettings } from './configuration';
import { adaptDocument } from './inlineProvider';
import { describeRequestTarget } from './requestSummary';
import type { InfillServices } from './services';
import { countUsage } from './gatedInlineProvider';
import { originOf } from './apiKeyStore';
import { retryPolicyFromSettings } from '../core/transport/transportSettings';
import { newDecision, withResponse } from '../core/reports/decisionRecord';

/** Context key set while a completion streams in, for the Escape keybinding. */
const CONTEXT_KEY = 'infill.completingAtCursor';

type StopReason = 'user' | 'edited' | 'switched' | 'closed';

/**
 * `Infill: Complete at Cursor`: streams the completion straight into the document at the cursor as
 * tokens arrive, under a progress notification that can cancel it. All edits form one undo step.
 * An edit by the user, a switch to another editor, Escape or Cancel stops it and keeps what was
 * inserted (always a prefix of the answer); an error removes what was inserted.
 */
export class CompleteAtCursor implements vscode.Disposable {
  private active: { stop(reason: StopReason): void } | undefined;

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
    const document = editor.document;
    const verdict = this.s.gate.shouldRequest(document, { explicit: true });
    if (!verdict.allowed) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Infill: nothing was sent: {0}.', verdict.reason));
      return;
    }
    const settings = readSettings(document);
    const anchor = editor.selection.active;
    const prepared = prepareCommandRequest({
      document: adaptDocument(document),
      position: anchor,
      settings,
      choices: 1,
    });
    const key = await this.s.keys.getFor(originOf(prepared.endpoint.baseUrl));
    if (!(await this.s.keyGuard.mayCarryKey(prepared.endpoint.baseUrl, Boolean(key), true))) return;
    const endpoint = { ...prepared.endpoint, ...(key ? { apiKey: key } : {}) };

    const insertion = new StreamInsertion(prepared.built.clientStops);
    const controller = new AbortController();
    let stopped: StopReason | undefined;
    /** Our own edits in flight: document changes while this is 0 are someone else's. */
    let applying = 0;
    let queue: Promise<void> = Promise.resolve();
    let first = true;
    let failedEdit = false;

    const stop = (reason: StopReason) => {
      if (stopped) return;
      stopped = reason;
      controller.abort();
    };
    const apply = (step: InsertionStep, previous: string) =>
      (queue = queue.then(async () => {
        if (stopped && stopped !== 'user') return;
        const keepEnd = new vscode.Position(...toTuple(positionAfter(anchor, previous.slice(0, step.keep))));
        const oldEnd = new vscode.Position(...toTuple(positionAfter(anchor, previous)));
        applying++;
        try {
          const ok = await editor.edit(
            (b) => {
              if (!keepEnd.isEqual(oldEnd)) b.delete(new vscode.Range(keepEnd, oldEnd));
              if (step.append) b.insert(keepEnd, step.append);
            },
            { undoStopBefore: first, undoStopAfter: false },
          );
          first = false;
          if (!ok) {
            failedEdit = true;
            stop('closed');
          }
        } catch {
          failedEdit = true;
          stop('closed');
        } finally {
          applying--;
        }
      }));

    const subscriptions = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document === document && e.contentChanges.length > 0 && applying === 0) stop('edited');
      }),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e?.document !== document) stop('switched');
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d === document) stop('closed');
      }),
    ];
    this.active = { stop };
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, true);
    this.s.status.set({ kind: 'requesting' });
    const started = Date.now();
    let result: CompletionResult | undefined;
    let error: unknown;
    try {
      await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: vscode.l10n.t('Infill: completing at the cursor…'),
          cancellable: true,
        },
        async (progress, token) => {
          token.onCancellationRequested(() => stop('user'));
          try {
            result = await requestCompletion(this.s.transport, endpoint, prepared.built.body, {
              signal: controller.signal,
              clientStops: prepared.built.clientStops,
              retry: retryPolicyFromSettings(settings),
              expectedChoices: 1,
              onProgress: (choice) => {
                if (choice.index !== 0) return 'continue';
                if (stopped) return 'stop';
                const previous = insertion.text;
                const step = insertion.update(choice.text, choice.finished);
                if (step) {
                  void apply(step, previous);
                  progress.report({ message: vscode.l10n.t('{0} characters', insertion.text.length) });
                }
                return 'continue';
              },
            });
            // The whole answer is in: release any held-back tail the stream ended on.
            const final = result.choices.find((c) => c.index === 0)?.text ?? '';
            const previous = insertion.text;
            const step = stopped ? undefined : insertion.update(final, true);
            if (step) void apply(step, previous);
          } catch (err) {
            error = err;
          }
          await queue;
        },
      );
    } finally {
      subscriptions.forEach((d) => d.dispose());
      this.active = undefined;
      void vscode.commands.executeCommand('setContext', CONTEXT_KEY, false);
    }

    // Close the undo group so the next typing is its own step.
    if (insertion.text.length > 0 && !failedEdit && vscode.window.activeTextEditor === editor) {
      await Promise.resolve(editor.edit(() => undefined, { undoStopBefore: false, undoStopAfter: true })).catch(
        () => false,
      );
    }

    const failure = error !== undefined ? toInfillError(error) : undefined;
    const cancelled = failure?.kind === 'aborted' || (stopped !== undefined && failure === undefined);
    const reason = stopped
      ? {
          user: 'stopped by the user',
          edited: 'stopped: the document was edited',
          switched: 'stopped: another editor became active',
          closed: 'stopped: the editor closed',
        }[stopped]
      : failure
        ? failure.message
        : 'ok';
    this.s.log.info(
      `Complete at cursor: ${settings.model}, prompt ${prepared.assembled.window.prefix.length} chars -> ${insertion.text.length} chars inserted in ${Date.now() - started} ms (${reason})`,
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
    };
    if (result) {
      const outcome = cancelled ? 'cancelled' : insertion.text.length > 0 ? 'shown' : 'empty';
      const code = cancelled ? 'cancelled' : insertion.text.length > 0 ? 'shown' : 'noChoices';
      const decision = withResponse(newDecision(settings.model, outcome, code, reason, sizes), result);
      this.s.decisions.record(document, decision, { ...recordContext, shownText: insertion.text });
      countUsage(this.s.usage, decision);
    }

    if (failure && !cancelled) {
      // Errors leave the document as it was: take back what was inserted, if nobody touched it since.
      if (insertion.text.length > 0 && !stopped) {
        const end = new vscode.Position(...toTuple(positionAfter(anchor, insertion.text)));
        await Promise.resolve(
          editor.edit((b) => b.delete(new vscode.Range(anchor, end)), { undoStopBefore: false, undoStopAfter: true }),
        ).catch(() => false);
      }
      this.s.status.set({ kind: 'error', reason: failure.message });
      this.s.decisions.record(
        document,
        newDecision(settings.model, 'error', 'error', failure.message, { ...sizes, error: failure }),
        recordContext,
      );
      throw isInfillError(failure) ? failure : toInfillError(failure);
    }
    this.s.status.set({ kind: 'ready' });
    if (!stopped && insertion.text.length === 0)
      void vscode.window.showInformationMessage(
        vscode.l10n.t('Infill: the server returned no text for this position.'),
      );
  }

  dispose(): void {
    this.active?.stop('closed');
  }
}

function toTuple(p: { line: number; character: number }): [number, number] {
  return [p.line, p.character];
}
