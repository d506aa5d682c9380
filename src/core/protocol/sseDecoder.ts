import { createParser, type EventSourceParser, type ParseError } from 'eventsource-parser';
import { InfillError } from '../infillError';

export interface SseEvent {
  /** The `event:` field; undefined for the default `message` event. */
  event?: string;
  data: string;
}

/** No single SSE line or event from a completions server is legitimately this large. */
const DEFAULT_MAX_BUFFER_CHARS = 4 * 1024 * 1024;

/**
 * Turns response bytes into SSE events. Bytes may be split anywhere, including inside a line or a
 * multi-byte UTF-8 character, so decoding is incremental on both levels. Unknown fields and bad
 * `retry:` values are tolerated (proxies add them), except llama.cpp's `error:` line, which becomes
 * an event named `error` like `event: error`; only an unbounded line is an error of the decoder.
 */
export class SseDecoder {
  private readonly utf8 = new TextDecoder('utf-8');
  private readonly parser: EventSourceParser;
  private pending: SseEvent[] = [];
  private failure: InfillError | undefined;
  /** Counts `: comment` keep-alive lines, so a caller can tell a live but silent stream from a dead one. */
  commentCount = 0;

  constructor(maxBufferChars = DEFAULT_MAX_BUFFER_CHARS) {
    this.parser = createParser({
      maxBufferSize: maxBufferChars,
      onEvent: (message) => {
        this.pending.push(message.event ? { event: message.event, data: message.data } : { data: message.data });
      },
      onComment: () => {
        this.commentCount++;
      },
      onError: (error: ParseError) => {
        if (error.type === 'unknown-field' && error.field === 'error') {
          // llama.cpp writes a failure after streaming began as an `error: {...}` line: not a
          // standard field, so a strict parser drops it and the answer looks merely empty.
          this.pending.push({ event: 'error', data: error.value ?? '' });
          return;
        }
        if (error.type === 'max-buffer-size-exceeded') {
          this.failure = new InfillError(
            'protocol',
            'The server sent an event stream line larger than the client accepts',
            {
              cause: error,
            },
          );
        }
      },
    });
  }

  /** Feeds bytes and returns the events they completed. */
  push(bytes: Uint8Array): SseEvent[] {
    return this.feedText(this.utf8.decode(bytes, { stream: true }));
  }

  /** Flushes what is left at the end of the body: a last event without its blank line still counts. */
  end(): SseEvent[] {
    // Two line ends complete a half-sent last line and dispatch its event; after a complete stream
    // they are an empty event, which the parser ignores.
    return this.feedText(this.utf8.decode() + '\n\n');
  }

  private feedText(text: string): SseEvent[] {
    if (this.failure) throw this.failure;
    if (text.length > 0) {
      try {
        this.parser.feed(text);
      } catch (err) {
        throw new InfillError('protocol', 'The event stream could not be parsed', { cause: err });
      }
    }
    if (this.failure) throw this.failure;
    return this.drain();
  }

  private drain(): SseEvent[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }
}
