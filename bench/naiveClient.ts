import { createParser } from 'eventsource-parser';
import { Agent, request } from 'undici';

/**
 * The baseline the benchmark compares Infill against: what a client does with no engineering.
 * A new connection for every request (a fresh undici Agent, closed afterwards), the whole stream
 * read to its end (no early stop), no debounce and no cache (its callers ask on every keystroke).
 */
export interface NaiveClientOptions {
  allowH2?: boolean;
  /** PEM of a CA to trust (the benchmark's self-signed certificate). */
  ca?: string;
  headers?: Record<string, string>;
}

export interface NaiveResult {
  text: string;
  status: number;
  /** Milliseconds from the call to the response headers, and to the end of the body. */
  headersMs: number;
  totalMs: number;
  aborted: boolean;
}

export async function naiveCompletion(
  url: URL,
  body: unknown,
  options: NaiveClientOptions = {},
  signal?: AbortSignal,
): Promise<NaiveResult> {
  const started = performance.now();
  const agent = new Agent({
    allowH2: options.allowH2 ?? false,
    ...(options.ca ? { connect: { ca: options.ca } } : {}),
  });
  let text = '';
  let headersMs = Number.NaN;
  let status = 0;
  let aborted = false;
  const parser = createParser({
    onEvent: (message) => {
      if (message.data === '[DONE]') return;
      try {
        const parsed = JSON.parse(message.data) as { choices?: { text?: string }[] };
        text += parsed.choices?.[0]?.text ?? '';
      } catch {
        // A malformed event costs its text, as in any client that does not validate.
      }
    },
  });
  try {
    const response = await request(url, {
      dispatcher: agent,
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(options.headers ?? {}) },
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
    status = response.statusCode;
    headersMs = performance.now() - started;
    const decoder = new TextDecoder();
    for await (const chunk of response.body) parser.feed(decoder.decode(chunk as Uint8Array, { stream: true }));
  } catch (err) {
    if (!signal?.aborted) throw err;
    aborted = true;
  } finally {
    // destroy rather than close: an aborted exchange must not wait for the server to finish.
    await agent.destroy().catch(() => undefined);
  }
  return { text, status, headersMs, totalMs: performance.now() - started, aborted };
}
