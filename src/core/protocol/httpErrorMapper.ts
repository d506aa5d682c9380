import { InfillError, type InfillErrorKind } from '../infillError';

/**
 * Turns a non-2xx answer (OpenAI-style JSON, a relay's own JSON, a proxy's HTML page, plain text)
 * into one typed error carrying the server's own message, never the raw HTML.
 */
export function errorFromResponse(status: number, headers: Record<string, string>, bodyText: string): InfillError {
  const kind = kindForStatus(status);
  const serverMessage = extractServerMessage(bodyText, headers['content-type'] ?? '');
  const retryAfterSeconds = parseRetryAfter(headers['retry-after']);
  const prefix = `HTTP ${status}${STATUS_HINT[kind] ? ` (${STATUS_HINT[kind]})` : ''}`;
  const message = serverMessage.text ? `${prefix}: ${serverMessage.text}` : prefix;
  return new InfillError(kind, message, {
    status,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    ...(serverMessage.code ? { code: serverMessage.code } : {}),
  });
}

const STATUS_HINT: Partial<Record<InfillErrorKind, string>> = {
  auth: 'check the API key',
  forbidden: 'the key may not have access to this model',
  notFound: 'check the base URL, endpoint path and model',
  rateLimited: 'rate limited',
  server: 'server error',
  invalidRequest: 'the server rejected the request',
};

export function kindForStatus(status: number): InfillErrorKind {
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'notFound';
  if (status === 408 || status === 504) return 'timeout';
  if (status === 429) return 'rateLimited';
  if (status >= 500) return 'server';
  return 'invalidRequest';
}

/** `Retry-After` is either seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

const MAX_MESSAGE_CHARS = 300;

interface ServerMessage {
  text: string;
  code?: string;
}

export function extractServerMessage(bodyText: string, contentType: string): ServerMessage {
  const trimmed = bodyText.trim();
  if (!trimmed) return { text: '' };
  if (trimmed.startsWith('{') || trimmed.startsWith('[') || contentType.includes('json')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      const found = messageFromJson(parsed);
      if (found) return found;
    } catch {
      // Not JSON after all: fall through to the text rules.
    }
  }
  if (/^<!doctype html|^<html|<\/(html|body|head|title)>/i.test(trimmed) || contentType.includes('html')) {
    return { text: messageFromHtml(trimmed) };
  }
  return { text: clip(trimmed.replace(/\s+/g, ' ')) };
}

/** Shapes seen in the wild: OpenAI `{error:{message,type,code}}`, `{error:"..."}`, `{message}`, `{msg}`, `{detail}`. */
function messageFromJson(value: unknown): ServerMessage | undefined {
  if (Array.isArray(value)) return value.length > 0 ? messageFromJson(value[0]) : undefined;
  if (!value || typeof value !== 'object') return undefined;
  const obj = value as Record<string, unknown>;
  const error = obj.error;
  if (typeof error === 'string') return { text: clip(error) };
  if (error && typeof error === 'object') {
    const e = error as Record<string, unknown>;
    const text = firstString(e.message, e.msg, e.detail, e.type);
    const code = firstString(e.code, e.type);
    if (text) return code ? { text: clip(text), code } : { text: clip(text) };
  }
  const text = firstString(obj.message, obj.msg, obj.detail, obj.error_msg, obj.errmsg);
  const code = firstString(obj.code, obj.error_code, obj.type);
  if (text) return code ? { text: clip(text), code } : { text: clip(text) };
  return undefined;
}

function messageFromHtml(html: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const heading = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(html)?.[1];
  const text = stripTags(title || heading || '');
  return text
    ? `${clip(text)} (an HTML page, probably from a proxy or gateway)`
    : 'an HTML page, probably from a proxy or gateway';
}

function stripTags(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();
}

function firstString(...values: unknown[]): string | undefined {
  for (const v of values) {
    if (typeof v === 'string' && v.trim()) return v.trim();
    if (typeof v === 'number') return String(v);
  }
  return undefined;
}

function clip(text: string): string {
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS)}…` : text;
}
