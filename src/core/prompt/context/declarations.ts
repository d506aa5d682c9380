import type { TextDocumentLike } from '../textDocumentLike';

/**
 * The declaration of a symbol, not its body: the doc comment above it and its signature; for a class
 * or interface, its header and its members' signatures. Cut from the file the language server points
 * at, with the ranges its document symbols give, so it works for any language with a server.
 */
export interface SymbolRange {
  startLine: number;
  startCharacter: number;
  endLine: number;
  endCharacter: number;
}

/** A document symbol as VS Code's `executeDocumentSymbolProvider` reports it, as plain data. */
export interface DeclaredSymbol {
  name: string;
  /** VS Code's SymbolKind name: `Function`, `Class`, `Method`... */
  kind: string;
  range: SymbolRange;
  selectionRange: SymbolRange;
  children: readonly DeclaredSymbol[];
}

export interface Declaration {
  name: string;
  startLine: number;
  endLine: number;
  text: string;
}

const CONTAINER_KINDS = new Set(['Class', 'Interface', 'Struct', 'Enum', 'Module', 'Namespace', 'Object']);
/** Their body is not their declaration: only the signature goes, however short the body. */
const CALLABLE_KINDS = new Set(['Function', 'Method', 'Constructor', 'Operator', 'Event']);
/** A declaration this short is sent whole (a small interface or type says most in full). */
const WHOLE_LINES = 12;
const MAX_SIGNATURE_LINES = 14;
const MAX_DOC_LINES = 16;
const MAX_MEMBERS = 40;
export const MAX_DECLARATION_CHARS = 2400;

const contains = (r: SymbolRange, line: number, character: number) =>
  (line > r.startLine || (line === r.startLine && character >= r.startCharacter)) &&
  (line < r.endLine || (line === r.endLine && character <= r.endCharacter));

/** The innermost symbol whose name is at (line, character), else the innermost whose range holds it. */
export function symbolAt(
  symbols: readonly DeclaredSymbol[],
  line: number,
  character: number,
): DeclaredSymbol | undefined {
  let best: DeclaredSymbol | undefined;
  let byRange: DeclaredSymbol | undefined;
  const walk = (list: readonly DeclaredSymbol[]) => {
    for (const s of list) {
      if (!contains(s.range, line, character)) continue;
      byRange = s;
      if (contains(s.selectionRange, line, character)) best = s;
      walk(s.children);
    }
  };
  walk(symbols);
  return best ?? byRange;
}

