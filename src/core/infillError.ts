/**
 * Every failure the client can meet becomes one of these kinds, so the editor glue can decide what
 * to tell the user without parsing messages, and so nothing untyped escapes into VS Code.
 */
export type InfillErrorKind =
  | 'auth'
  | 'forbidden'
  | 'notFound'
  | 'rateLimited'
  | 'server'
  | 'timeout'
  | 'network'
  | 'protocol'
  | 'invalidRequest'
  | 'aborted'
  | 'config';

export interface InfillErrorDetails {
  status?: number;
  /** Seconds the server asked us to wait (429/503 `Retry-After`). */
  retryAfterSeconds?: number;
  /** The server's own error code or type, when it sent one. */
  code?: string;
  cause?: unknown;
}

export class InfillError extends Error {
  readonly kind: InfillErrorKind;
  readonly status?: number;
  readonly retryAfterSeconds?: number;
  readonly code?: string;

  constructor(kind: InfillErrorKind, message: string, details: InfillErrorDetails = {}) {
    super(message, details.cause !== undefined ? { cause: details.cause } : undefined);
    this.name = 'InfillError';
    this.kind = kind;
    this.status = details.status;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.code = details.code;
  }

  /** A stable key for rate-limiting notifications: the same failure is announced once a minute. */
  get signature(): string {
    return `${this.kind}:${this.status ?? ''}:${this.message.slice(0, 120)}`;
  }
}

export function isInfillError(value: unknown): value is InfillError {
  return value instanceof InfillError;
}

/** Wraps anything thrown into an InfillError, keeping typed ones as they are. */
export function toInfillError(value: unknown, fallbackKind: InfillErrorKind = 'network'): InfillError {
  if (value instanceof InfillError) return value;
  if (value instanceof Error) {
    if (value.name === 'AbortError') return new InfillError('aborted', 'Request cancelled', { cause: value });
    return new InfillError(fallbackKind, value.message, { cause: value });
  }
  return new InfillError(fallbackKind, String(value));
}
