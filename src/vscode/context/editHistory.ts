import * as vscode from 'vscode';
import { LocationHistory } from '../../core/prompt/context/recentEdits';

/** Lines around a place jumped to that count as viewed. */
const VIEW_RADIUS = 6;
/** A cursor move this far (or into another file) is a jump, not typing. */
const JUMP_LINES = 12;

/**
 * Feeds the edit and view histories from the editor: every change the user makes in the active
 * editor (`infill.context.recentEdits`), and every jump (Go to Definition, a click far away, another
 * tab) for `infill.context.recentViews`. Only positions are kept here; the text is read, and the
 * exclusion rules applied, when a request is built.
 */
export class EditHistory implements vscode.Disposable {
  readonly edits = new LocationHistory(8, 3, 3);
  readonly views = new LocationHistory(4, VIEW_RADIUS, 2);
  private readonly subscriptions: vscode.Disposable[] = [];
  private last: { fileName: string; line: number } | undefined;

  constructor() {
    this.subscriptions.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.onChange(e)),
      vscode.window.onDidChangeTextEditorSelection((e) => this.onSelection(e)),
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (editor) this.noteView(editor.document, editor.selection.active.line);
      }),
    );
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  private onChange(e: vscode.TextDocumentChangeEvent): void {
    // Edits the user makes: in the active editor. Formatters and other tools changing files in the
    // background are not "where the user was".
    if (e.document !== vscode.window.activeTextEditor?.document || e.contentChanges.length === 0) return;
    const path = vscode.workspace.asRelativePath(e.document.uri, false);
    for (const change of e.contentChanges) {
      const newLines = (change.text.match(/\n/g) ?? []).length;
      this.edits.noteEdit(e.document.fileName, path, change.range.start.line, change.range.end.line, newLines);
      this.views.noteEdit(e.document.fileName, path, change.range.start.line, change.range.end.line, newLines);
    }
    this.last = { fileName: e.document.fileName, line: e.contentChanges[0]!.range.start.line };
  }

  private onSelection(e: vscode.TextEditorSelectionChangeEvent): void {
    if (
      e.kind === vscode.TextEditorSelectionChangeKind.Keyboard &&
      e.textEditor.document.fileName === this.last?.fileName
    )
      return;
    this.noteView(e.textEditor.document, e.selections[0]?.active.line ?? 0);
  }

  private noteView(document: vscode.TextDocument, line: number): void {
    const jumped =
      !this.last || this.last.fileName !== document.fileName || Math.abs(this.last.line - line) > JUMP_LINES;
    this.last = { fileName: document.fileName, line };
    if (!jumped || (document.uri.scheme !== 'file' && document.uri.scheme !== 'untitled')) return;
    const path = vscode.workspace.asRelativePath(document.uri, false);
    this.views.note(document.fileName, path, Math.max(0, line - VIEW_RADIUS), line + VIEW_RADIUS);
  }
}
