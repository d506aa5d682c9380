import * as vscode from 'vscode';
import { prepareCommandRequest } from '../core/engine/commandRequest';
import { requestCompletion, type CompletionResult } from '../core/protocol/completionClient';
import { toInfillError } from '../core/infillError';
import { readSettings } from './configuration';
import { countUsage } from './gatedInlineProvider';
import { adaptDocument } from './inlineProvider';
import { describeRequestTarget } from './requestSummary';
import type { InfillServices } from './services';
import { originOf } from './apiKeyStore';
import { retryPolicyFromSettings } from '../core/transport/transportSettings';
import { newDecision, withResponse } from '../core/reports/decisionRecord';

interface AlternativeItem extends vscode.QuickPickItem {
  text: string;
}

/** Dimmed text after the cursor, like ghost text, for the quick pick's preview. */
const PREVIEW = vscode.window.createTextEditorDecorationType({
  after: { color: new vscode.ThemeColor('editorGhostText.foreground'), fontStyle: 'italic' },
});

/**
 * `Infill: Show Alternatives`: asks for `infill.alternatives` choices (one request with `n`, or one
 * request per choice for servers without `n`), shows the distinct ones in a quick pick with a
 * preview at the cursor, and inserts the one picked.
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
  const settings = readSettings(document);
  const position = editor.selection.active;
  const version = document.version;
  const count = Math.max(2, Math.min(10, Math.floor(settings.alternatives) || 3));
  const prepared = prepareCommandRequest({ document: adaptDocument(document), position, settings, choices: count });
  const key = await s.keys.getFor(originOf(prepared.endpoint.baseUrl));
  if (!(await s.keyGuard.mayCarryKey(prepared.endpoint.baseUrl, Boolean(key), true))) return;
  const endpoint = { ...prepared.endpoint, ...(key ? { apiKey: key } : {}) };

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
  const failures = outcome
    .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
    .map((r) => toInfillError(r.reason));
  const sizes = {
    promptChars: prepared.assembled.window.prefix.length,
    suffixChars: prepared.built.body.suffix?.length ?? 0,
    command: 'Show Alternatives',
  } as const;
  for (const r of results) {
    const answered = withResponse(newDecision(settings.model, 'shown', 'shown', 'alternatives', sizes), r);
    countUsage(s.usage, { ...answered, rawText: r.choices.map((c) => c.text).join('') });
  }
  if (results.length === 0) {
    const failure = failures[0];
    if (!failure || failure.kind === 'aborted') {
      s.status.set({ kind: 'ready' });
      return;
    }
    s.status.set({ kind: 'error', reason: failure.message });
    throw failure;
  }
  s.status.set({ kind: 'ready' });

  const texts = distinctTexts(results.flatMap((r) => r.choices.map((c) => c.text)));
  s.log.info(
    `Show alternatives: ${settings.model}, ${prepared.requests} request(s) -> ${texts.length} distinct of ${count} asked`,
  );
  const reason = vscode.l10n.t('{0} distinct alternatives', texts.length);
  s.decisions.record(
    document,
    withResponse(
      newDecision(
        settings.model,
        texts.length > 0 ? 'shown' : 'empty',
        texts.length > 0 ? 'shown' : 'noChoices',
        reason,
        sizes,
      ),
      results[0]!,
    ),
    {
      documentName: vscode.workspace.asRelativePath(document.uri),
      languageId: document.languageId,
      ...describeRequestTarget(settings),
    },
  );
  if (texts.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Infill: the server returned no text for this position.'));
    return;
  }

  const picked = await pick(editor, position, texts);
  if (picked === undefined) return;
  if (document.version !== version) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Infill: the document changed while the alternatives were shown; nothing was inserted.'),
    );
    return;
  }
  await editor.edit((b) => b.insert(position, picked), { undoStopBefore: true, undoStopAfter: true });
}

function pick(editor: vscode.TextEditor, position: vscode.Position, texts: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<AlternativeItem>();
    qp.title = vscode.l10n.t('Infill: alternatives');
    qp.placeholder = vscode.l10n.t('Pick the completion to insert at the cursor');
    qp.matchOnDetail = true;
    qp.items = texts.map((text, i) => {
      const lines = text.split(/\r?\n/);
      const firstLine = lines.find((l) => l.trim() !== '') ?? '';
      return {
        text,
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
    });
    const preview = (item: AlternativeItem | undefined) => {
      if (!item) return editor.setDecorations(PREVIEW, []);
      const lines = item.text.split(/\r?\n/);
      const shown = lines[0]! + (lines.length > 1 ? `  ⏎ … (+${lines.length - 1})` : '');
      editor.setDecorations(PREVIEW, [
        {
          range: new vscode.Range(position, position),
          renderOptions: { after: { contentText: shown.replace(/ /g, '\u00a0') } },
        },
      ]);
    };
    let done = false;
    const finish = (value: string | undefined) => {
      if (done) return;
      done = true;
      editor.setDecorations(PREVIEW, []);
      qp.dispose();
      resolve(value);
    };
    qp.onDidChangeActive((items) => preview(items[0]));
    qp.onDidAccept(() => finish(qp.selectedItems[0]?.text ?? qp.activeItems[0]?.text));
    qp.onDidHide(() => finish(undefined));
    qp.show();
  });
}

/** Non-empty choices without trailing whitespace, each once, in the order they came. */
export function distinctTexts(texts: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of texts) {
    const text = raw.replace(/\s+$/, '');
    if (!text.trim() || seen.has(text)) continue;
    seen.add(text);
    out.push(text);
  }
  return out;
}
