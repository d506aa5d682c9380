import * as vscode from 'vscode';
import { commandSuggestions } from '../core/engine/commandRequest';
import type { Suggestion } from '../core/engine/completionEngine';
import { requestCompletion, type CompletionResult } from '../core/protocol/completionClient';
import { toInfillError } from '../core/infillError';
import { newDecision, withResponse } from '../core/reports/decisionRecord';
import { retryPolicyFromSettings } from '../core/transport/transportSettings';
import { prepareCommand, type PreparedCommand } from './commandRequestSetup';
import { readSettings } from './configuration';
import { countUsage } from './gatedInlineProvider';
import { describeRequestTarget } from './requestSummary';
import type { InfillServices } from './services';

interface AlternativeItem extends vscode.QuickPickItem {
  suggestion: Suggestion;
}

/**
 * `Infill: Show Alternatives`: asks for `infill.alternatives` choices (one request with `n`, or one
 * request per choice for servers without `n`), runs them through the same post-processing as
 * ghost text, shows the distinct ones in a quick pick with a preview at the cursor, and inserts
 * the one picked.
 */
export async function showAlternatives(s: InfillServices): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Infill: open a file and place the cursor where the completion should go.'),
    );
    return;
  }
  const document = editor.document;
  const verdict = s.gate.shouldRequest(document, { explicit: true });
  if (!verdict.allowed) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Infill: nothing was sent: {0}.', verdict.reason));
    return;
  }
  const position = editor.selection.active;
  const version = document.version;
  const count = Math.max(2, Math.min(10, Math.floor(readSettings(document).alternatives) || 3));
  const command = await prepareCommand(s, editor, count);
  if (!command) return;

  const results = await askForAlternatives(s, command, count);
  if (!results) return;
  const { settings, prepared } = command;
  const suggestions = commandSuggestions(
    prepared,
    results.flatMap((r) => r.choices.map((c) => c.text)),
  );
  s.log.info(
    `Show alternatives: ${settings.model}, ${prepared.requests} request(s) -> ${suggestions.length} distinct of ${count} asked`,
  );
  recordAlternatives(s, editor.document, command, results[0]!, suggestions);
  if (suggestions.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Infill: the server returned no text for this position.'));
    return;
  }

  const picked = await pick(editor, position, suggestions);
  if (picked === undefined) return;
  if (document.version !== version) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Infill: the document changed while the alternatives were shown; nothing was inserted.'),
    );
    return;
  }
  const replaced = new vscode.Range(position, position.translate(0, picked.replaceSuffixChars));
  await editor.edit((b) => b.replace(replaced, picked.insertText), { undoStopBefore: true, undoStopAfter: true });
}

/** The decision record for Explain Last Suggestion: the first answer, and what was shown of it. */
function recordAlternatives(
  s: InfillServices,
  document: vscode.TextDocument,
  command: PreparedCommand,
  first: CompletionResult,
  suggestions: readonly Suggestion[],
): void {
  const { settings } = command;
  const reason = vscode.l10n.t('{0} distinct alternatives', suggestions.length);
  const shown = suggestions.length > 0;
  s.decisions.record(
    document,
    withResponse(
      newDecision(settings.model, shown ? 'shown' : 'empty', shown ? 'shown' : 'filtered', reason, sizesOf(command)),
      first,
    ),
    {
      documentName: vscode.workspace.asRelativePath(document.uri),
      languageId: document.languageId,
      ...describeRequestTarget(settings),
      ...(suggestions[0] ? { shownText: suggestions[0].insertText } : {}),
      ...(command.apiKey ? { secrets: [command.apiKey] } : {}),
    },
  );
}

function sizesOf(command: PreparedCommand) {
  return {
    promptChars: command.prepared.assembled.window.prefix.length,
    suffixChars: command.prepared.built.body.suffix?.length ?? 0,
    command: 'Show Alternatives',
  } as const;
}

