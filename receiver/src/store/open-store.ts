import type { Logger } from 'pino';
import type { Settings } from '../settings';
import type { Clock } from '../time/clock';
import { openSqliteStore } from './sqlite/open-sqlite-store';
import type { ScimStore } from './types';

/**
 * The one place the store is chosen: PostgreSQL when DATABASE_URL is set, the SQLite file otherwise.
 * `clock` stamps every write (the caller's one clock: server.ts builds it for the receiver).
 * The PostgreSQL store (and the `pg` driver) is loaded only when chosen: a SQLite receiver starts
 * faster without it.
 */
export async function openStore(settings: Settings, clock: Clock, logger?: Logger): Promise<ScimStore> {
  const database = settings.database;
  if (database) {
    const { openPostgresStore } = await import('./postgres/open-postgres-store');
    return openPostgresStore({
      url: database.url,
      ...(database.sslMode ? { sslMode: database.sslMode } : {}),
      ...(database.sslCaFile ? { sslCaFile: database.sslCaFile } : {}),
      poolSize: database.poolSize,
      statementTimeoutMs: database.statementTimeoutMs,
      connectTimeoutMs: database.connectTimeoutMs,
      ...(logger ? { logger } : {}),
      clock,
    });
  }
  return openSqliteStore({ file: settings.sqliteFile, synchronous: settings.sqliteSynchronous, busyTimeoutMs: settings.sqliteBusyTimeoutMs, clock });
}
