import type { Expression, Kysely, SelectQueryBuilder, SqlBool } from 'kysely';
import { sql } from 'kysely';
import { foldText } from '../../text/fold';
import type { BrowsePage, DirectoryStore, GroupBrowseQuery, UserBrowseQuery } from '../browse';
import type { GroupRecord, UserRecord } from '../types';
import type { SqlStoreDialect } from './dialect';
import { countRows } from './resource-listing';
import { toGroupRecord, toUserRecord } from './resource-records';
import type { Tables, UserRow } from './tables';

type Key = string | number;

/** What a page needs (not data_folded: as large as data, and only filters read it). */
const USER_BROWSE_COLUMNS = ['u.seq', 'u.id', 'u.user_name_lower', 'u.data', 'u.created', 'u.last_modified', 'u.version', 'u.enrolled_at', 'u.created_by'] as const;
const GROUP_BROWSE_COLUMNS = ['g.seq', 'g.id', 'g.display_name_lower', 'g.data', 'g.created', 'g.last_modified', 'g.version'] as const;

/** Searches count matches up to here; beyond, BrowsePage.totalCapped says "more than COUNT_LIMIT". */
export const COUNT_LIMIT = 10_000;

export function encodeCursor(key: Key): string {
  return Buffer.from(JSON.stringify([key]), 'utf8').toString('base64url');
}

/** The key inside a cursor, or undefined when the text is not one of ours (a stale or edited link starts over). */
export function decodeCursor(cursor: string | undefined): Key | undefined {
  if (!cursor || cursor.length > 400) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const key = Array.isArray(parsed) ? (parsed[0] as unknown) : undefined;
    return typeof key === 'string' || (typeof key === 'number' && Number.isSafeInteger(key)) ? key : undefined;
  } catch {
    return undefined;
  }
}

interface KeysetPlan {
  readonly comparison?: '>' | '<';
  readonly key?: Key;
  readonly order: 'asc' | 'desc';
  /** Reading backwards (a "previous" link): rows come in reverse and are flipped afterwards. */
  readonly backwards: boolean;
}

function plan(descending: boolean, after: string | undefined, before: string | undefined): KeysetPlan {
  const afterKey = decodeCursor(after);
  const beforeKey = afterKey === undefined ? decodeCursor(before) : undefined;
  const backwards = beforeKey !== undefined;
  const key = afterKey ?? beforeKey;
  // Forward in ascending order continues with larger keys; every flip (descending, backwards) inverts it.
  const larger = descending === backwards;
  return {
    ...(key !== undefined ? { key, comparison: larger ? '>' : '<' } : {}),
    order: larger ? 'asc' : 'desc',
    backwards,
  };
}

function paginate<Row>(rows: Row[], limit: number, p: KeysetPlan, keyOf: (row: Row) => Key): { rows: Row[]; next?: string; previous?: string } {
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (p.backwards) page.reverse();
  const first = page[0];
  const last = page.at(-1);
  const hasNext = p.backwards ? true : more;
  const hasPrevious = p.backwards ? more : p.key !== undefined;
  return {
    rows: page,
    ...(hasNext && last ? { next: encodeCursor(keyOf(last)) } : {}),
    ...(hasPrevious && first ? { previous: encodeCursor(keyOf(first)) } : {}),
  };
}

/** Portal listings as keyset queries over indexed columns (plain Kysely plus the store dialect). */
export class SqlDirectoryStore implements DirectoryStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly dialect: SqlStoreDialect,
  ) {}

  async browseUsers(query: UserBrowseQuery): Promise<BrowsePage<UserRecord>> {
    // search_text is folded with foldText (userSearchText): so is the needle.
    const search = query.search !== undefined ? foldText(query.search.trim()) : undefined;
    const conditions: Expression<SqlBool>[] = [];
    if (search) {
      const needle = sql`${search}`;
      conditions.push(this.dialect.contains(sql`coalesce(u.search_text, '')`, needle));
    }
    if (query.active !== undefined) conditions.push(sql<SqlBool>`u.active = ${query.active ? 1 : 0}`);
    const base = this.db.selectFrom('scim_users as u').where((eb) => eb.and(conditions));
    const p = plan(query.descending, query.after, query.before);
    const keyColumn = query.sort === 'userName' ? ('u.user_name_lower' as const) : ('u.seq' as const);
    let page = base.select(USER_BROWSE_COLUMNS);
    if (p.key !== undefined && p.comparison) page = page.where(keyColumn, p.comparison, p.key as never);
    const rows = await page.orderBy(keyColumn, p.order).limit(query.limit + 1).execute();
    const result = paginate(rows, query.limit, p, (row) => (query.sort === 'userName' ? row.user_name_lower : row.seq));
    // A whole result set on one first page is its own count (a narrow search then scans once, not twice).
    const total =
      p.key === undefined && rows.length <= query.limit
        ? rows.length
        : search
          ? await this.boundedCount(base)
          : await countRows(base);
    return {
      total: Math.min(total, COUNT_LIMIT),
      ...(total > COUNT_LIMIT ? { totalCapped: true } : {}),
      items: result.rows.map((row) => toUserRecord(row, undefined)),
      ...(result.next ? { next: result.next } : {}),
      ...(result.previous ? { previous: result.previous } : {}),
    };
  }

  /**
   * How many rows match, counted up to COUNT_LIMIT + 1 rows: a broad search over a large directory
   * stops early (the page shows "more than …") instead of counting every match.
   */
  private async boundedCount(base: SelectQueryBuilder<Tables & { u: UserRow }, 'u', object>): Promise<number> {
    const limited = base.select(sql.lit(1).as('one')).limit(COUNT_LIMIT + 1);
    return countRows(this.db.selectFrom(limited.as('matches')));
  }

  async browseGroups(query: GroupBrowseQuery): Promise<BrowsePage<GroupRecord & { memberCount: number }>> {
    // display_name_lower is foldText(displayName) (migration 0003_unicode_fold): so is the needle.
    const search = query.search !== undefined ? foldText(query.search.trim()) : undefined;
    let base = this.db.selectFrom('scim_groups as g');
    if (search) base = base.where(this.dialect.contains(sql.ref('g.display_name_lower'), sql`${search}`));
    const total = await countRows(base);
    const p = plan(false, query.after, query.before);
    let page = base
      .select(GROUP_BROWSE_COLUMNS)
      .select(sql<number>`(SELECT count(*) FROM scim_group_members gm WHERE gm.group_seq = g.seq)`.as('member_count'));
    if (p.key !== undefined && p.comparison) page = page.where('g.display_name_lower', p.comparison, String(p.key));
    const rows = await page.orderBy('g.display_name_lower', p.order).limit(query.limit + 1).execute();
    const result = paginate(rows, query.limit, p, (row) => row.display_name_lower);
    return {
      total,
      items: result.rows.map((row) => ({ ...toGroupRecord(row, undefined), memberCount: Number(row.member_count) })),
      ...(result.next ? { next: result.next } : {}),
      ...(result.previous ? { previous: result.previous } : {}),
    };
  }
}
