/**
 * Streams a growing completion into a document: given the whole text so far after each update,
 * says what to change so the document holds exactly that text. A tail that could still become a
 * stop string is held back until the next update decides it, so text never appears and vanishes.
 */
export interface InsertionStep {
  /** Characters of what is already inserted that stay (the rest is deleted first). */
  keep: number;
  /** Text to insert after the kept part. */
  append: string;
}

export class StreamInsertion {
  private inserted = '';

  constructor(private readonly stops: readonly string[] = []) {}

  /** Text currently in the document. */
  get text(): string {
    return this.inserted;
  }

  /**
   * The edit that brings the document to `fullText` (minus a held-back tail unless `finished`), or
   * undefined when nothing changes.
   */
  update(fullText: string, finished: boolean): InsertionStep | undefined {
    const target = finished ? fullText : fullText.slice(0, fullText.length - this.heldBack(fullText));
    if (target === this.inserted) return undefined;
    // Shorter only by a held-back tail: wait rather than delete text the user already sees.
    if (!finished && this.inserted.startsWith(target)) return undefined;
    let keep = 0;
    const max = Math.min(target.length, this.inserted.length);
    while (keep < max && target.charCodeAt(keep) === this.inserted.charCodeAt(keep)) keep++;
    // Never keep half of a surrogate pair whose other half changes.
    if (keep > 0 && keep < this.inserted.length && /[\uD800-\uDBFF]/.test(this.inserted[keep - 1]!)) keep--;
    const step = { keep, append: target.slice(keep) };
    this.inserted = target;
    return step;
  }

  /** Length of the longest end of `text` that is the start of some stop string (and not a whole one). */
  private heldBack(text: string): number {
    let longest = 0;
    for (const stop of this.stops) {
      for (let len = Math.min(stop.length - 1, text.length); len > longest; len--) {
        if (text.endsWith(stop.slice(0, len))) {
          longest = len;
          break;
        }
      }
    }
    // A trailing "\r" may be half of a "\r\n" that arrives next.
    if (longest === 0 && text.endsWith('\r')) longest = 1;
    return longest;
  }
}

/** The position after `text` inserted at `start`, counting any line break (LF, CRLF, CR) as one. */
export function positionAfter(
  start: { line: number; character: number },
  text: string,
): { line: number; character: number } {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length === 1) return { line: start.line, character: start.character + text.length };
  return { line: start.line + lines.length - 1, character: lines[lines.length - 1]!.length };
}
