import type { ChatShapedLogprobs, LegacyLogprobs, TokenLogprob } from './completionTypes';

/**
 * Reads either logprobs shape into one list: the legacy completions shape
 * `{tokens, token_logprobs, top_logprobs, text_offset}` (OpenAI, ppinfra, API2D) or the chat shape
 * `{content: [{token, logprob, top_logprobs}]}` llama.cpp answers with. `null` and anything else
 * give undefined. A token whose logprob is null (the first echoed token) is left out.
 */
export function normalizeLogprobs(value: unknown): TokenLogprob[] | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const chat = value as ChatShapedLogprobs;
  if (Array.isArray(chat.content)) {
    const out: TokenLogprob[] = [];
    for (const t of chat.content as unknown[]) {
      if (!t || typeof t !== 'object') continue;
      const entry = t as { token?: unknown; logprob?: unknown; top_logprobs?: unknown };
      if (typeof entry.token !== 'string' || typeof entry.logprob !== 'number') continue;
      const item: TokenLogprob = { token: entry.token, logprob: entry.logprob };
      if (Array.isArray(entry.top_logprobs)) {
        const top: Record<string, number> = {};
        for (const alt of entry.top_logprobs as unknown[]) {
          const a = alt as { token?: unknown; logprob?: unknown } | null;
          if (a && typeof a.token === 'string' && typeof a.logprob === 'number') top[a.token] = a.logprob;
        }
        item.topLogprobs = top;
      }
      out.push(item);
    }
    return out;
  }
  const legacy = value as LegacyLogprobs;
  if (Array.isArray(legacy.tokens)) {
    const out: TokenLogprob[] = [];
    legacy.tokens.forEach((token, i) => {
      const lp = Array.isArray(legacy.token_logprobs) ? legacy.token_logprobs[i] : undefined;
      if (typeof token !== 'string' || typeof lp !== 'number') return;
      const item: TokenLogprob = { token, logprob: lp };
      const top = Array.isArray(legacy.top_logprobs) ? legacy.top_logprobs[i] : undefined;
      if (top && typeof top === 'object' && !Array.isArray(top)) {
        const clean: Record<string, number> = {};
        for (const [k, v] of Object.entries(top)) if (typeof v === 'number') clean[k] = v;
        item.topLogprobs = clean;
      }
      const offset = Array.isArray(legacy.text_offset) ? legacy.text_offset[i] : undefined;
      if (typeof offset === 'number') item.textOffset = offset;
      out.push(item);
    });
    return out;
  }
  return undefined;
}

/**
 * Chunks normally carry the logprobs of their own tokens. API2D with `moderation` instead attaches
 * the full list to every event (it moderates the whole text before streaming it), and some servers
 * send the list so far. A list that spells at least all the text so far replaces; anything else
 * appends.
 */
export function mergeLogprobs(
  previous: TokenLogprob[] | undefined,
  incoming: TokenLogprob[],
  textBefore: string,
  delta: string,
): TokenLogprob[] {
  if (!previous || previous.length === 0) return incoming;
  const spelled = spell(incoming);
  if (spelled.startsWith(textBefore + delta) && spelled.startsWith(spell(previous))) return incoming;
  return previous.concat(incoming);
}

/** Drops the tokens that start beyond the text (cut at a stop string), so logprobs describe what is shown. */
export function trimLogprobsToText(tokens: TokenLogprob[], textLength: number): TokenLogprob[] {
  const out: TokenLogprob[] = [];
  let at = 0;
  for (const t of tokens) {
    if (at >= textLength) break;
    out.push(t);
    at += t.token.length;
  }
  return out;
}

function spell(tokens: TokenLogprob[]): string {
  return tokens.map((t) => t.token).join('');
}
