import type { RawBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';
import type { SqlStoreDialect } from '../sql/dialect';

/** `$."a"."b"`: every key quoted, so URNs (with colons) and `$ref` are safe path segments. */
export function sqliteJsonPath(path: readonly string[]): string {
  return '$' + path.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `."${p.replace(/"/g, '')}"`)).join('');
}

let aliasCounter = 0;
let budgetCounter = 0;

export const sqliteDialect: SqlStoreDialect = {
  jsonScalar: (column, path) => sql`json_extract(${column}, ${sqliteJsonPath(path)})`,
  jsonArrayExists(column, path, predicate) {
    // Distinct aliases keep nested EXISTS unambiguous.
    const alias = sql.raw(`je${(aliasCounter = (aliasCounter + 1) % 1_000_000)}`);
    return sql<SqlBool>`EXISTS (SELECT 1 FROM json_each(${column}, ${sqliteJsonPath(path)}) AS ${alias} WHERE ${predicate(alias)})`;
  },
  elementScalar: (element, path) =>
    path.length === 0 ? sql`${element}.value` : sql`json_extract(${element}.value, ${sqliteJsonPath(path)})`,
  contains: (haystack, needle) => sql<SqlBool>`instr(${haystack}, ${needle}) > 0`,
  startsWith: (haystack, needle) => sql<SqlBool>`substr(${haystack}, 1, length(${needle})) = ${needle}`,
  endsWith: (haystack, needle) => sql<SqlBool>`substr(${haystack}, -length(${needle})) = ${needle}`,
  booleanLiteral: (value): RawBuilder<unknown> => sql.lit(value ? 1 : 0),
  numeric: (operand) => operand,
  // JavaScript's dateTimeInstant itself (sqlite-functions.ts): SQLite's julianday() would also read
  // numbers as Julian days, date-only and space-separated texts, and round fractions to the millisecond.
  dateTimeInstant: (operand) => sql`scim_instant(${operand})`,
  rowLocks: false,
  withStatementBudget: (db, _limitMs, run) => run(db),
  fold: (expr) => sql`scim_fold(${expr})`,
  // A distinct token per query lets scim_budget tell one statement's rows from the next one's; a call
  // into JavaScript costs about as much as reading the row, so one row in 128 (by key) looks at the clock.
  timeBudget: (limitMs, rowKey) =>
    sql<SqlBool>`(CASE WHEN ${rowKey} % 128 = 0 THEN scim_budget(${`q${(budgetCounter = (budgetCounter + 1) % 1_000_000_000)}`}, ${limitMs}) ELSE 1 END)`,
  jsonRemove: (column, path) => sql`json_remove(${column}, ${sqliteJsonPath(path)})`,
  textList: (values) => sql`SELECT value FROM json_each(${JSON.stringify(values)})`,
  uniqueViolationColumn(error) {
    // Duck-typed, not instanceof: better-sqlite3's error class may come from another realm (test runners).
    const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown };
    if (code !== 'SQLITE_CONSTRAINT_UNIQUE' || typeof message !== 'string') return undefined;
    // "UNIQUE constraint failed: scim_users.user_name_lower"
    const match = /UNIQUE constraint failed: [\w]+\.(\w+)/.exec(message);
    return match?.[1] ?? 'unknown';
  },
  transientReason(error) {
    // SQLITE_BUSY and its extended codes: another connection (a backup, a second process) holds the lock
    // past busy_timeout. Duck-typed like uniqueViolationColumn.
    const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
    return typeof code === 'string' && code.startsWith('SQLITE_BUSY') ? `the database file is locked (${code})` : undefined;
  },
};
