import type { CursorPosition, TextDocumentLike } from '../textDocumentLike';

/**
 * Which names near the cursor are worth a trip to the language server: the function whose call is
 * being written (the name before the innermost open parenthesis), then the names on the cursor's
 * line, nearest first. And which names the file imports. Plain text scanning, so it costs
 * microseconds and works for every language; the language server decides what each name means.
 */
export interface SymbolAt {
  name: string;
  line: number;
  /** Column of the name's first character. */
  character: number;
  /** `call`: the call being written; `line`: a name on the cursor's line; `import`: an imported name. */
  role: 'call' | 'line' | 'import';
}

const WORD = /[A-Za-z_$][A-Za-z0-9_$]*/g;

/** Words that never name a user's declaration, in any language Infill is used with most. */
const KEYWORDS = new Set(
  (
    'if else for while do switch case break continue return function class const let var new this super true false ' +
    'null undefined void typeof instanceof in of as from import export default async await yield try catch finally ' +
    'throw def self None True False lambda pass elif with raise except global nonlocal fn pub mut impl ' +
    'struct enum trait use match type interface extends implements public private protected static readonly package ' +
    'func go defer chan map range select string number boolean any unknown never object int float double char bool long'
  ).split(' '),
);
/** Operators spelled as words only in some languages; elsewhere they are ordinary names (`and(a, b)`). */
const WORD_OPERATORS: Record<string, Set<string>> = {
  python: new Set(['and', 'or', 'not', 'is']),
  lua: new Set(['and', 'or', 'not']),
  ruby: new Set(['and', 'or', 'not']),
};

function isKeyword(word: string, languageId: string): boolean {
  return KEYWORDS.has(word) || (WORD_OPERATORS[languageId]?.has(word) ?? false);
}

/** Lines looked back through for the open parenthesis of the call being written. */
const CALL_LOOKBACK_LINES = 6;
/** Names on the cursor's line asked about, nearest first. */
const MAX_LINE_NAMES = 5;

export function cursorSymbols(document: TextDocumentLike, position: CursorPosition): SymbolAt[] {
  const out: SymbolAt[] = [];
  const call = enclosingCall(document, position);
  if (call) out.push(call);
  const text = document.lineText(position.line);
  const names: SymbolAt[] = [];
  for (const m of text.matchAll(WORD)) {
    const start = m.index;
    const end = start + m[0].length;
    // The word being typed is not a name yet; the language server would resolve a prefix of it.
    if (end >= position.character && start <= position.character) continue;
    if (isKeyword(m[0], document.languageId) || /^\d/.test(m[0]) || m[0].length < 2) continue;
    if (isInsideString(text, start)) continue;
    names.push({ name: m[0], line: position.line, character: start, role: 'line' });
  }
  names.sort((a, b) => Math.abs(a.character - position.character) - Math.abs(b.character - position.character));
  for (const n of names) {
    if (out.length >= MAX_LINE_NAMES + (call ? 1 : 0)) break;
    if (out.some((o) => o.name === n.name)) continue;
    out.push(n);
  }
  return out;
}

/** The name before the innermost parenthesis still open at the cursor, within a few lines. */
export function enclosingCall(document: TextDocumentLike, position: CursorPosition): SymbolAt | undefined {
  let depth = 0;
  const first = Math.max(0, position.line - CALL_LOOKBACK_LINES);
  for (let line = position.line; line >= first; line--) {
    const text = document.lineText(line);
    const end = line === position.line ? Math.min(position.character, text.length) : text.length;
    for (let i = end - 1; i >= 0; i--) {
      const ch = text[i];
      if (ch === ')') depth++;
      else if (ch === '(') {
        if (depth > 0) depth--;
        else {
          const before = text.slice(0, i).match(/([A-Za-z_$][A-Za-z0-9_$]*)\s*(<[^()]*>)?\s*$/);
          // A keyword is a name only as a member (`gen.if(`).
          if (!before || (isKeyword(before[1]!, document.languageId) && text[before.index! - 1] !== '.'))
            return undefined;
          return { name: before[1]!, line, character: before.index!, role: 'call' };
        }
      } else if ((ch === ';' || ch === '{' || ch === '}') && depth === 0) return undefined;
    }
  }
  return undefined;
}

function isInsideString(text: string, at: number): boolean {
  let quote: string | undefined;
  for (let i = 0; i < at; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'" || ch === '`') quote = ch;
  }
  return quote !== undefined;
}

/** Lines at the top of a file scanned for imports. */
const IMPORT_SCAN_LINES = 200;
const MAX_IMPORTS = 24;

/**
 * Names the file imports, where they stand in the import statement (the language server resolves
 * them there). ES modules (`import {a, b as c} from`, default and namespace imports, multi-line
 * lists) and Python (`from m import a, b`, `import m`).
 */
export function importedNames(document: TextDocumentLike): SymbolAt[] {
  const out: SymbolAt[] = [];
  const lines = Math.min(document.lineCount, IMPORT_SCAN_LINES);
  let inBraces = false;
  for (let line = 0; line < lines && out.length < MAX_IMPORTS; line++) {
    const text = document.lineText(line);
    let names: { name: string; at: number }[] = [];
    const es = /^\s*import\s+(type\s+)?/.exec(text);
    const py = /^\s*from\s+\S+\s+import\s+/.exec(text);
    if (inBraces) {
      const close = text.indexOf('}');
      names = listNames(text, 0, close === -1 ? text.length : close);
      if (close !== -1) inBraces = false;
    } else if (es) {
      const rest = es[0].length;
      const open = text.indexOf('{', rest);
      const fromAt = text.search(/\bfrom\b/);
      const headEnd = open !== -1 ? open : fromAt !== -1 ? fromAt : text.length;
      // Default or namespace import: `import x from`, `import * as ns from`, `import x, {...}`.
      for (const m of text.slice(rest, headEnd).matchAll(/(?:\*\s+as\s+)?([A-Za-z_$][\w$]*)/g)) {
        if (m[1] !== 'type' && m[1] !== 'from')
          names.push({ name: m[1]!, at: rest + m.index + m[0].length - m[1]!.length });
      }
      if (open !== -1) {
        const close = text.indexOf('}', open);
        names.push(...listNames(text, open + 1, close === -1 ? text.length : close));
        if (close === -1) inBraces = true;
      }
    } else if (py) {
      names = listNames(text, py[0].length, text.length);
    }
    for (const n of names)
      if (!isKeyword(n.name, document.languageId)) out.push({ name: n.name, line, character: n.at, role: 'import' });
  }
  return out.slice(0, MAX_IMPORTS);
}

/** `a, b as c, type d` between `from` and `to`: the local names (`c` for `b as c`). */
function listNames(text: string, from: number, to: number): { name: string; at: number }[] {
  const out: { name: string; at: number }[] = [];
  let offset = from;
  for (const part of text.slice(from, to).split(',')) {
    const m = /^(\s*(?:type\s+)?)([A-Za-z_$][\w$]*)(\s+as\s+([A-Za-z_$][\w$]*))?/.exec(part);
    if (m) {
      const alias = m[4];
      const at = alias ? offset + part.lastIndexOf(alias) : offset + m[1]!.length;
      out.push({ name: alias ?? m[2]!, at });
    }
    offset += part.length + 1;
  }
  return out;
}
