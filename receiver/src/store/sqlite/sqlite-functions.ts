import type Database from 'better-sqlite3';
import { foldText } from '../../text/fold';
import { dateTimeInstant } from '../../time/date-time';
import { QueryBudgetExceededError } from '../errors';

/**
 * The SQL functions the SQLite dialect uses:
 * - `scim_fold(text)`: foldText (NFC + Unicode lower case); SQLite's lower() folds ASCII only.
 * - `scim_instant(value)`: dateTimeInstant (time/date-time.ts), the instant of an xsd:dateTime text as
 *   epoch milliseconds, or NULL: dateTime filters and sorts compare instants exactly as the evaluator does.
 * - `scim_budget(token, limitMs)`: always 1, but throws QueryBudgetExceededError once the statement
 *   that carries `token` has run for limitMs. better-sqlite3 exposes no progress handler or interrupt,
 *   and a statement runs synchronously to its end, so consecutive calls with one token are one statement.
 */
export function registerSqliteFunctions(database: Database.Database): void {
  database.function('scim_fold', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? foldText(value) : value));
  database.function('scim_instant', { deterministic: true }, (value: unknown) => dateTimeInstant(value) ?? null);
  let token: unknown;
  let started = 0;
  database.function('scim_budget', { deterministic: false }, (current: unknown, limitMs: unknown) => {
    if (current !== token) {
      token = current;
      started = performance.now();
    } else if (performance.now() - started > Number(limitMs)) {
      token = undefined;
      throw new QueryBudgetExceededError(Number(limitMs));
    }
    return 1;
  });
}
