/**
 * Keeps secrets out of logs: the Authorization header, key-like header values and anything that
 * looks like a bearer token or an API key inside a message.
 */
const SECRET_HEADER = /^(authorization|proxy-authorization|x-api-key|api-key|apikey|x-auth-token|cookie)$/i;
const SECRET_PATTERNS: RegExp[] = [
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi,
  /\bsk-[A-Za-z0-9_-]{8,}/g,
  /\b(fk|pk|ak)[A-Za-z0-9]{2}-?[A-Za-z0-9_-]{16,}/g,
];

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = SECRET_HEADER.test(name) || /key|token|secret/i.test(name) ? '<redacted>' : redactText(value);
  }
  return out;
}

export function redactText(text: string, knownSecrets: readonly string[] = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (secret.length >= 4) out = out.split(secret).join('<redacted>');
  }
  for (const pattern of SECRET_PATTERNS) {
    out = out.replace(pattern, (_match: string, scheme: unknown) =>
      typeof scheme === 'string' && /^(bearer|basic)$/i.test(scheme) ? `${scheme} <redacted>` : '<redacted>',
    );
  }
  return out;
}
