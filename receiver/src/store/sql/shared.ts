import type { Kysely, RawBuilder, Transaction } from 'kysely';
import type { AttributeRef } from '../../scim/resource-types';
import type { ListQuery } from '../query';
import type { ActivityInput } from '../types';
import type { AttributeLocation } from './filter-compiler';
import type { Tables } from './tables';

export type Db = Kysely<Tables> | Transaction<Tables>;

export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
/** Chunk size for IN lists, well under SQLite's default limit of bound parameters. */
const IN_CHUNK = 500;

export function now(): string {
  return new Date().toISOString();
}

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

export function chunks<T>(items: readonly T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * totalResults without a COUNT when the page itself tells it: a short page (or an empty first page)
 * ends the result set. Okta's lookups (0 or 1 match, count=100) never pay for a second query.
 */
export async function totalOf(query: ListQuery, rows: number, count: () => Promise<number>): Promise<number> {
  if (rows > 0 && rows < query.count) return query.startIndex - 1 + rows;
  if (rows === 0 && query.startIndex === 1) return 0;
  return count();
}

/** Appends to the audit trail, inside the caller's transaction when given one. */
export async function insertActivity(db: Db, entry: ActivityInput | undefined, at: string = now()): Promise<void> {
  if (!entry) return;
  await db
    .insertInto('activity')
    .values({
      at,
      actor: entry.actor,
      action: entry.action,
      resource_type: entry.resourceType,
      resource_id: entry.resourceId ?? null,
      summary: entry.summary,
    })
    .execute();
}
