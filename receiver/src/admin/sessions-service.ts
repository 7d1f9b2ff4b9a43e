import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SessionRecord } from '../store/accounts';
import type { ScimStore } from '../store/types';
import type { Clock } from '../time/clock';
import { isoAt } from '../time/clock';

export interface SessionLimits {
  /** A session unused for this long ends. */
  readonly idleSeconds: number;
  /** A session ends this long after sign-in, whatever the activity. */
  readonly absoluteSeconds: number;
}

export interface OpenedSession {
  /** The cookie value (256 random bits); only its SHA-256 is stored. */
  readonly id: string;
  readonly session: SessionRecord;
}

export type SessionLookup = { readonly state: 'valid'; readonly session: SessionRecord } | { readonly state: 'expired' | 'none' };

const digest = (id: string) => createHash('sha256').update(id, 'utf8').digest('hex');

/** Server-side portal sessions with a synchronizer CSRF token, idle and absolute expiry. */
export class SessionsService {
  constructor(
    private readonly store: ScimStore,
    readonly limits: SessionLimits,
    private readonly clock: Clock,
  ) {}

  async open(principal: string, accountId?: string): Promise<OpenedSession> {
    const id = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const session: SessionRecord = {
      idSha256: digest(id),
      ...(accountId ? { accountId } : {}),
      principal,
      csrfToken: randomBytes(32).toString('base64url'),
      created: isoAt(now),
      lastSeen: isoAt(now),
      expiresAt: isoAt(now + this.limits.absoluteSeconds * 1000),
    };
    await this.store.sessions.create(session);
    return { id, session };
  }

  async resolve(id: string | undefined): Promise<SessionLookup> {
    if (!id || id.length > 200) return { state: 'none' };
    const session = await this.store.sessions.get(digest(id));
    if (!session) return { state: 'none' };
    const now = this.clock.now();
    const idleDeadline = Date.parse(session.lastSeen) + this.limits.idleSeconds * 1000;
    if (Date.parse(session.expiresAt) <= now || idleDeadline <= now) {
      await this.store.sessions.delete(session.idSha256);
      return { state: 'expired' };
    }
    // Recording activity at most every tenth of the idle window keeps reads from writing on every page.
    if (now - Date.parse(session.lastSeen) >= Math.min(60_000, (this.limits.idleSeconds * 1000) / 10)) {
      await this.store.sessions.touch(session.idSha256, isoAt(now));
    }
    return { state: 'valid', session };
  }

  async close(id: string | undefined): Promise<void> {
    if (id && id.length <= 200) await this.store.sessions.delete(digest(id));
  }

  /** Removes expired sessions (called periodically). */
  prune(): Promise<number> {
    const now = this.clock.now();
    return this.store.sessions.prune(isoAt(now), isoAt(now - this.limits.idleSeconds * 1000));
  }

  static csrfMatches(session: SessionRecord, presented: unknown): boolean {
    if (typeof presented !== 'string' || presented.length === 0 || presented.length > 200) return false;
    const a = Buffer.from(session.csrfToken);
    const b = Buffer.from(presented);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}
