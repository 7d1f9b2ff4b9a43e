import { randomUUID } from 'node:crypto';
import type { Kysely, SqlBool } from 'kysely';
import { sql } from 'kysely';
import { foldText } from '../../text/fold';
import type { Clock } from '../../time/clock';
import { isoTime } from '../../time/clock';
import { UniqueViolationError, VersionMismatchError } from '../errors';
import type { ListQuery, Page, ResolvedFilter } from '../../schema/query';
import type {
  ActivityInput,
  CreateUserEffects,
  GroupRef,
  ReadUserOptions,
  ResourceData,
  UserListFilter,
  UserRecord,
  UserStore,
  WriteOptions,
} from '../types';
import type { SqlStoreDialect } from './dialect';
import { FilterCompiler } from './filter-compiler';
import { PageCursors } from './page-cursors';
import { PreparedQuery } from './prepared-query';
import { countRows, lockForDelete, readPage, restrict, withListBudget } from './resource-listing';
import { resourceTableMapping } from './resource-mapping';
import type { UserRead } from './resource-records';
import { USER_COLUMNS, resourceDataColumns, toUserRecord } from './resource-records';
import type { Db } from './shared';
import { CORE_USER, appendTo, chunks, insertActivity, text, userSearchText, withinBytes } from './shared';
import type { Tables } from './tables';

/** The column holding a unique attribute a filter compares with `eq`, and the value to look up. */
function uniqueLookup(filter: ResolvedFilter | undefined): { column: 'id' | 'userName'; value: string } | undefined {
  if (filter?.kind !== 'compare' || filter.op !== 'eq' || typeof filter.value !== 'string') return undefined;
  const { attr } = filter;
  if (attr.inExtension || attr.schema !== CORE_USER || attr.subAttribute) return undefined;
  if (attr.attribute.name === 'userName') return { column: 'userName', value: foldText(filter.value) };
  if (attr.attribute.name === 'id') return { column: 'id', value: filter.value };
  return undefined;
}

export class SqlUserStore implements UserStore {
  private readonly filters: FilterCompiler;
  private readonly cursors = new PageCursors();
  // Fixed shapes on the hot path, compiled once (PreparedQuery).
  private readonly byId: PreparedQuery<'id', UserRead>;
  private readonly byIdLocked: PreparedQuery<'id', UserRead>;
  private readonly byUserName: PreparedQuery<'name', UserRead>;
  private readonly groupsOfUser: PreparedQuery<'seq', GroupRef>;
  private readonly insertUser: PreparedQuery<keyof ReturnType<typeof userColumns> | 'id' | 'created' | 'last_modified' | 'version' | 'created_by', unknown>;
  private readonly updateUser: PreparedQuery<keyof ReturnType<typeof userColumns> | 'last_modified' | 'version' | 'seq', unknown>;

  constructor(
    private readonly db: Kysely<Tables>,
    private readonly dialect: SqlStoreDialect,
    private readonly clock: Clock,
  ) {
    const mapping = resourceTableMapping({
      alias: 'u',
      schema: CORE_USER,
      resourceType: 'User',
      columns: {
        userName: { kind: 'column', expr: sql.ref('u.user_name_lower'), preLowered: true },
        displayName: { kind: 'column', expr: sql.ref('u.display_name') },
        active: { kind: 'column', expr: sql.ref('u.active') },
      },
      relation: {
        attribute: 'groups',
        exists: (predicate) =>
          sql<SqlBool>`EXISTS (SELECT 1 FROM scim_group_members gm JOIN scim_groups g ON g.seq = gm.group_seq WHERE gm.user_seq = u.seq AND ${predicate(
            (name) => (name === 'value' ? sql.ref('g.id') : name === 'display' ? sql.ref('g.display_name') : name === 'type' ? sql.lit('direct') : undefined),
          )})`,
      },
    });
    this.filters = new FilterCompiler(dialect, mapping);

    const select = () => db.selectFrom('scim_users as u').select(USER_COLUMNS);
    this.byId = new PreparedQuery((slot) => select().where('u.id', '=', slot('id')));
    // NO KEY UPDATE: a concurrent membership insert (a foreign-key share lock) is not blocked.
    this.byIdLocked = new PreparedQuery((slot) => {
      const query = select().where('u.id', '=', slot('id'));
      return dialect.rowLocks ? query.forNoKeyUpdate(['u']) : query;
    });
    // A unique index probe: no ordering, offset, count or time budget.
    this.byUserName = new PreparedQuery((slot) => select().where('u.user_name_lower', '=', slot('name')));
    this.groupsOfUser = new PreparedQuery((slot) =>
      db
        .selectFrom('scim_group_members as gm')
        .innerJoin('scim_groups as g', 'g.seq', 'gm.group_seq')
        .select(['g.id as value', 'g.display_name as display'])
        .where('gm.user_seq', '=', slot('seq') as unknown as number)
        .orderBy('gm.group_seq'),
    );
    const columns = ['user_name', 'user_name_lower', 'external_id', 'display_name', 'active', 'data', 'data_folded', 'search_text'] as const;
    this.insertUser = new PreparedQuery((slot) =>
      db
        .insertInto('scim_users')
        .values({
          ...(Object.fromEntries(columns.map((c) => [c, slot(c)])) as unknown as ReturnType<typeof userColumns>),
          id: slot('id'),
          created: slot('created'),
          last_modified: slot('last_modified'),
          version: slot('version') as unknown as number,
          created_by: slot('created_by'),
        }),
    );
    this.updateUser = new PreparedQuery((slot) =>
      db
        .updateTable('scim_users')
        .set({
          ...(Object.fromEntries(columns.map((c) => [c, slot(c)])) as unknown as ReturnType<typeof userColumns>),
          last_modified: slot('last_modified'),
          version: slot('version') as unknown as number,
        })
        .where('seq', '=', slot('seq') as unknown as number),
    );
  }

