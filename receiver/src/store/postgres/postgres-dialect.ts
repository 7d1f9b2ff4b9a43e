import type { RawBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';
import { QueryBudgetExceededError, StoreUnavailableError } from '../errors';
import type { SqlStoreDialect } from '../sql/dialect';
import { DATE_TIME_PATTERN, EPOCH_DAYS } from '../../time/date-time';
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
 * dateTimeInstant (time/date-time.ts) in SQL: DATE_TIME_PATTERN's groups, the same range checks, the
 * same whole-number arithmetic. Nothing here can raise: every cast is of digits the pattern matched,
 * and no text is cast to timestamptz (which fails on "2023-02-29" and reads a missing offset in the
 * session's time zone). No match, or an absent value, is NULL.
 */
const dateTimeInstant = (operand: Expr): Expr => sql`(SELECT CASE
    WHEN dt.mo BETWEEN 1 AND 12
      AND dt.d BETWEEN 1 AND (CASE WHEN dt.mo = 2 THEN (CASE WHEN (dt.y % 4 = 0 AND dt.y % 100 <> 0) OR dt.y % 400 = 0 THEN 29 ELSE 28 END) ELSE 30 + (dt.mo + dt.mo / 8) % 2 END)
      AND (dt.h <= 23 OR (dt.h = 24 AND dt.mi = 0 AND dt.s = 0 AND dt.frac !~ '[1-9]'))
      AND dt.mi <= 59 AND dt.s <= 59 AND dt.oh <= 23 AND dt.om <= 59
    THEN (((((365 * dt.ya + dt.ya / 4 - dt.ya / 100 + dt.ya / 400 + (153 * ((dt.mo + 9) % 12) + 2) / 5 + dt.d - 1 - ${sql.lit(EPOCH_DAYS)})::bigint * 24 + dt.h) * 60
      + dt.mi - dt.sign * (dt.oh * 60 + dt.om)) * 60 + dt.s) * 1000 + rpad(left(dt.frac, 3), 3, '0')::int)
  END
  FROM regexp_match((${operand})::text, ${sql.lit(DATE_TIME_PATTERN)}) AS dt_match(m),
  LATERAL (SELECT dt_match.m[1]::int AS y, dt_match.m[1]::int - (CASE WHEN dt_match.m[2]::int <= 2 THEN 1 ELSE 0 END) + 400 AS ya, dt_match.m[2]::int AS mo, dt_match.m[3]::int AS d,
    dt_match.m[4]::int AS h, dt_match.m[5]::int AS mi, dt_match.m[6]::int AS s, coalesce(dt_match.m[7], '') AS frac,
    (CASE WHEN dt_match.m[8] = '-' THEN -1 ELSE 1 END) AS sign, coalesce(dt_match.m[9]::int, 0) AS oh, coalesce(dt_match.m[10]::int, 0) AS om) AS dt)`;

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
  dateTimeInstant,
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
