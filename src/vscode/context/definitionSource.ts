import * as vscode from 'vscode';
import type { ContextHost, DefinitionTarget, TargetDocument } from '../../core/prompt/context/contextGatherer';
import type { DeclaredSymbol, SymbolRange } from '../../core/prompt/context/declarations';
import type { CursorPosition } from '../../core/prompt/textDocumentLike';
import { adaptDocument } from '../inlineProvider';

/**
 * The language server's answers for context, through VS Code's own providers (so every language
 * with a server works): `vscode.executeDefinitionProvider` / `executeTypeDefinitionProvider` for
 * where a name is declared, `vscode.executeDocumentSymbolProvider` for the declaration's extent.
 * Symbols are cached per (document, version). Only files `mayRead` allows are ever opened.
 */
export class DefinitionSource implements ContextHost {
  private readonly symbols = new Map<string, { version: number; promise: Promise<readonly DeclaredSymbol[]> }>();

  constructor(private readonly mayRead: (uri: vscode.Uri) => boolean) {}

  async definitions(
    documentKey: string,
    kind: 'definition' | 'typeDefinition',
    position: CursorPosition,
  ): Promise<readonly DefinitionTarget[]> {
    const command = kind === 'definition' ? 'vscode.executeDefinitionProvider' : 'vscode.executeTypeDefinitionProvider';
    const found = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[] | undefined>(
      command,
      vscode.Uri.parse(documentKey),
      new vscode.Position(position.line, position.character),
    );
    const out: DefinitionTarget[] = [];
    for (const item of found ?? []) {
      const uri = 'targetUri' in item ? item.targetUri : item.uri;
      const range = 'targetUri' in item ? (item.targetSelectionRange ?? item.targetRange) : item.range;
      if (!this.mayRead(uri)) continue;
      out.push({
        fileName: fileNameOf(uri),
        path: vscode.workspace.asRelativePath(uri, false),
        line: range.start.line,
        character: range.start.character,
      });
    }
    return out;
  }

  async openTarget(fileName: string): Promise<TargetDocument | undefined> {
    const uri = uriOf(fileName);
    if (!this.mayRead(uri)) return undefined;
    const document = await vscode.workspace.openTextDocument(uri);
    const key = uri.toString();
    let cached = this.symbols.get(key);
    if (!cached || cached.version !== document.version) {
      cached = { version: document.version, promise: documentSymbols(uri) };
      this.symbols.set(key, cached);
      if (this.symbols.size > 200) this.symbols.delete(this.symbols.keys().next().value!);
    }
    return { document: adaptDocument(document), symbols: await cached.promise };
  }
}

/** The name pieces carry: the path of a file on disk (as `TextDocument.fileName`), else the URI. */
export function fileNameOf(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

function uriOf(fileName: string): vscode.Uri {
  return /^[a-z][a-z0-9+.-]+:/i.test(fileName) && !/^[a-z]:[\\/]/i.test(fileName)
    ? vscode.Uri.parse(fileName)
    : vscode.Uri.file(fileName);
}

async function documentSymbols(uri: vscode.Uri): Promise<readonly DeclaredSymbol[]> {
  try {
    const found = await vscode.commands.executeCommand<
      (vscode.DocumentSymbol | vscode.SymbolInformation)[] | undefined
    >('vscode.executeDocumentSymbolProvider', uri);
    return (found ?? []).map(toDeclared);
  } catch {
    return [];
  }
}

function toRange(r: vscode.Range): SymbolRange {
  return {
    startLine: r.start.line,
    startCharacter: r.start.character,
    endLine: r.end.line,
    endCharacter: r.end.character,
  };
}

function toDeclared(s: vscode.DocumentSymbol | vscode.SymbolInformation): DeclaredSymbol {
  if ('children' in s) {
    return {
      name: s.name,
      kind: vscode.SymbolKind[s.kind],
      range: toRange(s.range),
      selectionRange: toRange(s.selectionRange),
      children: s.children.map(toDeclared),
    };
  }
  const range = toRange(s.location.range);
  return { name: s.name, kind: vscode.SymbolKind[s.kind], range, selectionRange: range, children: [] };
}