  async create(data: ResourceData, effects: CreateUserEffects = {}): Promise<UserRecord> {
    const at = isoTime(this.clock);
    const row = { id: randomUUID(), ...userColumns(data), created: at, last_modified: at, version: 1, created_by: effects.createdBy ?? null };
    const write = async (db: Db) => {
      await this.insertUser.affected(db, row);
      await insertActivity(db, effects.activity ? { ...effects.activity, resourceId: row.id } : undefined, at);
      if (effects.inviteEmail) {
        // The outbox row commits with the user: an acknowledged create always gets its invitation.
        await sql`INSERT INTO invitations (id, user_seq, email, reason, status, attempts, next_attempt_at, created)
          SELECT ${randomUUID()}, seq, ${effects.inviteEmail}, 'auto', 'pending', 0, ${at}, ${at} FROM scim_users WHERE id = ${row.id}`.execute(db);
      } else if (effects.refusedInvite) {
        // Visible on the user's invitations as failed, with the reason; never sent.
        const { email, reason } = effects.refusedInvite;
        await sql`INSERT INTO invitations (id, user_seq, email, reason, status, attempts, next_attempt_at, last_error, created)
          SELECT ${randomUUID()}, seq, ${email.slice(0, 1000)}, 'auto', 'failed', 0, ${at}, ${reason}, ${at} FROM scim_users WHERE id = ${row.id}`.execute(db);
        await insertActivity(
          db,
          { actor: 'system', action: 'invitation.refused', resourceType: 'Invitation', resourceId: row.id, summary: `No invitation for ${String(data.userName)}: ${reason}` },
          at,
        );
      }
    };
    try {
      if (effects.activity || effects.inviteEmail || effects.refusedInvite) await this.db.transaction().execute(write);
      else await write(this.db);
    } catch (error) {
      throw this.translate(error, data);
    }
    return { id: row.id, data, created: at, lastModified: at, version: 1, ...(effects.createdBy ? { createdBy: effects.createdBy } : {}) };
  }

  async get(id: string, options: ReadUserOptions): Promise<UserRecord | undefined> {
    const row = await this.byId.executeTakeFirst(this.db, { id });
    if (!row) return undefined;
    return toUserRecord(row, options.groups ? await this.groupsOfUser.execute(this.db, { seq: row.seq }) : undefined);
  }

  async list(query: ListQuery, options: ReadUserOptions & UserListFilter): Promise<Page<UserRecord>> {
    const unique = query.sort || options.createdBy !== undefined ? undefined : uniqueLookup(query.filter);
    if (unique) return this.lookup(unique, query, options);
    return withListBudget(this.db, this.dialect, query, (db, budget) => this.listIn(db, query, options, budget));
  }

  private async listIn(db: Kysely<Tables>, query: ListQuery, options: ReadUserOptions & UserListFilter, budget: number | undefined): Promise<Page<UserRecord>> {
    const compiled = query.filter ? this.filters.compile(query.filter) : undefined;
    const seq = sql.ref<number>('u.seq');
    const from = () => {
      const q = restrict(db.selectFrom('scim_users as u'), this.dialect, seq, budget, compiled);
      return options.createdBy !== undefined ? q.where('u.created_by', '=', options.createdBy) : q;
    };
    const count = () => countRows(from());
    if (query.count === 0) return { totalResults: await count(), items: [] };
    let page = from().select(USER_COLUMNS);
    if (query.sort) {
      page = page.orderBy(this.filters.sortExpression(query.sort), query.sort.descending ? 'desc' : 'asc');
    }
    let groups: Map<number, GroupRef[]> | undefined;
    const { rows, totalResults } = await this.cursors.read(
      query,
      options.createdBy ?? '',
      async (after) => {
        const found = await readPage(page, from().select('u.seq'), seq, query, after);
        // The page's groups in one statement, before the byte budget (which counts them) cuts the page.
        if (options.groups) groups = await this.groupsOf(db, found.map((r) => r.seq));
        return withinBytes(found, query.maxBytes, (row) => row.data.length + groupsBytes(groups?.get(row.seq)));
      },
      count,
    );
    return { totalResults, items: rows.map((row) => toUserRecord(row, groups ? (groups.get(row.seq) ?? []) : undefined)) };
  }

