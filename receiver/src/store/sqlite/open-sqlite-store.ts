import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Dialect } from 'kysely';
import { Kysely, Migrator, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import type { Clock } from '../../time/clock';
import { sqlScimStore } from '../sql/sql-store';
import type { ScimStore } from '../types';
import type { Tables } from '../sql/tables';
import { GroupCommitSqliteDriver } from './group-commit-driver';
import { sqliteMigrations } from './migrations';
import { sqliteDialect } from './sqlite-dialect';
import { registerSqliteFunctions } from './sqlite-functions';

export interface SqliteStoreOptions {
  /** Path of the database file; its directory is created when missing. */
  readonly file: string;
  /**
   * FULL (default): a committed write survives power loss, not just a process crash. Concurrent
   * writes share one commit (group commit, GroupCommitSqliteDriver), so FULL costs one fsync per
   * batch rather than per write. NORMAL skips the fsync (still safe against process crashes in WAL mode).
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** SQLite page cache in MiB (default 32). */
  readonly cacheSizeMb?: number;
  /** How long a write waits for a lock another process holds (a backup, a second receiver) (default 5000). */
  readonly busyTimeoutMs?: number;
  /** What the store stamps on every write (the entry point's one clock). */
  readonly clock: Clock;
}

/** Kysely's SQLite dialect with the group-commit driver. */
function groupCommitDialect(database: Database.Database): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new GroupCommitSqliteDriver(database),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}

export async function openSqliteStore(options: SqliteStoreOptions): Promise<ScimStore> {
  if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
  const database = new Database(options.file);
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  database.pragma('foreign_keys = ON');
  database.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  // The default 2 MB page cache is smaller than the hot set at a few thousand users; reads then pay a
  // system call per page. A bounded cache keeps lookups in memory without growing with the directory.
  database.pragma(`cache_size = -${(options.cacheSizeMb ?? 32) * 1024}`);
  database.pragma('temp_store = MEMORY');
  registerSqliteFunctions(database);
  const db = new Kysely<Tables>({ dialect: groupCommitDialect(database) });
  const migrator = new Migrator({ db, provider: sqliteMigrations(options.clock) });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    throw error instanceof Error ? error : new Error(`migration failed: ${String(error)}`);
  }
  return sqlScimStore(db, sqliteDialect, options.clock, async () => {
    await db.destroy();
  });
}
