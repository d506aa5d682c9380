import type * as vscode from 'vscode';
import type { DecisionContext, ReportableDecision } from '../core/reports/decisionReport';

export interface RecordedDecision {
  decision: ReportableDecision;
  context: DecisionContext;
}

/** Documents remembered; older entries fall out first. */
const MAX_DOCUMENTS = 50;

/** The last decision per document, for `Infill: Explain Last Suggestion`. */
export class DecisionLog {
  private readonly byDocument = new Map<string, RecordedDecision>();
  private latest: RecordedDecision | undefined;

  record(document: vscode.TextDocument, decision: ReportableDecision, context: DecisionContext): void {
    const key = document.uri.toString();
    const entry = { decision, context: { at: new Date(), ...context } };
    this.byDocument.delete(key);
    this.byDocument.set(key, entry);
    this.latest = entry;
    if (this.byDocument.size > MAX_DOCUMENTS) {
      const oldest = this.byDocument.keys().next().value;
      if (oldest !== undefined) this.byDocument.delete(oldest);
    }
  }

  forDocument(document: vscode.TextDocument | undefined): RecordedDecision | undefined {
    return document ? this.byDocument.get(document.uri.toString()) : undefined;
  }

  get mostRecent(): RecordedDecision | undefined {
    return this.latest;
  }
}
