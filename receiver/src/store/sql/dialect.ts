import type { Kysely, RawBuilder, SqlBool } from 'kysely';

type Expr = RawBuilder<unknown>;
type Predicate = RawBuilder<SqlBool>;

/** The dialect-specific SQL a filter needs; everything else is shared. */
export interface SqlJsonDialect {
  /** Scalar at a JSON path of a JSON column (null when absent). */
  jsonScalar(column: Expr, path: readonly string[]): Expr;
  /** EXISTS over the elements of a JSON array, `predicate` built against the element alias. */
  jsonArrayExists(column: Expr, path: readonly string[], predicate: (element: Expr) => Predicate): Predicate;
  /** Scalar at a path inside an array element produced by jsonArrayExists (empty path: the element itself). */
  elementScalar(element: Expr, path: readonly string[]): Expr;
  /** Position-based string helpers (case handled by the caller). */
  contains(haystack: Expr, needle: Expr): Predicate;
  startsWith(haystack: Expr, needle: Expr): Predicate;
  endsWith(haystack: Expr, needle: Expr): Predicate;
  /** JSON booleans come back as 1/0 in SQLite and as text in PostgreSQL. */
  booleanLiteral(value: boolean): Expr;
  /**
   * The operand of a numeric comparison: SQLite's json_extract already yields numbers; PostgreSQL's
   * `#>>` yields text, which must compare as a number (and a non-number must not match, not fail).
   */
  numeric(operand: Expr): Expr;
  /**
   * The operand of a dateTime comparison or sort: the instant of a stored xsd:dateTime text as epoch
   * milliseconds, by time/date-time.ts's rule (offsets, fractional seconds, no offset = UTC). NULL when
   * the value is absent, not text or not a dateTime; never an error, since a stored value need not parse
   * (an attribute declared as a string before it became a dateTime) and must not fail the whole list.
   */
  dateTimeInstant(operand: Expr): Expr;
  /**
   * The case-folded text of `expr` (NULL stays NULL), equal to `foldText` (text/fold.ts) of the same
   * string: the one case-insensitive comparison key. Values bound from JS are folded with foldText.
   */
  fold(expr: Expr): Expr;
  /**
   * A predicate that is true for every row but aborts the statement with QueryBudgetExceededError once
   * it has run for `limitMs`; undefined when the engine bounds statements otherwise (statement_timeout).
   * `rowKey` is an integer column of the row (it may sample rows to keep the check cheap). Stores put it
   * first in the WHERE clause, so it is evaluated even for rows the filter then rejects.
   */
  timeBudget(limitMs: number, rowKey: Expr): Predicate | undefined;
}

/** Everything dialect-specific the SQL store needs besides filters. */
export interface SqlStoreDialect extends SqlJsonDialect {
  /** The JSON document without the value at `path`. */
  jsonRemove(column: Expr, path: readonly string[]): Expr;
  /** A subquery `SELECT value FROM …` over a list of strings bound as one parameter. */
  textList(values: readonly string[]): Expr;
  /** The column a unique-constraint violation is about, or undefined when `error` is something else. */
  uniqueViolationColumn(error: unknown): string | undefined;
  /**
   * Why `error` is transient (a lock held elsewhere past the busy timeout, a dropped connection, a
   * serialization failure), or undefined when it is not: the store then raises StoreUnavailableError, so
   * the request may be retried, instead of the driver's error.
   */
  transientReason(error: unknown): string | undefined;
  /**
   * Whether read-modify-write transactions must lock the rows they read (`FOR NO KEY UPDATE`,
   * `SKIP LOCKED`): true with concurrent writers (PostgreSQL, several replicas); SQLite serializes
   * every write transaction on its single connection and has no such clause.
   */
  readonly rowLocks: boolean;
  /**
   * Runs the statements of one list under a time budget of `limitMs` when `timeBudget` gives no
   * predicate: PostgreSQL opens a transaction with `SET LOCAL statement_timeout` and reports its cancel
   * as QueryBudgetExceededError (400, like SQLite's scim_budget), not as the 503 of an ordinary
   * DATABASE_STATEMENT_TIMEOUT_MS cancel. SQLite runs `run(db)` as is (its predicate does the work).
   */
  withStatementBudget<D, T>(db: Kysely<D>, limitMs: number, run: (db: Kysely<D>) => Promise<T>): Promise<T>;
}
