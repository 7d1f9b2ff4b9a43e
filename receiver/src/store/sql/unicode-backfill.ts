import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { foldText } from '../../text/fold';
import type { Clock } from '../../time/clock';
import { isoTime } from '../../time/clock';
import { foldedJson, userSearchText } from './shared';

/** Issue 10's Unicode fold applied to rows written before it, by either store's migrations (same SQL). */

export interface FoldTarget {
  readonly table: string;
  readonly key: string;
  readonly source: string;
  readonly folded: string;
  readonly resourceType: string;
  readonly what: string;
}

/**
 * Recomputes a unique folded column with foldText (it was ASCII-and-Unicode toLowerCase, without NFC).
 * Two rows that become equal keep their old keys, so the migration never fails or merges anything;
 * the activity log names them for an admin to rename one.
 */
async function refold(db: Kysely<unknown>, target: FoldTarget, clock: Clock): Promise<void> {
  const rows = (
    await sql<{ key: string; source: string; folded: string }>`SELECT ${sql.ref(target.key)} AS key, ${sql.ref(target.source)} AS source,
      ${sql.ref(target.folded)} AS folded FROM ${sql.table(target.table)}`.execute(db)
  ).rows;
  const taken = new Set(rows.map((r) => r.folded));
  const at = isoTime(clock);
  for (const row of rows) {
    const next = foldText(row.source);
    if (next === row.folded) continue;
    if (taken.has(next)) {
      await sql`INSERT INTO activity (at, actor, action, resource_type, resource_id, summary) VALUES (${at}, 'system', 'unicode.conflict',
        ${target.resourceType}, ${row.key}, ${`${target.what} "${row.source}" equals another one under Unicode normalization; rename one of them`})`.execute(db);
      continue;
    }
    await sql`UPDATE ${sql.table(target.table)} SET ${sql.ref(target.folded)} = ${next} WHERE ${sql.ref(target.key)} = ${row.key}`.execute(db);
    taken.delete(row.folded);
    taken.add(next);
  }
}

/** The unique folded keys issue 10 changed: userName, group displayName, template name. */
const FOLDED_KEYS: readonly FoldTarget[] = [
  { table: 'scim_users', key: 'id', source: 'user_name', folded: 'user_name_lower', resourceType: 'User', what: 'userName' },
  { table: 'scim_groups', key: 'id', source: 'display_name', folded: 'display_name_lower', resourceType: 'Group', what: 'Group displayName' },
  { table: 'templates', key: 'id', source: 'name', folded: 'name_lower', resourceType: 'Template', what: 'Template name' },
];

/** refold for every folded key (SQLite migration 0003, PostgreSQL 0005). */
export async function refoldKeys(db: Kysely<unknown>, clock: Clock): Promise<void> {
  for (const target of FOLDED_KEYS) await refold(db, target, clock);
}

/**
 * Rewrites one column of every row of `table` from its `data`, in slices of 1,000 by `seq`: a large
 * directory is back-filled without holding every row in memory.
 */
async function backfill(db: Kysely<unknown>, table: 'scim_users' | 'scim_groups', column: string, compute: (data: Record<string, unknown>) => string): Promise<void> {
  for (let after = 0; ; ) {
    const rows = (await sql<{ seq: number | string; data: string }>`SELECT seq, data FROM ${sql.table(table)} WHERE seq > ${after} ORDER BY seq LIMIT 1000`.execute(db)).rows;
    if (rows.length === 0) break;
    for (const row of rows) {
      await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${compute(JSON.parse(row.data) as Record<string, unknown>)} WHERE seq = ${row.seq}`.execute(db);
    }
    // PostgreSQL returns bigint as text.
    after = Number(rows[rows.length - 1]!.seq);
  }
}

/** Writes `data_folded` (foldedJson of `data`, what case-insensitive filters read) for every row of `table`. */
export const backfillFoldedData = (db: Kysely<unknown>, table: 'scim_users' | 'scim_groups'): Promise<void> => backfill(db, table, 'data_folded', foldedJson);

/** Writes `search_text` (userSearchText of `data`, the portal's search column) for every user. */
export const backfillSearchText = (db: Kysely<unknown>): Promise<void> => backfill(db, 'scim_users', 'search_text', userSearchText);
