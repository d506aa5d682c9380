/**
 * The little of a text document the engine needs. `vscode.TextDocument` satisfies it through a thin
 * adapter; tests use plain strings. Reading line by line lets the engine take only its window.
 */
export interface TextDocumentLike {
  readonly languageId: string;
  readonly fileName: string;
  readonly lineCount: number;
  /** The text of one line, without its line ending. */
  lineText(line: number): string;
  readonly eol: '\n' | '\r\n';
}

export interface CursorPosition {
  line: number;
  character: number;
}

/** A document over a string, for tests, benchmarks and the command-palette preview. */
export class StringDocument implements TextDocumentLike {
  private readonly lines: string[];
  readonly eol: '\n' | '\r\n';

  constructor(
    text: string,
    readonly languageId = 'plaintext',
    readonly fileName = 'untitled',
  ) {
    this.eol = text.includes('\r\n') ? '\r\n' : '\n';
    this.lines = text.split(/\r?\n/);
  }

  get lineCount(): number {
    return this.lines.length;
  }

  lineText(line: number): string {
    return this.lines[line] ?? '';
  }

  /** Builds a document and cursor from text holding one `█` (or `<|>`) marker. */
  static withCursor(
    marked: string,
    languageId = 'plaintext',
    fileName = 'untitled',
  ): { document: StringDocument; position: CursorPosition } {
    const marker = marked.includes('█') ? '█' : '<|>';
    const at = marked.indexOf(marker);
    if (at === -1) throw new Error('no cursor marker in test document');
    const before = marked.slice(0, at);
    const lines = before.split(/\r?\n/);
    const position = { line: lines.length - 1, character: lines[lines.length - 1]!.length };
    return { document: new StringDocument(before + marked.slice(at + marker.length), languageId, fileName), position };
  }
}

/**
 * A document as it would be after inserting `text` at `position` (replacing `replaceChars`
 * characters after it on its line), without copying the document: lines outside the edit are read
 * from the original. The speculative request reads its window from this.
 */
export class DocumentWithInsertion implements TextDocumentLike {
  private readonly newLines: string[];
  readonly end: CursorPosition;

  constructor(
    readonly base: TextDocumentLike,
    readonly at: CursorPosition,
    text: string,
    replaceChars = 0,
  ) {
    const line = base.lineText(at.line);
    const before = line.slice(0, at.character);
    const after = line.slice(at.character + replaceChars);
    const inserted = text.split(/\r?\n/);
    this.newLines = inserted.map((t, i) => (i === 0 ? before : '') + t);
    const lastIndex = this.newLines.length - 1;
    this.end = { line: at.line + lastIndex, character: this.newLines[lastIndex]!.length };
    this.newLines[lastIndex] += after;
  }

  get languageId(): string {
    return this.base.languageId;
  }

  get fileName(): string {
    return this.base.fileName;
  }

  get eol(): '\n' | '\r\n' {
    return this.base.eol;
  }

  get lineCount(): number {
    return this.base.lineCount + this.newLines.length - 1;
  }

  lineText(line: number): string {
    if (line < this.at.line) return this.base.lineText(line);
    const offset = line - this.at.line;
    if (offset < this.newLines.length) return this.newLines[offset]!;
    return this.base.lineText(line - this.newLines.length + 1);
  }
}
