import type { RecordedRequest } from '../test/fixtures/scriptedServer';

/**
 * A stand-in for a code model's tokenizer, deterministic so the benchmark can count tokens the
 * same way on both sides: a word (up to 8 characters) with the space before it, runs of up to 4
 * spaces, a line break always on its own, other symbols one or two at a time. The corpus averages
 * close to 3 characters per token with it, near what BPE tokenizers of code models give.
 */
export function tokenizeCode(text: string): string[] {
  return text.match(/\r?\n| ?[A-Za-z_][A-Za-z0-9_]{0,7}| ?[0-9]{1,4}| {1,4}|\t|[^\sA-Za-z0-9_]{1,2}|[^\n]/g) ?? [];
}

/** Where the prompt ends in the file: the whole prompt, or failing that the longest tail found. */
export function locatePrompt(fileText: string, prompt: string): number | undefined {
  if (fileText.startsWith(prompt)) return prompt.length;
  for (const length of [prompt.length, 2000, 600, 200, 60, 20]) {
    if (length > prompt.length) continue;
    const tail = prompt.slice(prompt.length - length);
    const at = fileText.indexOf(tail);
    if (at !== -1) return at + tail.length;
  }
  return undefined;
}

/**
 * The answer of an oracle model: the file's true continuation after the prompt, as tokens, up to
 * `max_tokens` and the request's stop strings, as a server would generate it.
 */
export function continuationAnswer(fileText: string): (request: RecordedRequest) => string[] {
  return (request) => {
    const body = request.body ?? {};
    const prompt = typeof body.prompt === 'string' ? body.prompt : '';
    const at = locatePrompt(fileText, prompt);
    if (at === undefined) return ['\n'];
    let continuation = fileText.slice(at);
    const stops = Array.isArray(body.stop)
      ? body.stop.filter((s): s is string => typeof s === 'string' && s !== '')
      : typeof body.stop === 'string'
        ? [body.stop]
        : [];
    for (const stop of stops) {
      const cut = continuation.indexOf(stop);
      if (cut !== -1) continuation = continuation.slice(0, cut);
    }
    const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : 16;
    const tokens = tokenizeCode(continuation).slice(0, maxTokens);
    return tokens.length > 0 ? tokens : [''];
  };
}
