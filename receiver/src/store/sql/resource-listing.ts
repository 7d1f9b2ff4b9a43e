import type { Kysely, RawBuilder, SelectQueryBuilder, SqlBool, Transaction } from 'kysely';
import type { ListQuery } from '../../schema/query';
import { VersionMismatchError } from '../errors';
import type { SqlStoreDialect } from './dialect';
import type { Tables } from './tables';

// What the user and group stores share when they list, count and lock their rows: both tables are
// keyed by `seq` (insertion order) and versioned, and a SCIM list reads them the same way.

/**
 * Runs one list (`run`) under the query's time budget when it filters or sorts. The budget comes first
 * in the WHERE clause (see `restrict`), so rows the filter rejects are counted too, and each statement
 * gets its own (a token per call): the page and the count are bounded separately.
 */
export function withListBudget<T>(
  db: Kysely<Tables>,
  dialect: SqlStoreDialect,
  query: ListQuery,
  run: (db: Kysely<Tables>, budget: number | undefined) => Promise<T>,
): Promise<T> {
  const budget = (query.filter || query.sort) && query.timeLimitMs !== undefined ? query.timeLimitMs : undefined;
  if (budget === undefined) return run(db, undefined);
  return dialect.withStatementBudget(db, budget, (bounded) => run(bounded, budget));
}

/** `from` narrowed to the rows a list reads: the time budget's guard first, then the compiled filter. */
export function restrict<DB, TB extends keyof DB, O>(
  from: SelectQueryBuilder<DB, TB, O>,
  dialect: SqlStoreDialect,
  seq: RawBuilder<number>,
  budget: number | undefined,
  filter: RawBuilder<SqlBool> | undefined,
): SelectQueryBuilder<DB, TB, O> {
  let q = from;
  const guard = budget === undefined ? undefined : dialect.timeBudget(budget, seq);
  if (guard) q = q.where(guard);
  if (filter) q = q.where(filter);
  return q;
}

/** How many rows `from` selects. */
export async function countRows<DB, TB extends keyof DB>(from: SelectQueryBuilder<DB, TB, object>): Promise<number> {
  const row = await from.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  return Number((row as { total: number | string | bigint }).total);
}

/**
 * The rows of the page `query` asks for, in `seq` order after any sort: right after a known page end
 * (`after`, see PageCursors), by OFFSET when sorted or on the first page, or else by skipping over row
 * numbers alone (`seqs`, the same rows selecting only `seq`), so that skipped rows are never read.
 */
export function readPage<DB, TB extends keyof DB, O>(
  page: SelectQueryBuilder<DB, TB, O>,
  seqs: SelectQueryBuilder<DB, TB, { seq: number }>,
  seq: RawBuilder<number>,
  query: ListQuery,
  after: number | undefined,
): Promise<O[]> {
  if (after !== undefined) return page.where(seq, '>', after).orderBy(seq).limit(query.count).execute();
  if (query.sort || query.startIndex === 1) return page.offset(query.startIndex - 1).orderBy(seq).limit(query.count).execute();
  const start = seqs.orderBy(seq).offset(query.startIndex - 1).limit(1);
  return page.where(seq, '>=', start).orderBy(seq).limit(query.count).execute();
}

/**
 * The `seq` of the user or group `id`, locked until the transaction ends (where the dialect has row
 * locks), after checking the caller's expected version; undefined when there is no such row.
 */
export async function lockForDelete(
  trx: Transaction<Tables>,
  dialect: SqlStoreDialect,
  table: 'scim_users' | 'scim_groups',
  id: string,
  ifVersion: number | undefined,
): Promise<number | undefined> {
  let select = trx.selectFrom(table).select(['seq', 'version']).where('id', '=', id);
  if (dialect.rowLocks) select = select.forUpdate();
  const row = await select.executeTakeFirst();
  if (!row) return undefined;
  if (ifVersion !== undefined && ifVersion !== row.version) throw new VersionMismatchError(row.version);
  return row.seq;
}
