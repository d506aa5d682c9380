import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { StringDocument, type TextDocumentLike } from '../src/core/prompt/textDocumentLike';

export interface CorpusFile {
  name: string;
  languageId: string;
  text: string;
}

export const CORPUS_DIR = path.join(__dirname, 'corpus');

/** The typing corpora: code written for the benchmark, in three languages. */
export function loadCorpus(directory = CORPUS_DIR): CorpusFile[] {
  const files: [string, string][] = [
    ['ledger.py', 'python'],
    ['wordfreq.go', 'go'],
    ['ring_buffer.rs', 'rust'],
  ];
  return files.map(([name, languageId]) => ({
    name,
    languageId,
    text: readFileSync(path.join(directory, name), 'utf8'),
  }));
}

/**
 * A document that counts the lines it is asked for, so the benchmark shows that a completion
 * reads the window around the cursor and not the whole file.
 */
export class CountingDocument implements TextDocumentLike {
  linesRead = 0;
  constructor(private readonly inner: TextDocumentLike) {}
  get languageId(): string {
    return this.inner.languageId;
  }
  get fileName(): string {
    return this.inner.fileName;
  }
  get lineCount(): number {
    return this.inner.lineCount;
  }
  get eol(): '\n' | '\r\n' {
    return this.inner.eol;
  }
  lineText(line: number): string {
    this.linesRead++;
    return this.inner.lineText(line);
  }
}

/** A source file of exactly `lines` lines, made by repeating a corpus file. */
export function documentOfLines(corpus: CorpusFile, lines: number): CountingDocument {
  const source = corpus.text.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines; i++) out.push(source[i % source.length]!);
  return new CountingDocument(new StringDocument(out.join('\n'), corpus.languageId, `/bench/${lines}-${corpus.name}`));
}
