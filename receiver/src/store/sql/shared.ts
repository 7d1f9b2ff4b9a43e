import type { DeleteResult, DialectAdapter, Kysely, RawBuilder, Transaction } from 'kysely';
import { foldText } from '../../text/fold';
import type { Clock } from '../../time/clock';
import { isoTime } from '../../time/clock';
import type { AttributeRef } from '../../schema/resource-types';
import type { ListQuery } from '../../schema/query';
import type { ActivityInput } from '../types';
import type { AttributeLocation } from './filter-compiler';
import { PreparedQuery } from './prepared-query';
import type { Tables } from './tables';

export type Db = Kysely<Tables> | Transaction<Tables>;

export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
/** Chunk size for IN lists, well under SQLite's default limit of bound parameters. */
const IN_CHUNK = 500;

export function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function metaLocation(
  ref: AttributeRef,
  columns: { created: RawBuilder<unknown>; lastModified: RawBuilder<unknown> },
  resourceType: string,
): AttributeLocation {
  switch (ref.subAttribute?.name) {
    case 'created':
      return { kind: 'column', expr: columns.created };
    case 'lastModified':
      return { kind: 'column', expr: columns.lastModified };
    case 'resourceType':
      return { kind: 'constant', value: resourceType };
    default:
      return { kind: 'constant', value: '' };
  }
}

/**
 * The resource JSON with every string value folded (keys as they are): what case-insensitive filters
 * and sorts read, so that they compare natively (`json_extract(data_folded, …) = ?`, the value folded in
 * JS) rather than through a fold function called on every row. Case-exact comparisons read `data`.
 */
export function foldedJson(data: unknown): string {
  return JSON.stringify(data, (_key, value: unknown) => (typeof value === 'string' ? foldText(value) : value));
}

/**
 * userName, displayName and every e-mail, folded with foldText and newline-separated: what the admin
 * portal's search scans (one short column, no JSON). Written with every user row and by the migration
 * that added the column, so a search folded the same way finds "Élodie" as "ÉLODIE" or "e\u0301lodie".
 */
export function userSearchText(data: Record<string, unknown>): string {
  const emails = Array.isArray(data.emails) ? data.emails.map((e) => (typeof e === 'object' && e !== null ? (e as { value?: unknown }).value : undefined)) : [];
  const parts = [String(data.userName), text(data.displayName) ?? '', ...emails.filter((v): v is string => typeof v === 'string')];
  return foldText(parts.join('\n'));
}

export function chunks<T>(items: readonly T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Appends `item` to the list under `key`, starting the list when it is the first. */
export function appendTo<K, V>(lists: Map<K, V[]>, key: K, item: V): void {
  const list = lists.get(key);
  if (list) list.push(item);
  else lists.set(key, [item]);
}

/** Rows marked as cut by a byte budget: the page ends early, not the result set. */
export type BoundedRows<Row> = Row[] & { truncated?: boolean };

/**
 * The leading rows whose sizes add up to at most `maxBytes` (always at least one row), flagged
 * `truncated` when rows were left out. Sizes are string lengths of the stored JSON: bytes for ASCII.
 */
export function withinBytes<Row>(rows: Row[], maxBytes: number | undefined, size: (row: Row) => number): BoundedRows<Row> {
  if (maxBytes === undefined) return rows;
  let total = 0;
  for (let i = 0; i < rows.length; i++) {
    total += size(rows[i]!);
    if (total > maxBytes && i > 0) return Object.assign(rows.slice(0, i), { truncated: true });
  }
  return rows;
}

/**
 * totalResults without a COUNT when the page itself tells it: a short page (or an empty first page)
 * ends the result set. Okta's lookups (0 or 1 match, count=100) never pay for a second query.
 */
export async function totalOf(query: ListQuery, rows: number, count: () => Promise<number>, truncated = false): Promise<number> {
  if (rows > 0 && rows < query.count && !truncated) return query.startIndex - 1 + rows;
  if (rows === 0 && query.startIndex === 1) return 0;
  return count();
}

type ActivitySlot = 'at' | 'actor' | 'action' | 'resource_type' | 'resource_id' | 'summary';
/** The activity insert compiled once per dialect (a database and its transactions share the adapter). */
const activityInserts = new WeakMap<DialectAdapter, PreparedQuery<ActivitySlot, unknown>>();

/**
 * Deletes with `remove` and, only when a row went, records `activity`, in one transaction (the audit
 * trail never names a delete that did not happen); resolves to whether a row was deleted.
 */
export function deleteRecorded(
  db: Kysely<Tables>,
  clock: Clock,
  activity: ActivityInput | undefined,
  remove: (trx: Transaction<Tables>) => Promise<DeleteResult>,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await remove(trx);
    if (Number(result.numDeletedRows) === 0) return false;
    await insertActivity(trx, activity, isoTime(clock));
    return true;
  });
}

/** Appends to the audit trail at `at` (the store clock's time), inside the caller's transaction when given one. */
export async function insertActivity(db: Db, entry: ActivityInput | undefined, at: string): Promise<void> {
  if (!entry) return;
  const adapter = db.getExecutor().adapter;
  let insert = activityInserts.get(adapter);
  if (!insert) {
    insert = new PreparedQuery<ActivitySlot, unknown>((slot) =>
      db.insertInto('activity').values({
        at: slot('at'),
        actor: slot('actor'),
        action: slot('action'),
        resource_type: slot('resource_type'),
        resource_id: slot('resource_id'),
        summary: slot('summary'),
      }),
    );
    activityInserts.set(adapter, insert);
  }
  await insert.affected(db, {
    at,
    actor: entry.actor,
    action: entry.action,
    resource_type: entry.resourceType,
    resource_id: entry.resourceId ?? null,
    summary: entry.summary,
  });
}