/** The declaration at a definition location; undefined when nothing useful is there. */
export function declarationAt(
  document: TextDocumentLike,
  symbols: readonly DeclaredSymbol[],
  line: number,
  character: number,
): Declaration | undefined {
  const symbol = symbolAt(symbols, line, character);
  if (!symbol) {
    const sig = signatureFrom(document, line, document.lineCount - 1);
    if (!sig) return undefined;
    const doc = docCommentAbove(document, line);
    return finish('', doc.startLine, sig.endLine, [...doc.lines, ...sig.lines]);
  }
  const doc = docCommentAbove(document, symbol.range.startLine);
  const span = symbol.range.endLine - symbol.range.startLine + 1;
  if (span <= WHOLE_LINES && !CALLABLE_KINDS.has(symbol.kind)) {
    const lines: string[] = [];
    for (let l = symbol.range.startLine; l <= symbol.range.endLine; l++) lines.push(document.lineText(l));
    return finish(symbol.name, doc.startLine, symbol.range.endLine, [...doc.lines, ...lines]);
  }
  if (CONTAINER_KINDS.has(symbol.kind)) {
    const header = signatureFrom(document, symbol.range.startLine, symbol.range.endLine);
    const lines = [...doc.lines, ...(header?.lines ?? [document.lineText(symbol.range.startLine)])];
    const opened = /\{\s*$/.test(document.lineText(header?.endLine ?? symbol.range.startLine));
    if (lines.length > 0 && !/\{\s*$/.test(lines[lines.length - 1]!) && opened) lines[lines.length - 1] += ' {';
    for (const member of symbol.children.slice(0, MAX_MEMBERS)) {
      const sig = signatureFrom(document, member.range.startLine, member.range.endLine);
      if (sig) lines.push(...sig.lines);
    }
    if (opened) lines.push(indentOf(document.lineText(symbol.range.startLine)) + '}');
    return finish(symbol.name, doc.startLine, symbol.range.endLine, lines);
  }
  const sig = signatureFrom(document, symbol.range.startLine, symbol.range.endLine);
  if (!sig) return undefined;
  return finish(symbol.name, doc.startLine, sig.endLine, [...doc.lines, ...sig.lines]);
}

function finish(name: string, startLine: number, endLine: number, lines: string[]): Declaration | undefined {
  const text = dedent(lines).join('\n').replace(/\s+$/, '');
  if (text === '' || text.length > MAX_DECLARATION_CHARS) return undefined;
  return { name, startLine, endLine, text };
}

const COMMENT_LINE = /^\s*(\/\/|\/\*|\*|#(?!\[)|"""|'''|--|;;|@\w)/;

/** Comment (and decorator) lines right above `line`. */
export function docCommentAbove(document: TextDocumentLike, line: number): { startLine: number; lines: string[] } {
  const lines: string[] = [];
  let l = line - 1;
  for (; l >= 0 && lines.length < MAX_DOC_LINES; l--) {
    const text = document.lineText(l);
    if (!COMMENT_LINE.test(text) && !/^\s*\*\/\s*$/.test(text)) break;
    lines.unshift(text);
  }
  // A cut-off block comment (more than MAX_DOC_LINES) would start mid-sentence: drop it.
  if (lines.length >= MAX_DOC_LINES && !/^\s*(\/\*\*?|\/\/|#)/.test(lines[0]!)) return { startLine: line, lines: [] };
  return { startLine: l + 1, lines };
}

/**
 * The lines of a signature starting at `line`: up to the body's opening brace, a Python colon, or a
 * semicolon, with brackets balanced (a parameter list over several lines is kept whole).
 */
export function signatureFrom(
  document: TextDocumentLike,
  line: number,
  lastLine: number,
): { lines: string[]; endLine: number } | undefined {
  let depth = 0;
  const lines: string[] = [];
  const end = Math.min(lastLine, line + MAX_SIGNATURE_LINES - 1, document.lineCount - 1);
  for (let l = line; l <= end; l++) {
    const text = document.lineText(l);
    let quote: string | undefined;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (quote) {
        if (ch === '\\') i++;
        else if (ch === quote) quote = undefined;
        continue;
      }
      if (ch === '"' || ch === "'" || ch === '`') quote = ch;
      else if (ch === '/' && text[i + 1] === '/') break;
      else if (ch === '(' || ch === '[') depth++;
      else if (ch === ')' || ch === ']') depth--;
      else if (depth <= 0 && ch === '{' && !isTypeBrace(text, i)) {
        const head = text.slice(0, i).replace(/\s+$/, '');
        if (head.trim() !== '') lines.push(head);
        else if (lines.length === 0) return undefined;
        return { lines, endLine: l };
      } else if (depth <= 0 && ch === ';') {
        lines.push(text.slice(0, i + 1));
        return { lines, endLine: l };
      }
    }
    lines.push(text);
    if (depth <= 0 && /:\s*(#.*)?$/.test(text) && /^\s*(async\s+)?(def|class)\b/.test(lines[0]!))
      return { lines, endLine: l };
    if (depth <= 0 && l === lastLine) return { lines, endLine: l };
  }
  // Reached the limit with brackets still open: a signature cut in the middle is no signature.
  return depth <= 0 && lines.length > 0 ? { lines, endLine: end } : undefined;
}

/** A `{` that opens an object type (`: {`, `<{`, `= {` after `type X`) rather than a body. */
function isTypeBrace(text: string, at: number): boolean {
  const before = text.slice(0, at);
  return /:\s*$/.test(before) || (/^\s*(export\s+)?(declare\s+)?type\s/.test(text) && /=\s*$/.test(before));
}

function indentOf(text: string): string {
  return /^\s*/.exec(text)![0];
}

/** Removes the indentation all lines share, so a method reads like a top-level declaration. */
function dedent(lines: string[]): string[] {
  let common: number | undefined;
  for (const l of lines) {
    if (l.trim() === '') continue;
    const n = indentOf(l).length;
    common = common === undefined ? n : Math.min(common, n);
  }
  return common ? lines.map((l) => l.slice(Math.min(common, indentOf(l).length))) : lines;
}
