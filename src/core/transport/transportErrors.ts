import { InfillError, toInfillError } from '../infillError';

/** The deadlines an error message names (the transport's options for this exchange). */
export interface TransportDeadlines {
  headersTimeoutMs: number;
  idleTimeoutMs: number;
  connectTimeoutMs: number;
}

/**
 * What went wrong, in the user's terms: an abort keeps the reason it was given (our own deadline or
 * the caller's), and undici's and Node's codes become a timeout, a network problem or a TLS problem.
 */
export function classifyTransportError(err: unknown, signal: AbortSignal, options: TransportDeadlines): InfillError {
  if (err instanceof InfillError) return err;
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof InfillError) return reason;
    return new InfillError('aborted', 'Request cancelled', { cause: err });
  }
  const code = (err as { code?: string } | null)?.code ?? '';
  const message = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new InfillError('timeout', `The server sent no response headers within ${options.headersTimeoutMs} ms`, {
        cause: err,
        code,
      });
    case 'UND_ERR_BODY_TIMEOUT':
      return new InfillError(
        'timeout',
        `The server went silent for ${options.idleTimeoutMs} ms in the middle of its answer`,
        { cause: err, code },
      );
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new InfillError('timeout', `Could not connect within ${options.connectTimeoutMs} ms`, {
        cause: err,
        code,
      });
    case 'ECONNREFUSED':
      return new InfillError('network', 'Connection refused: is the server running at the configured base URL?', {
        cause: err,
        code,
      });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new InfillError('network', 'The server name could not be resolved', { cause: err, code });
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return new InfillError('network', 'The connection was closed by the server or a proxy', { cause: err, code });
    default:
      if (/certificate|self[- ]signed|CERT_|SSL/i.test(code + ' ' + message)) {
        return new InfillError('network', `TLS certificate problem: ${message}`, { cause: err, code });
      }
      return toInfillError(err, 'network');
  }
}
