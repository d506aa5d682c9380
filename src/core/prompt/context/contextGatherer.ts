import type { CursorPosition, TextDocumentLike } from '../textDocumentLike';
import type { ContextPiece } from './contextTypes';
import { cursorSymbols, importedNames, type SymbolAt } from './cursorSymbols';
import { declarationAt, type DeclaredSymbol } from './declarations';

/**
 * Asks the language server, through the glue, what the names at the cursor and the file's imports
 * are, and turns the answers into declaration pieces. Starts as soon as a keystroke arrives (while
 * the debounce waits); `settle` then waits at most the deadline and takes what is ready. Answers are
 * cached, so a slow server's answer serves the next keystroke; a cached answer older than
 * `staleMs` is still used while a fresh one is asked for.
 */
export interface DefinitionTarget {
  fileName: string;
  /** Relative to the workspace: what the model sees. */
  path: string;
  line: number;
  character: number;
}

export interface TargetDocument {
  document: TextDocumentLike;
  symbols: readonly DeclaredSymbol[];
}

/** What the glue answers through VS Code's providers; only files that may be read are ever returned. */
export interface ContextHost {
  definitions(
    documentKey: string,
    kind: 'definition' | 'typeDefinition',
    position: CursorPosition,
  ): Promise<readonly DefinitionTarget[]>;
  /** The target document and its symbols (the glue caches them per document version). */
  openTarget(fileName: string): Promise<TargetDocument | undefined>;
}

export interface GatherRequest {
  /** The current document, as the host knows it (its URI). */
  documentKey: string;
  document: TextDocumentLike;
  position: CursorPosition;
  definitions: boolean;
  imports: boolean;
}

export interface GathererOptions {
  now?: () => number;
  staleMs?: number;
  maxEntries?: number;
}

interface Lookup {
  done: boolean;
  pieces: Omit<ContextPiece, 'rank' | 'seen'>[];
  at: number;
  promise: Promise<void>;
  refreshing: boolean;
}

/** Lines near the cursor where an imported name makes its declaration more urgent. */
const USE_DISTANCE = 12;
/** Definition targets followed per name (overloads and re-exports add more). */
const TARGETS_PER_NAME = 2;

/** Numbers pieces by when they were first seen, so the block's order survives between keystrokes. */
export class FirstSeen {
  private readonly order = new Map<string, number>();
  private next = 0;

  constructor(private readonly capacity = 1000) {}

  stamp(key: string): number {
    const known = this.order.get(key);
    if (known !== undefined) return known;
    const n = this.next++;
    this.order.set(key, n);
    if (this.order.size > this.capacity) this.order.delete(this.order.keys().next().value!);
    return n;
  }
}

export class ContextGatherer {
  private readonly lookups = new Map<string, Lookup>();
  private readonly now: () => number;
  private readonly staleMs: number;
  private readonly maxEntries: number;
  readonly seen = new FirstSeen();

  constructor(
    private readonly host: ContextHost,
    options: GathererOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.staleMs = options.staleMs ?? 5000;
    this.maxEntries = options.maxEntries ?? 500;
  }

  /** Starts (or reuses) the lookups for a position; returns what to wait on and how to read the result. */
  begin(req: GatherRequest): Gathering {
    const wanted: Wanted[] = [];
    const atCursor = new Map<string, number>();
    if (req.definitions) {
      cursorSymbols(req.document, req.position).forEach((symbol, i) => {
        atCursor.set(symbol.name, symbol.role === 'call' ? 0 : 1 + i / 10);
        const rank = symbol.role === 'call' ? 0 : 1 + i / 10;
        wanted.push({ symbol, kind: 'definition', rank, lookup: this.lookup(req.documentKey, symbol, 'definition') });
        if (symbol.role === 'line')
          wanted.push({
            symbol,
            kind: 'typeDefinition',
            rank: rank + 0.05,
            lookup: this.lookup(req.documentKey, symbol, 'typeDefinition'),
          });
      });
    }
    if (req.imports) {
      const near = nearbyText(req.document, req.position);
      importedNames(req.document).forEach((symbol, i) => {
        const used = new RegExp(`\\b${symbol.name.replace(/\$/g, '\\$')}\\b`).test(near);
        // An import of the very name being called (or on the cursor's line) was resolved at the
        // import, usually keystrokes ago: it stands in for the definition until that lookup answers.
        const cursorRank = atCursor.get(symbol.name);
        wanted.push({
          symbol,
          kind: 'definition',
          rank: cursorRank ?? (used ? 5 : 20) + i / 100,
          lookup: this.lookup(req.documentKey, symbol, 'definition'),
          ...(cursorRank !== undefined ? { asDefinition: true } : {}),
        });
      });
    }
    return new Gathering(wanted, this.seen);
  }

