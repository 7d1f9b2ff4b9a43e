import type { RawBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';
import { QueryBudgetExceededError, StoreUnavailableError } from '../errors';
import type { SqlStoreDialect } from '../sql/dialect';
import { transientReason } from './transient-errors';

type Expr = RawBuilder<unknown>;

/**
 * The stored documents are text (exactly what the store serialized, so an unchanged write is detected
 * by comparing texts, as with SQLite); filters read them as jsonb. A path is one text[] parameter.
 */
const doc = (column: Expr) => sql`(${column})::jsonb`;
const pathParam = (path: readonly string[]) => sql`${[...path]}::text[]`;

/** A JSON number's text (`#>>` of a number); anything else is not a number and must not match. */
const NUMBER_TEXT = '^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$';

let aliasCounter = 0;

/**
 * Unicode case folding exactly as foldText (text/fold.ts) does it: NFC, lower case, NFC. ICU's root
 * locale lower-cases like JavaScript's toLowerCase (full mappings: İ → i̇, final sigma → ς), which the
 * C library's lower() does not; every function here is IMMUTABLE, so the expression may back an index.
 */
export const postgresFold = (value: Expr): Expr => sql`normalize(lower(normalize((${value})::text, NFC) COLLATE "und-x-icu"), NFC)`;

/** The statement was cancelled by statement_timeout (pool.ts wraps it in StoreUnavailableError). */
function statementCancelled(error: unknown): boolean {
  const code = (e: unknown) => (typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined);
  return code(error) === '57014' || (error instanceof StoreUnavailableError && code(error.cause) === '57014');
}

export const postgresDialect: SqlStoreDialect = {
  fold: postgresFold,
  // No per-row predicate: withStatementBudget bounds the whole statement on the server instead.
  timeBudget: () => undefined,
  async withStatementBudget(db, limitMs, run) {
    try {
      return await db.transaction().execute(async (trx) => {
        // Transaction-local: the connection goes back to the pool with DATABASE_STATEMENT_TIMEOUT_MS.
        await sql`SELECT set_config('statement_timeout', ${String(limitMs)}, true)`.execute(trx);
        return run(trx);
      });
    } catch (error) {
      if (statementCancelled(error)) throw new QueryBudgetExceededError(limitMs);
      throw error;
    }
  },
  jsonScalar: (column, path) => sql`(${doc(column)} #>> ${pathParam(path)})`,
  jsonArrayExists(column, path, predicate) {
    const alias = sql.raw(`je${(aliasCounter = (aliasCounter + 1) % 1_000_000)}`);
    const value = sql`(${doc(column)} #> ${pathParam(path)})`;
    // Like SQLite's json_each: an array yields its elements, a scalar itself, an absent value nothing.
    const elements = sql`CASE WHEN jsonb_typeof(${value}) = 'array' THEN ${value} WHEN ${value} IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(${value}) END`;
    return sql<SqlBool>`EXISTS (SELECT 1 FROM jsonb_array_elements(${elements}) AS ${alias}(value) WHERE ${predicate(alias)})`;
  },
  elementScalar: (element, path) => sql`(${element}.value #>> ${pathParam(path)})`,
  // Position-based, never LIKE: `%`, `_` and `\` in a value are plain characters.
  contains: (haystack, needle) => sql<SqlBool>`strpos((${haystack})::text, (${needle})::text) > 0`,
  startsWith: (haystack, needle) => sql<SqlBool>`starts_with((${haystack})::text, (${needle})::text)`,
  endsWith: (haystack, needle) => sql<SqlBool>`right((${haystack})::text, length((${needle})::text)) = (${needle})::text`,
  // `#>>` renders JSON booleans as 'true'/'false'; the boolean `active` column accepts the same literal.
  booleanLiteral: (value) => sql.lit(value ? 'true' : 'false'),
  numeric: (operand) => sql`(CASE WHEN (${operand})::text ~ ${sql.lit(NUMBER_TEXT)} THEN (${operand})::text::numeric END)`,
  jsonRemove: (column, path) => sql`(${doc(column)} #- ${pathParam(path)})::text`,
  textList: (values) => sql`SELECT value FROM unnest(${[...values]}::text[]) AS t(value)`,
  uniqueViolationColumn(error) {
    const { code, detail, constraint } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; detail?: unknown; constraint?: unknown };
    if (code !== '23505') return undefined;
    // `Key (user_name_lower)=(alice@example.com) already exists.`
    const match = typeof detail === 'string' ? /^Key \((\w+)\)=/.exec(detail) : null;
    if (match) return match[1];
    return typeof constraint === 'string' ? constraint : 'unknown';
  },
  transientReason,
  rowLocks: true,
};
