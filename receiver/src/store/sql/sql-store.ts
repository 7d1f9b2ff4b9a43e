import { randomUUID } from 'node:crypto';
import type { Kysely, RawBuilder, Selectable, SqlBool, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { AttributeRef } from '../../scim/resource-types';
import { UniqueViolationError, UnknownMembersError, VersionMismatchError } from '../errors';
import type { ListQuery, Page } from '../query';
import type {
  GroupChange,
  GroupRecord,
  GroupRef,
  GroupStore,
  MemberRecord,
  ReadUserOptions,
  ResourceData,
  ScimStore,
  TokenRecord,
  TokenStatus,
  TokenStore,
  UserRecord,
  UserStore,
  WriteOptions,
} from '../types';
import type { AttributeLocation, ResourceTableMapping, SqlStoreDialect } from './filter-compiler';
import { FilterCompiler } from './filter-compiler';
import { PageCursors } from './page-cursors';
import type { GroupRow, Tables, TokenRow, UserRow } from './tables';

type Db = Kysely<Tables> | Transaction<Tables>;

const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
/** Chunk size for IN lists, well under SQLite's default limit of bound parameters. */
const IN_CHUNK = 500;

function now(): string {
  return new Date().toISOString();
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function metaLocation(ref: AttributeRef, columns: { created: RawBuilder<unknown>; lastModified: RawBuilder<unknown> }): AttributeLocation | undefined {
  if (ref.attribute.name !== 'meta') return undefined;
  switch (ref.subAttribute?.name) {
    case 'created':
      return { kind: 'column', expr: columns.created };
    case 'lastModified':
      return { kind: 'column', expr: columns.lastModified };
    case 'resourceType':
      return undefined;
    default:
      return undefined;
  }
}

function chunks<T>(items: readonly T[], size = IN_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** SCIM persistence over Kysely; dialect differences live in `SqlStoreDialect` and the migrations. */
export class SqlScimStore implements ScimStore {
  readonly users: UserStore;
  readonly groups: GroupStore;
  readonly tokens: TokenStore;

  constructor(
    private readonly db: Kysely<Tables>,
    dialect: SqlStoreDialect,
    private readonly onClose: () => Promise<void>,
  ) {
    this.users = new SqlUserStore(db, dialect);
    this.groups = new SqlGroupStore(db, dialect);
    this.tokens = new SqlTokenStore(db);
  }

  async ping(): Promise<void> {
    await sql`SELECT 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}

class SqlUserStore implements UserStore {
  private readonly filters: FilterCompiler;
  private readonly cursors = new PageCursors();

  constructor(
    private readonly db: Kysely<Tables>,
    private readonly dialect: SqlStoreDialect,
  ) {
    const mapping: ResourceTableMapping = {
      dataColumn: sql.ref('u.data'),
      locate: (ref) => {
        if (ref.inExtension || ref.schema !== CORE_USER) return { kind: 'json' };
        switch (ref.attribute.name) {
          case 'id':
            return { kind: 'column', expr: sql.ref('u.id') };
          case 'userName':
            return { kind: 'column', expr: sql.ref('u.user_name_lower'), preLowered: true };
          case 'externalId':
            return { kind: 'column', expr: sql.ref('u.external_id') };
          case 'displayName':
            return { kind: 'column', expr: sql.ref('u.display_name') };
          case 'active':
            return { kind: 'column', expr: sql.ref('u.active') };
          case 'meta':
            return (
              metaLocation(ref, { created: sql.ref('u.created'), lastModified: sql.ref('u.last_modified') }) ?? {
                kind: 'constant',
                value: ref.subAttribute?.name === 'resourceType' ? 'User' : '',
              }
            );
          case 'groups':
            return {
              kind: 'relation',
              exists: (predicate) =>
                sql<SqlBool>`EXISTS (SELECT 1 FROM scim_group_members gm JOIN scim_groups g ON g.seq = gm.group_seq WHERE gm.user_seq = u.seq AND ${predicate(
                  (name) =>
                    name === 'value' ? sql.ref('g.id') : name === 'display' ? sql.ref('g.display_name') : name === 'type' ? sql.lit('direct') : undefined,
                )})`,
            };
          default:
            return { kind: 'json' };
        }
      },
    };
    this.filters = new FilterCompiler(dialect, mapping);
  }

  async create(data: ResourceData): Promise<UserRecord> {
    const at = now();
    const row = { id: randomUUID(), ...userColumns(data), created: at, last_modified: at, version: 1 };
    try {
      await this.db.insertInto('scim_users').values(row).execute();
    } catch (error) {
      throw this.translate(error, data);
    }
    return { id: row.id, data, created: at, lastModified: at, version: 1 };
  }

  async get(id: string, options: ReadUserOptions): Promise<UserRecord | undefined> {
    const row = await this.read(this.db, id, options.groups);
    return row ? toUserRecord(row) : undefined;
  }

  async list(query: ListQuery, options: ReadUserOptions): Promise<Page<UserRecord>> {
    let base = this.db.selectFrom('scim_users as u');
    if (query.filter) base = base.where(this.filters.compile(query.filter));
    const count = async () => Number((await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()).total);
    if (query.count === 0) return { totalResults: await count(), items: [] };
    let page = base.selectAll('u');
    if (options.groups) page = page.select(this.groupsColumn().as('groups_json'));
    if (query.sort) {
      page = page.orderBy(this.filters.sortExpression(query.sort), query.sort.descending ? 'desc' : 'asc');
    }
    const after = this.cursors.find(query);
    const rows =
      after === undefined
        ? await page.orderBy('u.seq').limit(query.count).offset(query.startIndex - 1).execute()
        : await page.where('u.seq', '>', after).orderBy('u.seq').limit(query.count).execute();
    this.cursors.remember(query, rows.length, rows.at(-1)?.seq);
    return { totalResults: await totalOf(query, rows.length, count), items: rows.map(toUserRecord) };
  }

  /** The user's groups as a JSON array text, from one correlated subquery. */
  private groupsColumn() {
    return this.dialect.jsonObjectArray(
      sql`SELECT g.id AS value, g.display_name AS display FROM scim_group_members gm
        JOIN scim_groups g ON g.seq = gm.group_seq WHERE gm.user_seq = u.seq ORDER BY g.seq`,
      ['value', 'display'],
    ) as RawBuilder<string>;
  }

  private async read(db: Db, id: string, groups: boolean) {
    let query = db.selectFrom('scim_users as u').selectAll('u').where('u.id', '=', id);
    if (groups) query = query.select(this.groupsColumn().as('groups_json'));
    return query.executeTakeFirst();
  }

  async update(
    id: string,
    mutate: (current: UserRecord) => ResourceData,
    options: WriteOptions & ReadUserOptions,
  ): Promise<UserRecord | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await this.read(trx, id, options.groups);
      if (!row) return undefined;
      if (options.ifVersion !== undefined && options.ifVersion !== row.version) throw new VersionMismatchError(row.version);
      const current = toUserRecord(row);
      const data = mutate(current);
      const serialized = JSON.stringify(data);
      if (serialized === row.data) return current; // an unchanged "touch" keeps version and lastModified
      const at = now();
      try {
        await trx
          .updateTable('scim_users')
          .set({ ...userColumns(data), last_modified: at, version: row.version + 1 })
          .where('seq', '=', row.seq)
          .execute();
      } catch (error) {
        throw this.translate(error, data);
      }
      return { ...current, data, lastModified: at, version: row.version + 1 };
    });
  }

  async delete(id: string, options: WriteOptions = {}): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('scim_users').select(['seq', 'version']).where('id', '=', id).executeTakeFirst();
      if (!row) return false;
      if (options.ifVersion !== undefined && options.ifVersion !== row.version) throw new VersionMismatchError(row.version);
      await trx.deleteFrom('scim_group_members').where('user_seq', '=', row.seq).execute();
      await trx.deleteFrom('scim_users').where('seq', '=', row.seq).execute();
      return true;
    });
  }

  private translate(error: unknown, data: ResourceData): unknown {
    const column = this.dialect.uniqueViolationColumn(error);
    if (column === 'user_name_lower') return new UniqueViolationError('userName', String(data.userName));
    return error;
  }
}

function userColumns(data: ResourceData) {
  const userName = String(data.userName);
  return {
    user_name: userName,
    user_name_lower: userName.toLowerCase(),
    external_id: text(data.externalId),
    display_name: text(data.displayName),
    active: data.active === false ? 0 : 1,
    data: JSON.stringify(data),
  };
}

function toUserRecord(row: Selectable<UserRow> & { groups_json?: string }): UserRecord {
  return {
    id: row.id,
    data: JSON.parse(row.data) as ResourceData,
    created: row.created,
    lastModified: row.last_modified,
    version: row.version,
    ...(row.groups_json !== undefined ? { groups: JSON.parse(row.groups_json) as GroupRef[] } : {}),
  };
}

/**
 * totalResults without a COUNT when the page itself tells it: a short page (or an empty first page)
 * ends the result set. Okta's lookups (0 or 1 match, count=100) never pay for a second query.
 */
async function totalOf(query: ListQuery, rows: number, count: () => Promise<number>): Promise<number> {
  if (rows > 0 && rows < query.count) return query.startIndex - 1 + rows;
  if (rows === 0 && query.startIndex === 1) return 0;
  return count();
}

class SqlGroupStore implements GroupStore {
  private readonly filters: FilterCompiler;
  private readonly cursors = new PageCursors();

  constructor(
    private readonly db: Kysely<Tables>,
    private readonly dialect: SqlStoreDialect,
  ) {
    const mapping: ResourceTableMapping = {
      dataColumn: sql.ref('g.data'),
      locate: (ref) => {
        if (ref.inExtension || ref.schema !== CORE_GROUP) return { kind: 'json' };
        switch (ref.attribute.name) {
          case 'id':
            return { kind: 'column', expr: sql.ref('g.id') };
          case 'displayName':
            return { kind: 'column', expr: sql.ref('g.display_name_lower'), preLowered: true };
          case 'externalId':
            return { kind: 'column', expr: sql.ref('g.external_id') };
          case 'meta':
            return (
              metaLocation(ref, { created: sql.ref('g.created'), lastModified: sql.ref('g.last_modified') }) ?? {
                kind: 'constant',
                value: ref.subAttribute?.name === 'resourceType' ? 'Group' : '',
              }
            );
          case 'members':
            return {
              kind: 'relation',
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
            };
          default:
            return { kind: 'json' };
        }
      },
    };
    this.filters = new FilterCompiler(dialect, mapping);
  }

  async create(data: ResourceData, memberIds: readonly string[]): Promise<GroupRecord> {
    return this.db.transaction().execute(async (trx) => {
      const at = now();
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
      await this.addMembers(trx, row.seq, memberIds);
      return { id, data, created: at, lastModified: at, version: 1, members: await this.membersOf(trx, row.seq) };
    });
  }

  async get(id: string, options: { members: boolean }): Promise<GroupRecord | undefined> {
    const row = await this.db.selectFrom('scim_groups').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return toGroupRecord(row, options.members ? await this.membersOf(this.db, row.seq) : undefined);
  }

  async list(query: ListQuery, options: { members: boolean }): Promise<Page<GroupRecord>> {
    let base = this.db.selectFrom('scim_groups as g');
    if (query.filter) base = base.where(this.filters.compile(query.filter));
    const count = async () => Number((await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()).total);
    if (query.count === 0) return { totalResults: await count(), items: [] };
    let page = base.selectAll('g');
    if (query.sort) page = page.orderBy(this.filters.sortExpression(query.sort), query.sort.descending ? 'desc' : 'asc');
    const after = this.cursors.find(query);
    const rows =
      after === undefined
        ? await page.orderBy('g.seq').limit(query.count).offset(query.startIndex - 1).execute()
        : await page.where('g.seq', '>', after).orderBy('g.seq').limit(query.count).execute();
    this.cursors.remember(query, rows.length, rows.at(-1)?.seq);
    const totalResults = await totalOf(query, rows.length, count);
    if (!options.members) return { totalResults, items: rows.map((r) => toGroupRecord(r, undefined)) };
    const members = await this.membersOfMany(rows.map((r) => r.seq));
    return { totalResults, items: rows.map((r) => toGroupRecord(r, members.get(r.seq) ?? [])) };
  }

  async modify(
    id: string,
    changes: (current: GroupRecord) => readonly GroupChange[],
    options: WriteOptions & { members: boolean },
  ): Promise<GroupRecord | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('scim_groups').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      if (options.ifVersion !== undefined && options.ifVersion !== row.version) throw new VersionMismatchError(row.version);
      let data = JSON.parse(row.data) as ResourceData;
      let changed = false;
      for (const change of changes(toGroupRecord(row, undefined))) {
        switch (change.kind) {
          case 'setData':
            if (JSON.stringify(change.data) !== JSON.stringify(data)) {
              data = change.data;
              changed = true;
            }
            break;
          case 'addMembers':
            changed = (await this.addMembers(trx, row.seq, change.ids)) > 0 || changed;
            break;
          case 'removeMembers':
            changed = (await this.removeMembers(trx, row.seq, change.ids)) > 0 || changed;
            break;
          case 'removeAllMembers': {
            const result = await trx.deleteFrom('scim_group_members').where('group_seq', '=', row.seq).executeTakeFirst();
            changed = Number(result.numDeletedRows) > 0 || changed;
            break;
          }
          case 'replaceMembers':
            changed = (await this.replaceMembers(trx, row.seq, change.ids)) || changed;
            break;
        }
      }
      let version = row.version;
      let lastModified = row.last_modified;
      if (changed) {
        version += 1;
        lastModified = now();
        try {
          await trx
            .updateTable('scim_groups')
            .set({ ...groupColumns(data), last_modified: lastModified, version })
            .where('seq', '=', row.seq)
            .execute();
        } catch (error) {
          throw this.translate(error, data);
        }
      }
      const members = options.members ? await this.membersOf(trx, row.seq) : undefined;
      return { id, data, created: row.created, lastModified, version, ...(members ? { members } : {}) };
    });
  }

  async delete(id: string, options: WriteOptions = {}): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('scim_groups').select(['seq', 'version']).where('id', '=', id).executeTakeFirst();
      if (!row) return false;
      if (options.ifVersion !== undefined && options.ifVersion !== row.version) throw new VersionMismatchError(row.version);
      await trx.deleteFrom('scim_group_members').where('group_seq', '=', row.seq).execute();
      await trx.deleteFrom('scim_groups').where('seq', '=', row.seq).execute();
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
  private async replaceMembers(db: Db, groupSeq: number, ids: readonly string[]): Promise<boolean> {
    const unique = [...new Set(ids)];
    await this.assertUsersExist(db, unique);
    const removed = await sql`DELETE FROM scim_group_members WHERE group_seq = ${groupSeq}
      AND user_seq NOT IN (SELECT u.seq FROM scim_users u WHERE u.id IN (${this.dialect.textList(unique)}))`.execute(db);
    const added = unique.length === 0 ? 0 : await this.addMembers(db, groupSeq, unique);
    return Number(removed.numAffectedRows ?? 0) > 0 || added > 0;
  }

  private async membersOf(db: Db, groupSeq: number): Promise<MemberRecord[]> {
    return db
      .selectFrom('scim_group_members as gm')
      .innerJoin('scim_users as u', 'u.seq', 'gm.user_seq')
      .select(['u.id as value', sql<string>`coalesce(u.display_name, u.user_name)`.as('display')])
      .where('gm.group_seq', '=', groupSeq)
      .orderBy('gm.user_seq')
      .execute();
  }

  private async membersOfMany(groupSeqs: readonly number[]): Promise<Map<number, MemberRecord[]>> {
    const out = new Map<number, MemberRecord[]>();
    for (const seqs of chunks(groupSeqs)) {
      if (seqs.length === 0) continue;
      const rows = await this.db
        .selectFrom('scim_group_members as gm')
        .innerJoin('scim_users as u', 'u.seq', 'gm.user_seq')
        .select(['gm.group_seq as groupSeq', 'u.id as value', sql<string>`coalesce(u.display_name, u.user_name)`.as('display')])
        .where('gm.group_seq', 'in', seqs)
        .orderBy('gm.group_seq')
        .orderBy('gm.user_seq')
        .execute();
      for (const row of rows) {
        const list = out.get(row.groupSeq) ?? [];
        list.push({ value: row.value, display: row.display });
        out.set(row.groupSeq, list);
      }
    }
    return out;
  }

  private translate(error: unknown, data: ResourceData): unknown {
    const column = this.dialect.uniqueViolationColumn(error);
    if (column === 'display_name_lower') return new UniqueViolationError('displayName', String(data.displayName));
    return error;
  }
}

function groupColumns(data: ResourceData) {
  const displayName = String(data.displayName);
  return {
    display_name: displayName,
    display_name_lower: displayName.toLowerCase(),
    external_id: text(data.externalId),
    data: JSON.stringify(data),
  };
}

function toGroupRecord(row: Selectable<GroupRow>, members: readonly MemberRecord[] | undefined): GroupRecord {
  return {
    id: row.id,
    data: JSON.parse(row.data) as ResourceData,
    created: row.created,
    lastModified: row.last_modified,
    version: row.version,
    ...(members ? { members } : {}),
  };
}

class SqlTokenStore implements TokenStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async list(): Promise<TokenRecord[]> {
    const rows = await this.db.selectFrom('scim_tokens').selectAll().orderBy('created').execute();
    return rows.map(toTokenRecord);
  }

  async insert(token: { label: string; sha256: string }): Promise<TokenRecord> {
    const row: TokenRow = { id: randomUUID(), label: token.label, sha256: token.sha256, status: 'active', created: now(), last_used: null };
    await this.db.insertInto('scim_tokens').values(row).execute();
    return toTokenRecord(row);
  }

  async touch(id: string, at: string): Promise<void> {
    await this.db.updateTable('scim_tokens').set({ last_used: at }).where('id', '=', id).execute();
  }
}

function toTokenRecord(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    label: row.label,
    sha256: row.sha256,
    status: row.status as TokenStatus,
    created: row.created,
    ...(row.last_used ? { lastUsed: row.last_used } : {}),
  };
}