/** Sends the request(s) under a cancellable progress; counts their tokens. Undefined when none answered. */
async function askForAlternatives(
  s: InfillServices,
  command: PreparedCommand,
  count: number,
): Promise<CompletionResult[] | undefined> {
  const { settings, prepared, endpoint } = command;
  s.status.set({ kind: 'requesting' });
  const outcome = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Infill: asking for {0} alternatives…', count),
      cancellable: true,
    },
    async (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => controller.abort());
      const calls = Array.from({ length: prepared.requests }, () =>
        requestCompletion(s.transport, endpoint, prepared.built.body, {
          signal: controller.signal,
          clientStops: prepared.built.clientStops,
          retry: retryPolicyFromSettings(settings),
          expectedChoices: prepared.built.expectedChoices,
        }),
      );
      return Promise.allSettled(calls);
    },
  );
  const results = outcome
    .filter((r): r is PromiseFulfilledResult<CompletionResult> => r.status === 'fulfilled')
    .map((r) => r.value);
  for (const r of results) {
    const answered = withResponse(newDecision(settings.model, 'shown', 'shown', 'alternatives', sizesOf(command)), r);
    countUsage(s.usage, { ...answered, rawText: r.choices.map((c) => c.text).join('') });
  }
  if (results.length > 0) {
    s.status.set({ kind: 'ready' });
    return results;
  }
  const failure = outcome
    .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    .map((r) => toInfillError(r.reason))[0];
  if (!failure || failure.kind === 'aborted') {
    s.status.set({ kind: 'ready' });
    return undefined;
  }
  s.status.set({ kind: 'error', reason: failure.message });
  throw failure;
}

function pick(
  editor: vscode.TextEditor,
  position: vscode.Position,
  suggestions: Suggestion[],
): Promise<Suggestion | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<AlternativeItem>();
    // Dimmed text after the cursor, like ghost text; one decoration type per pick, disposed with it.
    const previewType = vscode.window.createTextEditorDecorationType({
      after: { color: new vscode.ThemeColor('editorGhostText.foreground'), fontStyle: 'italic' },
    });
    qp.title = vscode.l10n.t('Infill: alternatives');
    qp.placeholder = vscode.l10n.t('Pick the completion to insert at the cursor');
    qp.matchOnDetail = true;
    qp.items = suggestions.map((suggestion, i) => itemFor(suggestion, i));
    const preview = (item: AlternativeItem | undefined) => {
      if (!item) return editor.setDecorations(previewType, []);
      const lines = item.suggestion.insertText.split(/\r?\n/);
      const shown = lines[0]! + (lines.length > 1 ? `  ⏎ … (+${lines.length - 1})` : '');
      editor.setDecorations(previewType, [
        {
          range: new vscode.Range(position, position),
          renderOptions: { after: { contentText: shown.replace(/ /g, '\u00a0') } },
        },
      ]);
    };
    let done = false;
    const finish = (value: Suggestion | undefined) => {
      if (done) return;
      done = true;
      previewType.dispose();
      qp.dispose();
      resolve(value);
    };
    qp.onDidChangeActive((items) => preview(items[0]));
    qp.onDidAccept(() => finish(qp.selectedItems[0]?.suggestion ?? qp.activeItems[0]?.suggestion));
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}

function itemFor(suggestion: Suggestion, i: number): AlternativeItem {
  const lines = suggestion.insertText.split(/\r?\n/);
  const firstLine = lines.find((l) => l.trim() !== '') ?? '';
  return {
    suggestion,
    label: `${i + 1}. ${firstLine.trim() || vscode.l10n.t('(whitespace)')}`,
    description: lines.length > 1 ? vscode.l10n.t('{0} lines', lines.length) : '',
    detail:
      lines.length > 1
        ? lines
            .slice(1, 4)
            .map((l) => l.trim())
            .join(' ⏎ ')
        : undefined,
  };
}