  /**
   * `userName eq` (Okta's lookup before every create) or `id eq`: at most one row, read by a unique
   * index; totalResults is the number of rows found, the page a slice of them.
   */
  private async lookup(unique: NonNullable<ReturnType<typeof uniqueLookup>>, query: ListQuery, options: ReadUserOptions): Promise<Page<UserRecord>> {
    const rows =
      unique.column === 'id' ? await this.byId.execute(this.db, { id: unique.value }) : await this.byUserName.execute(this.db, { name: unique.value });
    const page = rows.slice(query.startIndex - 1, query.startIndex - 1 + query.count);
    const items: UserRecord[] = [];
    for (const row of page) items.push(toUserRecord(row, options.groups ? await this.groupsOfUser.execute(this.db, { seq: row.seq }) : undefined));
    return { totalResults: rows.length, items };
  }

  /** The groups of several users (a page), one statement per 500 users, in group order. */
  private async groupsOf(db: Db, userSeqs: readonly number[]): Promise<Map<number, GroupRef[]>> {
    const out = new Map<number, GroupRef[]>();
    for (const part of chunks(userSeqs)) {
      const rows = await db
        .selectFrom('scim_group_members as gm')
        .innerJoin('scim_groups as g', 'g.seq', 'gm.group_seq')
        .select(['gm.user_seq as userSeq', 'g.id as value', 'g.display_name as display'])
        .where('gm.user_seq', 'in', part)
        .orderBy('gm.user_seq')
        .orderBy('gm.group_seq')
        .execute();
      for (const { userSeq, value, display } of rows) appendTo(out, userSeq, { value, display });
    }
    return out;
  }

  async update(
    id: string,
    mutate: (current: UserRecord) => ResourceData,
    options: WriteOptions & ReadUserOptions & { describe?: (before: UserRecord, after: ResourceData) => ActivityInput | undefined },
  ): Promise<UserRecord | undefined> {
    return this.db.transaction().execute(async (trx) => {
      // Locked: inside a read-modify-write, hold the row until commit (another replica's write waits).
      const row = await this.byIdLocked.executeTakeFirst(trx, { id });
      if (!row) return undefined;
      if (options.ifVersion !== undefined && options.ifVersion !== row.version) throw new VersionMismatchError(row.version);
      const current = toUserRecord(row, options.groups ? await this.groupsOfUser.execute(trx, { seq: row.seq }) : undefined);
      const data = mutate(current);
      const serialized = JSON.stringify(data);
      if (serialized === row.data) return current; // an unchanged "touch" keeps version and lastModified
      const at = isoTime(this.clock);
      try {
        await this.updateUser.affected(trx, { ...userColumns(data), last_modified: at, version: row.version + 1, seq: row.seq });
      } catch (error) {
        throw this.translate(error, data);
      }
      await insertActivity(trx, options.describe?.(current, data), at);
      return { ...current, data, lastModified: at, version: row.version + 1 };
    });
  }

  async delete(id: string, options: WriteOptions & { activity?: ActivityInput } = {}): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const seq = await lockForDelete(trx, this.dialect, 'scim_users', id, options.ifVersion);
      if (seq === undefined) return false;
      await trx.deleteFrom('scim_group_members').where('user_seq', '=', seq).execute();
      await trx.deleteFrom('invitations').where('user_seq', '=', seq).execute();
      await trx.deleteFrom('scim_users').where('seq', '=', seq).execute();
      await insertActivity(trx, options.activity, isoTime(this.clock));
      return true;
    });
  }

  async removeExtensionValues(urn: string, name: string): Promise<number> {
    const path = [urn, name];
    const value = this.dialect.jsonScalar(sql.ref('data'), path);
    const result = await sql`UPDATE scim_users SET data = ${this.dialect.jsonRemove(sql.ref('data'), path)},
      data_folded = ${this.dialect.jsonRemove(sql.ref('data_folded'), path)},
      version = version + 1, last_modified = ${isoTime(this.clock)} WHERE ${value} IS NOT NULL`.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }

  private translate(error: unknown, data: ResourceData): unknown {
    return this.dialect.uniqueViolationColumn(error) === 'user_name_lower' ? new UniqueViolationError('userName', String(data.userName)) : error;
  }
}

function userColumns(data: ResourceData) {
  const userName = String(data.userName);
  return {
    user_name: userName,
    user_name_lower: foldText(userName),
    display_name: text(data.displayName),
    active: data.active === false ? 0 : 1,
    ...resourceDataColumns(data),
    search_text: userSearchText(data),
  };
}

/** What a user's groups add to its representation, for the byte budget (their JSON length). */
function groupsBytes(groups: readonly GroupRef[] | undefined): number {
  if (!groups) return 0;
  let bytes = 2;
  for (const g of groups) bytes += g.value.length + g.display.length + 26; // {"value":"","display":""},
  return bytes;
}
