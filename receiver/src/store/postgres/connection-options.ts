import { readFileSync } from 'node:fs';
import type { ClientConfig } from 'pg';
import pg from 'pg';
import type { SslMode } from './database-url';
import { SSL_MODES } from './database-url';

export interface PostgresConnectionOptions {
  /** postgres://user:password@host:port/database[?sslmode=…&sslrootcert=…] */
  readonly url: string;
  /** Overrides the URL's sslmode. */
  readonly sslMode?: SslMode;
  /** PEM file with the CA certificate(s) the server's certificate must chain to; overrides sslrootcert. */
  readonly sslCaFile?: string;
  /** Per-statement limit in ms (0: none). */
  readonly statementTimeoutMs: number;
  /** How long to wait for a connection before the request fails (503). */
  readonly connectTimeoutMs: number;
}

/** int8 (COUNT, bigint keys) as a JS number: every value the receiver stores stays far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/**
 * pg client settings from the URL and the DATABASE_* settings. The sslmode is interpreted here, with
 * libpq's meanings (`require`: encrypted, certificate not checked; `verify-ca`: chain checked;
 * `verify-full`: chain and host name), rather than by pg's URL parser, whose meanings differ by version.
 */
export function clientConfig(options: PostgresConnectionOptions): ClientConfig {
  const url = new URL(options.url);
  const urlMode = url.searchParams.get('sslmode') ?? undefined;
  const mode = options.sslMode ?? (urlMode as SslMode | undefined) ?? 'disable';
  if (!SSL_MODES.includes(mode)) throw new Error(`sslmode must be one of ${SSL_MODES.join(', ')} (got "${mode}")`);
  const caFile = options.sslCaFile ?? url.searchParams.get('sslrootcert') ?? undefined;
  for (const key of ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'ssl', 'uselibpqcompat']) url.searchParams.delete(key);
  let ssl: ClientConfig['ssl'] = false;
  if (mode !== 'disable') {
    const ca = caFile ? readFileSync(caFile, 'utf8') : undefined;
    if (mode === 'verify-ca' && !ca) throw new Error('sslmode verify-ca needs a CA certificate (DATABASE_SSL_CA_FILE)');
    ssl =
      mode === 'require'
        ? { rejectUnauthorized: false }
        : mode === 'verify-ca'
          ? { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined }
          : { ...(ca ? { ca } : {}), rejectUnauthorized: true };
  }
  return {
    connectionString: url.toString(),
    ssl,
    types,
    application_name: 'okta-scim-kit',
    connectionTimeoutMillis: options.connectTimeoutMs,
    keepAlive: true,
    ...(options.statementTimeoutMs > 0 ? { statement_timeout: options.statementTimeoutMs } : {}),
  };
}
