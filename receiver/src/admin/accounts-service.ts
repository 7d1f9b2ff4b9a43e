import { z } from 'zod';
import { generatePassword, hashPassword, verifyPassword, DUMMY_HASH_PROMISE } from '../auth/passwords';
import type { AdminAccountRecord } from '../store/accounts';
import { UniqueViolationError } from '../store/errors';
import type { ScimStore } from '../store/types';
import type { Clock } from '../time/clock';
import { isoAt } from '../time/clock';
import { AdminError, conflict, notFoundError } from './errors';
import { parse } from './validation';

export const Username = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/, 'expected 1 to 100 letters, digits, ".", "_", "@" or "-", starting with a letter or digit');

export interface IssuedPassword {
  readonly account: AdminAccountRecord;
  /** Shown once; only its scrypt hash is stored. */
  readonly password: string;
}

export interface ThrottleOptions {
  /** Failed attempts per account and client address before sign-in is refused for `lockSeconds`. */
  readonly maxAttempts: number;
  readonly lockSeconds: number;
}

export type SignInOutcome = { readonly ok: true; readonly account: AdminAccountRecord } | { readonly ok: false; readonly reason: 'invalid' | 'throttled'; readonly retryAfterSeconds?: number };

/** At most this many (account, address) pairs are tracked; the oldest is forgotten first. */
const MAX_TRACKED = 10_000;

/** Portal accounts: created at first start or by the CLI, passwords as scrypt hashes, sign-in throttled per account and address. */
export class AccountsService {
  private readonly failures = new Map<string, { count: number; since: number; lockedUntil?: number }>();

  constructor(
    private readonly store: ScimStore,
    private readonly throttle: ThrottleOptions,
    private readonly clock: Clock,
  ) {}

  list(): Promise<AdminAccountRecord[]> {
    return this.store.adminAccounts.list();
  }

  async create(rawUsername: string, actor: string): Promise<IssuedPassword> {
    const username = parse(Username, rawUsername);
    const password = generatePassword();
    try {
      const account = await this.store.adminAccounts.create(username, await hashPassword(password));
      await this.store.activity.append({ actor, action: 'admin-account.create', resourceType: 'Account', resourceId: account.id, summary: `Created portal account "${username}"` });
      return { account, password };
    } catch (error) {
      if (error instanceof UniqueViolationError) throw conflict(`A portal account named "${username}" already exists; use reset-admin.`, 'username');
      throw error;
    }
  }

  /** A new generated password; every session of the account ends. */
  async reset(username: string, actor: string): Promise<IssuedPassword> {
    const account = await this.store.adminAccounts.findByUsername(username);
    if (!account) throw notFoundError(`No portal account named "${username}".`);
    const password = generatePassword();
    await this.store.adminAccounts.setPassword(account.id, await hashPassword(password));
    await this.store.sessions.deleteForAccount(account.id);
    await this.store.activity.append({ actor, action: 'admin-account.reset', resourceType: 'Account', resourceId: account.id, summary: `Reset the password of portal account "${account.username}"` });
    return { account, password };
  }

  /** On a first start with no account, creates `username` and returns its password for printing once. */
  async bootstrap(username: string): Promise<IssuedPassword | undefined> {
    if ((await this.store.adminAccounts.list()).length > 0) return undefined;
    try {
      return await this.create(username, 'system');
    } catch (error) {
      // Another replica on the same database created it first: that one prints the password.
      if (error instanceof AdminError && error.status === 409) return undefined;
      throw error;
    }
  }

  async signIn(username: string, password: string, address: string): Promise<SignInOutcome> {
    const key = `${username.trim().toLowerCase()}\u0000${address}`;
    const now = this.clock.now();
    const entry = this.failures.get(key);
    if (entry?.lockedUntil !== undefined && entry.lockedUntil > now) {
      return { ok: false, reason: 'throttled', retryAfterSeconds: Math.ceil((entry.lockedUntil - now) / 1000) };
    }
    const account = username.length <= 100 && password.length <= 1000 ? await this.store.adminAccounts.findByUsername(username.trim()) : undefined;
    // Unknown accounts pay for a hash too: the answer time does not tell which names exist.
    const valid = await verifyPassword(password.slice(0, 1000), account?.passwordHash ?? (await DUMMY_HASH_PROMISE));
    if (!account || !valid) {
      this.recordFailure(key, now);
      const after = this.failures.get(key);
      if (after?.lockedUntil !== undefined) return { ok: false, reason: 'throttled', retryAfterSeconds: this.throttle.lockSeconds };
      return { ok: false, reason: 'invalid' };
    }
    this.failures.delete(key);
    await this.store.adminAccounts.recordLogin(account.id, isoAt(now));
    return { ok: true, account };
  }

  private recordFailure(key: string, now: number): void {
    const windowMs = this.throttle.lockSeconds * 1000;
    const previous = this.failures.get(key);
    const fresh = !previous || now - previous.since > windowMs || (previous.lockedUntil !== undefined && previous.lockedUntil <= now);
    const entry = fresh ? { count: 1, since: now } : { ...previous, count: previous.count + 1 };
    const next = entry.count >= this.throttle.maxAttempts ? { ...entry, lockedUntil: now + windowMs } : entry;
    this.failures.delete(key);
    this.failures.set(key, next);
    if (this.failures.size > MAX_TRACKED) this.failures.delete(this.failures.keys().next().value as string);
  }
}
