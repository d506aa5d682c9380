import * as vscode from 'vscode';
import { formatDecisionReport } from '../core/reports/decisionReport';
import type { ApiKeyStore } from './apiKeyStore';
import type { DecisionLog } from './decisionLog';
import { REPORT_SCHEME, type ReportDocuments } from './reportDocuments';

/** `Infill: Explain Last Suggestion`: the last decision for the active editor, as a Markdown report. */
export async function explainLastSuggestion(
  decisions: DecisionLog,
  reports: ReportDocuments,
  keys: ApiKeyStore,
): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  // The report tab itself may be active when the command runs again: explain the latest instead.
  const document = editor && editor.document.uri.scheme !== REPORT_SCHEME ? editor.document : undefined;
  let recorded = decisions.forDocument(document);
  let note = '';
  if (!recorded && decisions.mostRecent) {
    recorded = decisions.mostRecent;
    note = document
      ? vscode.l10n.t(
          'Nothing was decided for this editor yet; this is the most recent decision, from {0}.',
          recorded.context.documentName ?? '?',
        )
      : vscode.l10n.t(
          'No editor is active; this is the most recent decision, from {0}.',
          recorded.context.documentName ?? '?',
        );
  }
  const key = await keys.get();
  const secrets = [...(recorded?.context.secrets ?? []), ...(key ? [key] : [])];
  let text = formatDecisionReport(recorded?.decision, { ...(recorded?.context ?? {}), secrets }, vscode.l10n.t);
  if (note) text = text.replace(/\n\n/, `\n\n> ${note}\n\n`);
  await reports.show('Infill last suggestion.md', text);
}
