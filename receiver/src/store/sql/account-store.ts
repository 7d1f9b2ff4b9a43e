import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../time/clock';
import { isoTime } from '../../time/clock';
import type { AdminAccountRecord, AdminAccountStore, SessionRecord, SessionStore } from '../accounts';
import { UniqueViolationError } from '../errors';
import type { SqlStoreDialect } from './dialect';
import type { AdminAccountRow, AdminSessionRow, Tables } from './tables';

export class SqlAdminAccountStore implements AdminAccountStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly dialect: SqlStoreDialect,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<AdminAccountRecord[]> {
    return (await this.db.selectFrom('admin_accounts').selectAll().orderBy('username_lower').execute()).map(toAccount);
  }

  async findByUsername(username: string): Promise<AdminAccountRecord | undefined> {
    const row = await this.db.selectFrom('admin_accounts').selectAll().where('username_lower', '=', username.toLowerCase()).executeTakeFirst();
    return row ? toAccount(row) : undefined;
  }

  async get(id: string): Promise<AdminAccountRecord | undefined> {
    const row = await this.db.selectFrom('admin_accounts').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toAccount(row) : undefined;
  }

  async create(username: string, passwordHash: string): Promise<AdminAccountRecord> {
    const at = isoTime(this.clock);
    const row: AdminAccountRow = { id: randomUUID(), username, username_lower: username.toLowerCase(), password_hash: passwordHash, created: at, updated: at, last_login: null };
    try {
      await this.db.insertInto('admin_accounts').values(row).execute();
    } catch (error) {
      if (this.dialect.uniqueViolationColumn(error) === 'username_lower') throw new UniqueViolationError('name', username);
      throw error;
    }
    return toAccount(row);
  }

  async setPassword(id: string, passwordHash: string): Promise<boolean> {
    const result = await this.db.updateTable('admin_accounts').set({ password_hash: passwordHash, updated: isoTime(this.clock) }).where('id', '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async recordLogin(id: string, at: string): Promise<void> {
    await this.db.updateTable('admin_accounts').set({ last_login: at }).where('id', '=', id).execute();
  }
}

function toAccount(row: AdminAccountRow): AdminAccountRecord {
  return {
    id: row.id,
    username: row.username,
    passwordHash: row.password_hash,
    created: row.created,
    updated: row.updated,
    ...(row.last_login ? { lastLogin: row.last_login } : {}),
  };
}

export class SqlSessionStore implements SessionStore {
  constructor(private readonly db: Kysely<Tables>) {}

  async create(session: SessionRecord): Promise<void> {
    await this.db
      .insertInto('admin_sessions')
      .values({
        id_sha256: session.idSha256,
        account_id: session.accountId ?? null,
        principal: session.principal,
        csrf_token: session.csrfToken,
        created: session.created,
        last_seen: session.lastSeen,
        expires_at: session.expiresAt,
      })
      .execute();
  }

  async get(idSha256: string): Promise<SessionRecord | undefined> {
    const row = await this.db.selectFrom('admin_sessions').selectAll().where('id_sha256', '=', idSha256).executeTakeFirst();
    return row ? toSession(row) : undefined;
  }

  async touch(idSha256: string, at: string): Promise<void> {
    await this.db.updateTable('admin_sessions').set({ last_seen: at }).where('id_sha256', '=', idSha256).execute();
  }

  async delete(idSha256: string): Promise<void> {
    await this.db.deleteFrom('admin_sessions').where('id_sha256', '=', idSha256).execute();
  }

  async deleteForAccount(accountId: string): Promise<number> {
    const result = await this.db.deleteFrom('admin_sessions').where('account_id', '=', accountId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async prune(at: string, idleBefore: string): Promise<number> {
    const result = await this.db
      .deleteFrom('admin_sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', at), eb('last_seen', '<', idleBefore)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function toSession(row: AdminSessionRow): SessionRecord {
  return {
    idSha256: row.id_sha256,
    ...(row.account_id ? { accountId: row.account_id } : {}),
    principal: row.principal,
    csrfToken: row.csrf_token,
    created: row.created,
    lastSeen: row.last_seen,
    expiresAt: row.expires_at,
  };
}