  private lookup(documentKey: string, symbol: SymbolAt, kind: 'definition' | 'typeDefinition'): Lookup {
    // Keyed by name, not by document version: the version changes on every keystroke, what a name
    // means in a file almost never does.
    const key = `${documentKey}\u0000${kind}\u0000${symbol.role === 'import' ? 'import:' : ''}${symbol.name}`;
    const known = this.lookups.get(key);
    if (known) {
      if (known.done && !known.refreshing && this.now() - known.at > this.staleMs) {
        known.refreshing = true;
        void this.resolve(documentKey, symbol, kind).then((pieces) => {
          known.pieces = pieces;
          known.at = this.now();
          known.refreshing = false;
        });
      }
      // Most recently used last, so the oldest goes first when the map is full.
      this.lookups.delete(key);
      this.lookups.set(key, known);
      return known;
    }
    const lookup: Lookup = { done: false, pieces: [], at: this.now(), refreshing: false, promise: Promise.resolve() };
    lookup.promise = this.resolve(documentKey, symbol, kind).then((pieces) => {
      lookup.pieces = pieces;
      lookup.done = true;
      lookup.at = this.now();
    });
    this.lookups.set(key, lookup);
    if (this.lookups.size > this.maxEntries) this.lookups.delete(this.lookups.keys().next().value!);
    return lookup;
  }

  /** Never rejects: a failing server costs its pieces, nothing else. */
  private async resolve(
    documentKey: string,
    symbol: SymbolAt,
    kind: 'definition' | 'typeDefinition',
  ): Promise<Omit<ContextPiece, 'rank' | 'seen'>[]> {
    try {
      const targets = await this.host.definitions(documentKey, kind, {
        line: symbol.line,
        character: symbol.character,
      });
      const out: Omit<ContextPiece, 'rank' | 'seen'>[] = [];
      for (const target of targets.slice(0, TARGETS_PER_NAME)) {
        const opened = await this.host.openTarget(target.fileName);
        if (!opened) continue;
        const declaration = declarationAt(opened.document, opened.symbols, target.line, target.character);
        if (!declaration) continue;
        out.push({
          source: symbol.role === 'import' ? 'import' : 'definition',
          path: target.path,
          fileName: target.fileName,
          startLine: declaration.startLine,
          endLine: declaration.endLine,
          text: declaration.text,
        });
      }
      return out;
    } catch {
      return [];
    }
  }
}

interface Wanted {
  symbol: SymbolAt;
  kind: 'definition' | 'typeDefinition';
  rank: number;
  lookup: Lookup;
  /** An import's answer counted as the definition of a name at the cursor. */
  asDefinition?: boolean;
}

/** One position's lookups. */
export class Gathering {
  constructor(
    private readonly wanted: readonly Wanted[],
    private readonly seen: FirstSeen,
  ) {}

  /** True when every lookup has answered (nothing to wait for). */
  get complete(): boolean {
    return this.wanted.every((w) => w.lookup.done);
  }

  /** Waits until every lookup answered or `deadlineMs` passed, then returns what is ready. */
  async settle(deadlineMs: number): Promise<ContextPiece[]> {
    if (!this.complete && deadlineMs > 0) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.all(this.wanted.map((w) => w.lookup.promise)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, deadlineMs))),
      ]);
      clearTimeout(timer);
    }
    return this.ready();
  }

  /** The pieces answered so far, each once (the best rank wins), stamped with when first seen. */
  ready(): ContextPiece[] {
    const byKey = new Map<string, ContextPiece>();
    for (const { rank, lookup, asDefinition } of this.wanted) {
      for (const found of lookup.pieces) {
        const p = asDefinition ? { ...found, source: 'definition' as const } : found;
        const key = `${p.fileName}\u0000${p.startLine}`;
        const known = byKey.get(key);
        if (known && known.rank <= rank && (known.source === 'definition' || p.source === 'import')) continue;
        byKey.set(key, { ...p, rank, seen: this.seen.stamp(`${p.fileName}\u0000${p.text}`) });
      }
    }
    return [...byKey.values()].sort((a, b) => a.rank - b.rank);
  }
}

function nearbyText(document: TextDocumentLike, position: CursorPosition): string {
  const lines: string[] = [];
  const last = Math.min(document.lineCount - 1, position.line + USE_DISTANCE);
  for (let l = Math.max(0, position.line - USE_DISTANCE); l <= last; l++) lines.push(document.lineText(l));
  return lines.join('\n');
}
