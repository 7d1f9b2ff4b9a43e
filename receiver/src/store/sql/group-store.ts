import { randomUUID } from 'node:crypto';
import type { Kysely, SqlBool } from 'kysely';
import { sql } from 'kysely';
import { foldText } from '../../text/fold';
import type { Clock } from '../../time/clock';
import { isoTime } from '../../time/clock';
import { UniqueViolationError, UnknownMembersError, VersionMismatchError } from '../errors';
import type { ListQuery, Page } from '../../schema/query';
import type { ActivityInput, GroupChange, GroupChangeSummary, GroupRecord, GroupStore, MemberRecord, ResourceData, WriteOptions } from '../types';
import type { SqlStoreDialect } from './dialect';
import { FilterCompiler } from './filter-compiler';
import { PageCursors } from './page-cursors';
import { countRows, lockForDelete, readPage, restrict, withListBudget } from './resource-listing';
import { resourceTableMapping } from './resource-mapping';
import { GROUP_COLUMNS, resourceDataColumns, toGroupRecord } from './resource-records';
import type { Db } from './shared';
import { CORE_GROUP, appendTo, chunks, insertActivity, withinBytes } from './shared';
import type { Tables } from './tables';

/** The size of one member in a representation: value, $ref, display and type. */
const MEMBER_BYTES = 160;

export class SqlGroupStore implements GroupStore {
  private readonly filters: FilterCompiler;
  private readonly cursors = new PageCursors();

  constructor(
    private readonly db: Kysely<Tables>,
    private readonly dialect: SqlStoreDialect,
    private readonly clock: Clock,
  ) {
    const mapping = resourceTableMapping({
      alias: 'g',
      schema: CORE_GROUP,
      resourceType: 'Group',
      columns: { displayName: { kind: 'column', expr: sql.ref('g.display_name_lower'), preLowered: true } },
      relation: {
        attribute: 'members',
        exists: (predicate) =>
          sql<SqlBool>`EXISTS (SELECT 1 FROM scim_group_members gm JOIN scim_users mu ON mu.seq = gm.user_seq WHERE gm.group_seq = g.seq AND ${predicate(
            (name) =>
              name === 'value'
                ? sql.ref('mu.id')
                : name === 'display'
                  ? sql`coalesce(mu.display_name, mu.user_name)`
                  : name === 'type'
                    ? sql.lit('User')
                    : undefined,
          )})`,
      },
    });
    this.filters = new FilterCompiler(dialect, mapping);
  }

  async create(data: ResourceData, memberIds: readonly string[], effects: { activity?: ActivityInput } = {}): Promise<GroupRecord> {
    return this.db.transaction().execute(async (trx) => {
      const at = isoTime(this.clock);
      const id = randomUUID();
      try {
        await trx
          .insertInto('scim_groups')
          .values({ id, ...groupColumns(data), created: at, last_modified: at, version: 1 })
          .execute();
      } catch (error) {
        throw this.translate(error, data);
      }
      const row = await trx.selectFrom('scim_groups').select('seq').where('id', '=', id).executeTakeFirstOrThrow();
      const added = await this.addMembers(trx, row.seq, memberIds);
      await insertActivity(
        trx,
        effects.activity ? { ...effects.activity, resourceId: id, summary: `${effects.activity.summary}${added ? ` with ${added} member(s)` : ''}` } : undefined,
        at,
      );
      return { id, data, created: at, lastModified: at, version: 1, members: await this.membersOf(trx, row.seq) };
    });
  }

