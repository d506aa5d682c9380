import { tokenizeCode } from '../test/fixtures/llamaPromptCache';
import type { RecordedRequest } from '../test/fixtures/scriptedServer';

export { tokenizeCode };

/** Where the text before the cursor starts and ends in a FIM prompt (prefix-first or suffix-first). */
const FIM_PREFIX = /<\|fim_prefix\|>|<fim_prefix>|\[PREFIX\]|<PRE> /;
const FIM_AFTER_PREFIX = /<\|fim_suffix\|>|<fim_suffix>|<\|fim_middle\|>|<fim_middle>| <SUF>| <MID>|\[SUFFIX\]/;

/** The text before the cursor in a prompt: the whole prompt, or the prefix part of a FIM prompt. */
export function prefixOfPrompt(prompt: string): string {
  const start = FIM_PREFIX.exec(prompt);
  if (!start) return prompt;
  const rest = prompt.slice(start.index + start[0].length);
  const end = FIM_AFTER_PREFIX.exec(rest);
  return end ? rest.slice(0, end.index) : rest;
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
    const prompt = prefixOfPrompt(typeof body.prompt === 'string' ? body.prompt : '');
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
