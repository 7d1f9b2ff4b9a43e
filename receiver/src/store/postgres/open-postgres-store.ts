import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Clock } from '../../time/clock';
import { sqlScimStore } from '../sql/sql-store';
import type { ScimStore } from '../types';
import type { Tables } from '../sql/tables';
import { PostgresChangeFeed } from './change-feed';
import type { PostgresConnectionOptions } from './connection-options';
import { clientConfig } from './connection-options';
import { PostgresJobs } from './jobs';
import { postgresMigrations } from './migrations';
import { translatingPool } from './pool';
import { postgresDialect } from './postgres-dialect';
import { translatePgError } from './transient-errors';

export interface PostgresStoreOptions extends PostgresConnectionOptions {
  /** Connections per replica (at least 2: a periodic job holds one while it uses another). */
  readonly poolSize: number;
  /** Warnings about idle connections dropped by the server, notification reconnects. */
  readonly logger?: Logger;
  /** What the store stamps on every write (the entry point's one clock). */
  readonly clock: Clock;
}

/** The migrations' own lock key: replicas starting together migrate one after the other. */
const MIGRATION_LOCK = 'okta-scim-kit:migrations';

export async function openPostgresStore(options: PostgresStoreOptions): Promise<ScimStore> {
  const config = clientConfig(options);
  const pool = new pg.Pool({ ...config, max: options.poolSize, idleTimeoutMillis: 30_000 });
  // An idle connection the server closes (restart, admin shutdown) emits 'error' on the pool; unhandled,
  // that would crash the process. The pool drops the connection and opens a new one on demand.
  pool.on('error', (error) => options.logger?.warn({ err: translatePgError(error) }, 'an idle PostgreSQL connection failed'));
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool: translatingPool(pool) }) });
  let feed: PostgresChangeFeed | undefined;
  try {
    await migrate(db, options.clock);
    feed = new PostgresChangeFeed(config, db, options.logger);
    await feed.start();
  } catch (error) {
    await feed?.close();
    await db.destroy();
    throw error;
  }
  const openedFeed = feed;
  return sqlScimStore(
    db,
    postgresDialect,
    options.clock,
    async () => {
      await openedFeed.close();
      await db.destroy();
    },
    { changes: openedFeed, jobs: new PostgresJobs(db, options.clock) },
  );
}

/**
 * Kysely's migrator locks its own table, but creates that table first, outside the lock: two replicas
 * on a fresh database could both try. A session advisory lock around the whole run closes the gap; the
 * migrator runs on that same connection so a pool of any size cannot deadlock.
 */
async function migrate(db: Kysely<Tables>, clock: Clock): Promise<void> {
  await db.connection().execute(async (conn) => {
    const icu = await sql<{ n: number }>`SELECT count(*) AS n FROM pg_collation WHERE collname = 'und-x-icu'`.execute(conn);
    if (Number(icu.rows[0]?.n) === 0) {
      throw new Error('PostgreSQL was built without ICU (collation "und-x-icu" is missing): the receiver needs it for Unicode case folding');
    }
    await sql`SELECT pg_advisory_lock(hashtext(${MIGRATION_LOCK}))`.execute(conn);
    try {
      const { error } = await new Migrator({ db: conn, provider: postgresMigrations(clock) }).migrateToLatest();
      if (error) throw error instanceof Error ? error : new Error(`migration failed: ${String(error)}`);
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtext(${MIGRATION_LOCK}))`.execute(conn).catch(() => undefined);
    }
  });
}
