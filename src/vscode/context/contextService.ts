import * as vscode from 'vscode';
import { ContextGatherer } from '../../core/prompt/context/contextGatherer';
import type { ContextPiece, PromptContext } from '../../core/prompt/context/contextTypes';
import { historyPieces } from '../../core/prompt/context/recentEdits';
import type { TextDocumentLike } from '../../core/prompt/textDocumentLike';
import type { InfillSettings } from '../../core/settings';
import { adaptDocument } from '../inlineProvider';
import { clipboardAllowed, readClipboardPiece } from './clipboardSource';
import { DefinitionSource } from './definitionSource';
import { EditHistory } from './editHistory';
import { mayReadForContext, type UriExclusion } from './readPolicy';

/** What a request gets: the context known now (so the budget is reserved) and the one to send. */
export interface RequestContext {
  context: PromptContext;
  /** Waits at most `infill.context.deadlineMs`, then returns what is ready. */
  resolve: () => Promise<PromptContext>;
}

/**
 * The context sources for ghost text and the commands: definitions and imports through the
 * language server, recent edits and views, the clipboard. `begin` is called with the keystroke, so
 * the language server works while the debounce waits.
 */
export class ContextService implements vscode.Disposable {
  private readonly history = new EditHistory();
  private readonly gatherer: ContextGatherer;
  private settings: InfillSettings | undefined;

  constructor(private readonly isExcluded: UriExclusion) {
    this.gatherer = new ContextGatherer(
      new DefinitionSource((uri) => this.settings !== undefined && mayReadForContext(uri, this.settings, isExcluded)),
    );
  }

  dispose(): void {
    this.history.dispose();
  }

  begin(
    document: vscode.TextDocument,
    position: vscode.Position,
    settings: InfillSettings,
    server: { local: boolean },
  ): RequestContext | undefined {
    const clipboard = clipboardAllowed(settings, server.local);
    const gathers =
      settings.contextDefinitions ||
      settings.contextImports ||
      settings.contextRecentEdits ||
      settings.contextRecentViews ||
      clipboard;
    if (!gathers) return undefined;
    this.settings = settings;
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    const base: PromptContext = {
      pieces: [],
      ...(folder ? { repoName: folder.name } : {}),
      currentPath: vscode.workspace.asRelativePath(document.uri, false),
      workspaceRoots: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
    };
    const gathering =
      settings.contextDefinitions || settings.contextImports
        ? this.gatherer.begin({
            documentKey: document.uri.toString(),
            document: adaptDocument(document),
            position: { line: position.line, character: position.character },
            definitions: settings.contextDefinitions,
            imports: settings.contextImports,
          })
        : undefined;
    const stamp = (key: string) => this.gatherer.seen.stamp(key);
    const clipboardPiece = clipboard ? readClipboardPiece(stamp) : undefined;
    const gather = async (): Promise<PromptContext> => {
      const deadline = Math.max(0, settings.contextDeadlineMs);
      const started = performance.now();
      const declared = gathering ? await gathering.settle(deadline) : [];
      const pieces: ContextPiece[] = [...declared.filter((p) => p.source === 'definition')];
      pieces.push(...declared.filter((p) => p.source === 'import'));
      const documentFor = (fileName: string) => this.readable(fileName, settings);
      if (settings.contextRecentEdits)
        pieces.push(...historyPieces(this.history.edits.entries(), 'recentEdit', documentFor, stamp));
      if (settings.contextRecentViews)
        pieces.push(...historyPieces(this.history.views.entries(), 'recentView', documentFor, stamp));
      if (clipboardPiece) {
        const left = Math.max(0, deadline - (performance.now() - started));
        const clip = await Promise.race([clipboardPiece, sleep(left)]);
        if (clip) pieces.push(clip);
      }
      return { ...base, pieces };
    };
    // Context is a bonus: a failure in gathering costs the context, never the suggestion.
    const resolve = () => gather().catch(() => base);
    return { context: base, resolve };
  }

  /** An open document context may be read from (edits and views are only read from open ones). */
  private readable(fileName: string, settings: InfillSettings): TextDocumentLike | undefined {
    const doc = vscode.workspace.textDocuments.find((d) => d.fileName === fileName && !d.isClosed);
    if (!doc || !mayReadForContext(doc.uri, settings, this.isExcluded)) return undefined;
    return adaptDocument(doc);
  }
}

function sleep(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms));
}
