import { StoreUnavailableError } from '../errors';

/**
 * SQLSTATEs after which the same request may succeed shortly: the server is restarting or refusing
 * connections, a connection broke, a concurrent transaction won (serialization failure, deadlock), or a
 * statement ran past DATABASE_STATEMENT_TIMEOUT_MS.
 */
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01', '55P03', '57014']);
const TRANSIENT_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);
/** pg reports a dropped connection or a connect timeout without a code. */
const TRANSIENT_MESSAGES = [/Connection terminated/i, /timeout exceeded when trying to connect/i, /not queryable/i, /Connection ended/i];

/** The reason to report when `error` is a transient PostgreSQL failure; undefined otherwise. */
export function transientReason(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (TRANSIENT_SQLSTATES.has(code) || code.startsWith('08')) return `PostgreSQL error ${code}`;
    if (TRANSIENT_SOCKET_CODES.has(code)) return `connection failed (${code})`;
  }
  if (typeof message === 'string' && TRANSIENT_MESSAGES.some((pattern) => pattern.test(message))) return 'connection lost';
  return undefined;
}

/** `error` as a StoreUnavailableError when transient, unchanged otherwise (unique violations stay pg errors). */
export function translatePgError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError) return error;
  const reason = transientReason(error);
  return reason ? new StoreUnavailableError(reason, { cause: error }) : error;
}
