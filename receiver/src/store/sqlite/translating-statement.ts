import type Database from 'better-sqlite3';
import type { SqliteStatement } from 'kysely';
import { StoreUnavailableError } from '../errors';
import { sqliteDialect } from './sqlite-dialect';

/** `error` as a StoreUnavailableError when the dialect calls it transient, unchanged otherwise. */
export function translateSqliteError(error: unknown): unknown {
  const reason = sqliteDialect.transientReason(error);
  return reason ? new StoreUnavailableError(reason, { cause: error }) : error;
}

function translated<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw translateSqliteError(error);
  }
}

/**
 * A statement whose transient failures (SQLITE_BUSY) surface as StoreUnavailableError: every query
 * Kysely runs, BEGIN and COMMIT included, passes through here, as PostgreSQL's pass through
 * postgres/pool.ts, so no layer above the store needs to know an engine's error codes.
 */
export function translatingStatement(statement: Database.Statement): SqliteStatement {
  return {
    reader: statement.reader,
    all: (parameters) => translated(() => statement.all(parameters)),
    run: (parameters) => translated(() => statement.run(parameters)),
    *iterate(parameters) {
      const rows = translated(() => statement.iterate(parameters));
      while (true) {
        const next = translated(() => rows.next());
        if (next.done) return;
        yield next.value;
      }
    },
  };
}

/** Preparing reads the schema, which can meet a lock too. */
export const prepareTranslated = (db: Database.Database, sqlText: string): Database.Statement => translated(() => db.prepare(sqlText));
