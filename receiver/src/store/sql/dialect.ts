import type { RawBuilder, SqlBool } from 'kysely';

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
   * Issue 10's hooks (optional here until that change lands; same names and signatures): the folded
   * text of `expr` equal to foldText in JS, and a per-statement time budget predicate (undefined when
   * the engine bounds statements otherwise, as PostgreSQL does with statement_timeout).
   */
  fold?(expr: Expr): Expr;
  timeBudget?(limitMs: number, rowKey: Expr): Predicate | undefined;
}

/** Everything dialect-specific the SQL store needs besides filters. */
export interface SqlStoreDialect extends SqlJsonDialect {
  /** The JSON document without the value at `path`. */
  jsonRemove(column: Expr, path: readonly string[]): Expr;
  /** A subquery `SELECT value FROM …` over a list of strings bound as one parameter. */
  textList(values: readonly string[]): Expr;
  /**
   * A JSON array text of objects built from the rows of `select` (in its order), `[]` when it has none.
   * `columns` are the column names `select` returns, which become the object keys.
   */
  jsonObjectArray(select: Expr, columns: readonly string[]): Expr;
  /** The column a unique-constraint violation is about, or undefined when `error` is something else. */
  uniqueViolationColumn(error: unknown): string | undefined;
  /**
   * Whether read-modify-write transactions must lock the rows they read (`FOR NO KEY UPDATE`,
   * `SKIP LOCKED`): true with concurrent writers (PostgreSQL, several replicas); SQLite serializes
   * every write transaction on its single connection and has no such clause.
   */
  readonly rowLocks: boolean;
}