  async get(id: string, options: { members: boolean }): Promise<GroupRecord | undefined> {
    const row = await this.db.selectFrom('scim_groups as g').select(GROUP_COLUMNS).where('g.id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return toGroupRecord(row, options.members ? await this.membersOf(this.db, row.seq) : undefined);
  }

  async list(query: ListQuery, options: { members: boolean }): Promise<Page<GroupRecord>> {
    return withListBudget(this.db, this.dialect, query, (db, budget) => this.listIn(db, query, options, budget));
  }

  private async listIn(db: Kysely<Tables>, query: ListQuery, options: { members: boolean }, budget: number | undefined): Promise<Page<GroupRecord>> {
    const compiled = query.filter ? this.filters.compile(query.filter) : undefined;
    const seq = sql.ref<number>('g.seq');
    const from = () => restrict(db.selectFrom('scim_groups as g'), this.dialect, seq, budget, compiled);
    const count = () => countRows(from());
    if (query.count === 0) return { totalResults: await count(), items: [] };
    let page = from().select(GROUP_COLUMNS);
    if (query.sort) page = page.orderBy(this.filters.sortExpression(query.sort), query.sort.descending ? 'desc' : 'asc');
    const { rows, totalResults } = await this.cursors.read(
      query,
      '',
      async (after) => {
        const found = await readPage(page, from().select('g.seq'), seq, query, after);
        // Members are counted before they are loaded, so a page of huge groups is cut before it is read.
        const counts = options.members && query.maxBytes !== undefined ? await this.memberCounts(found.map((r) => r.id), db) : undefined;
        return withinBytes(found, query.maxBytes, (row) => row.data.length + (counts?.get(row.id) ?? 0) * MEMBER_BYTES);
      },
      count,
    );
    if (!options.members) return { totalResults, items: rows.map((r) => toGroupRecord(r, undefined)) };
    const members = await this.membersOfMany(rows.map((r) => r.seq), db);
    return { totalResults, items: rows.map((r) => toGroupRecord(r, members.get(r.seq) ?? [])) };
  }

  async modify(
    id: string,
    changes: (current: GroupRecord) => readonly GroupChange[],
    options: WriteOptions & {
      members: boolean;
      describe?: (before: GroupRecord, change: GroupChangeSummary) => ActivityInput | undefined;
    },
  ): Promise<GroupRecord | undefined> {
    return this.db.transaction().execute(async (trx) => {
      let select = trx.selectFrom('scim_groups as g').select(GROUP_COLUMNS).where('g.id', '=', id);
      // Concurrent PATCHes of one group (from several replicas) apply one after the other.
      if (this.dialect.rowLocks) select = select.forNoKeyUpdate();
      const row = await select.executeTakeFirst();
      if (!row) return undefined;
      if (options.ifVersion !== undefined && options.ifVersion !== row.version) throw new VersionMismatchError(row.version);
      const before = toGroupRecord(row, undefined);
      let data = JSON.parse(row.data) as ResourceData;
      const summary = { dataChanged: false, added: 0, removed: 0 };
      for (const change of changes(before)) {
        switch (change.kind) {
          case 'setData':
            if (JSON.stringify(change.data) !== JSON.stringify(data)) {
              data = change.data;
              summary.dataChanged = true;
            }
            break;
          case 'addMembers':
            summary.added += await this.addMembers(trx, row.seq, change.ids);
            break;
          case 'removeMembers':
            summary.removed += await this.removeMembers(trx, row.seq, change.ids);
            break;
          case 'removeAllMembers': {
            const result = await trx.deleteFrom('scim_group_members').where('group_seq', '=', row.seq).executeTakeFirst();
            summary.removed += Number(result.numDeletedRows);
            break;
          }
          case 'replaceMembers': {
            const { added, removed } = await this.replaceMembers(trx, row.seq, change.ids);
            summary.added += added;
            summary.removed += removed;
            break;
          }
        }
      }
      const changed = summary.dataChanged || summary.added > 0 || summary.removed > 0;
      let version = row.version;
      let lastModified = row.last_modified;
      if (changed) {
        version += 1;
        lastModified = isoTime(this.clock);
        try {
          await trx
            .updateTable('scim_groups')
            .set({ ...groupColumns(data), last_modified: lastModified, version })
            .where('seq', '=', row.seq)
            .execute();
        } catch (error) {
          throw this.translate(error, data);
        }
        await insertActivity(trx, options.describe?.(before, summary), lastModified);
      }
      const members = options.members ? await this.membersOf(trx, row.seq) : undefined;
      return { id, data, created: row.created, lastModified, version, ...(members ? { members } : {}) };
    });
  }

  async delete(id: string, options: WriteOptions & { activity?: ActivityInput } = {}): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const seq = await lockForDelete(trx, this.dialect, 'scim_groups', id, options.ifVersion);
      if (seq === undefined) return false;
      await trx.deleteFrom('scim_group_members').where('group_seq', '=', seq).execute();
      await trx.deleteFrom('scim_groups').where('seq', '=', seq).execute();
      await insertActivity(trx, options.activity, isoTime(this.clock));
      return true;
    });
  }

  /** Fails the whole write, naming the ids, when any member is not a known user. */
  private async assertUsersExist(db: Db, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const rows = await sql<{ value: string }>`SELECT l.value AS value FROM (${this.dialect.textList(ids)}) AS l
      WHERE NOT EXISTS (SELECT 1 FROM scim_users u WHERE u.id = l.value)`.execute(db);
    if (rows.rows.length > 0) throw new UnknownMembersError(rows.rows.map((r) => r.value));
  }

  private async addMembers(db: Db, groupSeq: number, ids: readonly string[]): Promise<number> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return 0;
    await this.assertUsersExist(db, unique);
    const result = await sql`INSERT INTO scim_group_members (group_seq, user_seq)
      SELECT ${groupSeq}, u.seq FROM scim_users u WHERE u.id IN (${this.dialect.textList(unique)})
      ON CONFLICT DO NOTHING`.execute(db);
    return Number(result.numAffectedRows ?? 0);
  }

  private async removeMembers(db: Db, groupSeq: number, ids: readonly string[]): Promise<number> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return 0;
    const result = await sql`DELETE FROM scim_group_members WHERE group_seq = ${groupSeq}
      AND user_seq IN (SELECT u.seq FROM scim_users u WHERE u.id IN (${this.dialect.textList(unique)}))`.execute(db);
    return Number(result.numAffectedRows ?? 0);
  }

  /** PUT semantics as a difference: only departing rows are deleted and only arriving rows inserted. */
  private async replaceMembers(db: Db, groupSeq: number, ids: readonly string[]): Promise<{ added: number; removed: number }> {
    const unique = [...new Set(ids)];
    await this.assertUsersExist(db, unique);
    const removed = await sql`DELETE FROM scim_group_members WHERE group_seq = ${groupSeq}
      AND user_seq NOT IN (SELECT u.seq FROM scim_users u WHERE u.id IN (${this.dialect.textList(unique)}))`.execute(db);
    const added = unique.length === 0 ? 0 : await this.addMembers(db, groupSeq, unique);
    return { added, removed: Number(removed.numAffectedRows ?? 0) };
  }

  async memberCounts(ids: readonly string[], db: Db = this.db): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const part of chunks(ids)) {
      const rows = await db
        .selectFrom('scim_groups as g')
        .leftJoin('scim_group_members as gm', 'gm.group_seq', 'g.seq')
        .select(['g.id as id', (eb) => eb.fn.count<number>('gm.user_seq').as('members')])
        .where('g.id', 'in', part)
        .groupBy('g.id')
        .execute();
      for (const row of rows) out.set(row.id, Number(row.members));
    }
    return out;
  }

  async members(id: string, startIndex: number, count: number): Promise<Page<MemberRecord> | undefined> {
    const group = await this.db.selectFrom('scim_groups').select('seq').where('id', '=', id).executeTakeFirst();
    if (!group) return undefined;
    const { total } = await this.db
      .selectFrom('scim_group_members')
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .where('group_seq', '=', group.seq)
      .executeTakeFirstOrThrow();
    const rows = await this.memberRows(this.db).where('gm.group_seq', '=', group.seq).orderBy('gm.user_seq').limit(count).offset(startIndex - 1).execute();
    const items = rows.map(({ value, display }) => ({ value, display }));
    return { totalResults: Number(total), items };
  }

  /** The one member query: value and display of each member, with the group's seq. */
  private memberRows(db: Db) {
    return db
      .selectFrom('scim_group_members as gm')
      .innerJoin('scim_users as u', 'u.seq', 'gm.user_seq')
      .select(['gm.group_seq as groupSeq', 'u.id as value', sql<string>`coalesce(u.display_name, u.user_name)`.as('display')]);
  }

  private async membersOf(db: Db, groupSeq: number): Promise<MemberRecord[]> {
    return (await this.membersOfMany([groupSeq], db)).get(groupSeq) ?? [];
  }

  /** The members of several groups (a page), one statement per 500 groups, in membership order. */
  private async membersOfMany(groupSeqs: readonly number[], db: Db = this.db): Promise<Map<number, MemberRecord[]>> {
    const out = new Map<number, MemberRecord[]>();
    for (const seqs of chunks(groupSeqs)) {
      const rows = await this.memberRows(db).where('gm.group_seq', 'in', seqs).orderBy('gm.group_seq').orderBy('gm.user_seq').execute();
      for (const { groupSeq, value, display } of rows) appendTo(out, groupSeq, { value, display });
    }
    return out;
  }

  private translate(error: unknown, data: ResourceData): unknown {
    return this.dialect.uniqueViolationColumn(error) === 'display_name_lower' ? new UniqueViolationError('displayName', String(data.displayName)) : error;
  }
}

function groupColumns(data: ResourceData) {
  const displayName = String(data.displayName);
  return {
    display_name: displayName,
    display_name_lower: foldText(displayName),
    ...resourceDataColumns(data),
  };
}
