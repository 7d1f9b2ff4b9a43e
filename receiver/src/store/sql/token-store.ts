import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../time/clock';
import { isoTime } from '../../time/clock';
import type { ActivityInput, CredentialKind, TokenRecord, TokenStatus, TokenStore } from '../types';
import { deleteRecorded, insertActivity } from './shared';
import type { Tables, TokenRow } from './tables';

export class SqlTokenStore implements TokenStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly clock: Clock,
  ) {}

  async list(kind?: CredentialKind): Promise<TokenRecord[]> {
    let query = this.db.selectFrom('scim_tokens').selectAll().orderBy('created').orderBy('id');
    if (kind) query = query.where('kind', '=', kind);
    return (await query.execute()).map(toTokenRecord);
  }

  async get(id: string): Promise<TokenRecord | undefined> {
    const row = await this.db.selectFrom('scim_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toTokenRecord(row) : undefined;
  }

  async insert(token: { label: string; sha256: string; kind?: CredentialKind }, activity?: ActivityInput): Promise<TokenRecord> {
    const row: TokenRow = {
      id: randomUUID(),
      label: token.label,
      sha256: token.sha256,
      status: 'active',
      created: isoTime(this.clock),
      last_used: null,
      kind: token.kind ?? 'scim',
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('scim_tokens').values(row).execute();
      await insertActivity(trx, activity ? { ...activity, resourceId: row.id } : undefined, row.created);
    });
    return toTokenRecord(row);
  }

  async update(id: string, change: { status?: TokenStatus; sha256?: string }, activity?: ActivityInput): Promise<TokenRecord | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const set = {
        ...(change.status ? { status: change.status } : {}),
        // A renewed secret has not been used yet.
        ...(change.sha256 ? { sha256: change.sha256, last_used: null, created: isoTime(this.clock) } : {}),
      };
      const result = await trx.updateTable('scim_tokens').set(set).where('id', '=', id).executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return undefined;
      await insertActivity(trx, activity, isoTime(this.clock));
      const row = await trx.selectFrom('scim_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return toTokenRecord(row);
    });
  }

  async delete(id: string, activity?: ActivityInput): Promise<boolean> {
    return deleteRecorded(this.db, this.clock, activity, (trx) => trx.deleteFrom('scim_tokens').where('id', '=', id).executeTakeFirst());
  }

  async touch(id: string, at: string): Promise<void> {
    await this.db.updateTable('scim_tokens').set({ last_used: at }).where('id', '=', id).execute();
  }
}

function toTokenRecord(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    kind: row.kind as CredentialKind,
    label: row.label,
    sha256: row.sha256,
    status: row.status as TokenStatus,
    created: row.created,
    ...(row.last_used ? { lastUsed: row.last_used } : {}),
  };
}
