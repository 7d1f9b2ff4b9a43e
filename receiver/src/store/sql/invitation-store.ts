import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../time/clock';
import { isoTime } from '../../time/clock';
import type { SqlStoreDialect } from './dialect';
import type { ActivityInput, InvitationRecord, InvitationStatus, InvitationStore } from '../types';
import type { Db } from './shared';
import { insertActivity } from './shared';
import type { InvitationRow, Tables } from './tables';

/** An invitation row joined with its user's id and userName (what `select()` returns). */
type Joined = Omit<InvitationRow, 'user_seq' | 'token_sha256'> & { user_id: string; user_name: string };

function toInvitation(row: Joined): InvitationRecord {
  return {
    id: row.id,
    userId: row.user_id,
    userName: row.user_name,
    email: row.email,
    reason: row.reason as 'auto' | 'manual',
    status: row.status as InvitationStatus,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    ...(row.last_error ? { lastError: row.last_error } : {}),
    ...(row.expires_at ? { expiresAt: row.expires_at } : {}),
    ...(row.sent_at ? { sentAt: row.sent_at } : {}),
    ...(row.accepted_at ? { acceptedAt: row.accepted_at } : {}),
    created: row.created,
  };
}

/** The durable invitation outbox. */
export class SqlInvitationStore implements InvitationStore {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly dialect: SqlStoreDialect,
    private readonly clock: Clock,
  ) {}

  /** Takes the transaction when inside one: SQLite has one connection, a query on `this.db` there would wait forever. */
  private select(db: Db = this.db) {
    return db
      .selectFrom('invitations as i')
      .innerJoin('scim_users as u', 'u.seq', 'i.user_seq')
      .select([
        'i.id',
        'u.id as user_id',
        'u.user_name',
        'i.email',
        'i.reason',
        'i.status',
        'i.attempts',
        'i.next_attempt_at',
        'i.last_error',
        'i.expires_at',
        'i.sent_at',
        'i.accepted_at',
        'i.created',
      ]);
  }

  async createManual(userId: string, email: string, activity?: ActivityInput): Promise<InvitationRecord | undefined> {
    const id = randomUUID();
    const created = await this.db.transaction().execute(async (trx) => {
      const user = await trx.selectFrom('scim_users').select('seq').where('id', '=', userId).executeTakeFirst();
      if (!user) return false;
      const at = isoTime(this.clock);
      // Earlier links stop working: only the newest invitation of a user can be accepted.
      await trx
        .updateTable('invitations')
        .set({ token_sha256: null, expires_at: at })
        .where('user_seq', '=', user.seq)
        .where('accepted_at', 'is', null)
        .execute();
      await trx
        .updateTable('invitations')
        .set({ status: 'failed', last_error: 'superseded by a newer invitation' })
        .where('user_seq', '=', user.seq)
        .where('status', '=', 'pending')
        .execute();
      await trx
        .insertInto('invitations')
        .values({ id, user_seq: user.seq, email, reason: 'manual', status: 'pending', attempts: 0, next_attempt_at: at, created: at })
        .execute();
      await insertActivity(trx, activity, at);
      return true;
    });
    if (!created) return undefined;
    return toInvitation((await this.select().where('i.id', '=', id).executeTakeFirstOrThrow()) as Joined);
  }

  async claimDue(at: string, leaseUntil: string, limit: number): Promise<InvitationRecord[]> {
    return this.db.transaction().execute(async (trx) => {
      let due = trx
        .selectFrom('invitations as i')
        .select('i.id')
        .where('i.status', '=', 'pending')
        .where('i.next_attempt_at', '<=', at)
        .orderBy('i.next_attempt_at')
        .limit(limit);
      // Several replicas: rows another worker is claiming are skipped, not waited for or claimed twice.
      if (this.dialect.rowLocks) due = due.forUpdate().skipLocked();
      const rows = await due.execute();
      if (rows.length === 0) return [];
      const ids = rows.map((r) => r.id);
      await trx.updateTable('invitations').set({ next_attempt_at: leaseUntil }).where('id', 'in', ids).execute();
      const claimed = await this.select(trx).where('i.id', 'in', ids).execute();
      return claimed.map((r) => toInvitation(r as Joined));
    });
  }

  async markSent(id: string, claimedUntil: string, tokenSha256: string, sentAt: string, expiresAt: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('invitations')
        .set((eb) => ({ status: 'sent', token_sha256: tokenSha256, sent_at: sentAt, expires_at: expiresAt, last_error: null, attempts: eb('attempts', '+', 1) }))
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where('next_attempt_at', '=', claimedUntil)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      const row = await this.select(trx).where('i.id', '=', id).executeTakeFirst();
      if (row) {
        await insertActivity(
          trx,
          { actor: 'system', action: 'invitation.sent', resourceType: 'Invitation', resourceId: row.user_id, summary: `Invitation e-mailed to ${row.email}` },
          sentAt,
        );
      }
      return true;
    });
  }

  async markAttemptFailed(id: string, claimedUntil: string, error: string, nextAttemptAt: string, giveUp: boolean): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('invitations')
        .set((eb) => ({ status: giveUp ? 'failed' : 'pending', last_error: error.slice(0, 1000), next_attempt_at: nextAttemptAt, attempts: eb('attempts', '+', 1) }))
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where('next_attempt_at', '=', claimedUntil)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      if (giveUp) {
        const row = await this.select(trx).where('i.id', '=', id).executeTakeFirst();
        await insertActivity(trx, {
          actor: 'system',
          action: 'invitation.failed',
          resourceType: 'Invitation',
          ...(row ? { resourceId: row.user_id } : {}),
          summary: `Invitation to ${row?.email ?? '?'} failed: ${error.slice(0, 200)}`,
        }, isoTime(this.clock));
      }
      return true;
    });
  }

  async release(claims: readonly { id: string; claimedUntil: string }[], at: string): Promise<void> {
    if (claims.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (const claim of claims) {
        await trx
          .updateTable('invitations')
          .set({ next_attempt_at: at })
          .where('id', '=', claim.id)
          .where('status', '=', 'pending')
          .where('next_attempt_at', '=', claim.claimedUntil)
          .execute();
      }
    });
  }

  async findByToken(tokenSha256: string): Promise<InvitationRecord | undefined> {
    const row = await this.select().where('i.token_sha256', '=', tokenSha256).executeTakeFirst();
    return row ? toInvitation(row as Joined) : undefined;
  }

  async accept(id: string, at: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('invitations')
        .set({ accepted_at: at })
        .where('id', '=', id)
        .where('accepted_at', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return false;
      const invitation = await trx.selectFrom('invitations').select(['user_seq', 'email']).where('id', '=', id).executeTakeFirstOrThrow();
      await trx.updateTable('scim_users').set({ enrolled_at: at }).where('seq', '=', invitation.user_seq).execute();
      const user = await trx.selectFrom('scim_users').select('id').where('seq', '=', invitation.user_seq).executeTakeFirstOrThrow();
      await insertActivity(trx, { actor: 'system', action: 'invitation.accepted', resourceType: 'Invitation', resourceId: user.id, summary: `${invitation.email} enrolled` }, at);
      return true;
    });
  }

  async list(options: { userId?: string; status?: InvitationStatus; limit: number }): Promise<InvitationRecord[]> {
    let query = this.select().orderBy('i.created', 'desc').limit(options.limit);
    if (options.userId) query = query.where('u.id', '=', options.userId);
    if (options.status) query = query.where('i.status', '=', options.status);
    return (await query.execute()).map((r) => toInvitation(r as Joined));
  }

  async counts(): Promise<Record<InvitationStatus, number>> {
    const rows = await this.db.selectFrom('invitations').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
    const out: Record<InvitationStatus, number> = { pending: 0, sent: 0, failed: 0 };
    for (const row of rows) out[row.status as InvitationStatus] = Number(row.n);
    return out;
  }
}
