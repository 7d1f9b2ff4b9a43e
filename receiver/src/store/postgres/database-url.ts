/**
 * What a DATABASE_URL means, without the PostgreSQL driver: settings validation and the start-up log
 * need these on every start, and a SQLite receiver should not load `pg` for them.
 */

export type SslMode = 'disable' | 'require' | 'verify-ca' | 'verify-full';

export const SSL_MODES: readonly SslMode[] = ['disable', 'require', 'verify-ca', 'verify-full'];

/** The URL without its password, for logs. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
