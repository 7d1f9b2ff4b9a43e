import type Database from 'better-sqlite3';
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
 * Preparing reads the schema, which can meet a lock too. The group-commit driver runs every statement,
 * BEGIN and COMMIT included, through these, as PostgreSQL's pass through postgres/pool.ts, so no layer
 * above the store needs to know an engine's error codes.
 */
export const prepareTranslated = (db: Database.Database, sqlText: string): Database.Statement => translated(() => db.prepare(sqlText));
