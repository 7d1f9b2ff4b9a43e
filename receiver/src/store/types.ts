import type { AdminAccountStore, SessionStore } from './accounts';
import type { DirectoryStore } from './browse';
import type { ListQuery, Page } from '../schema/query';

export type ResourceData = Record<string, unknown>;

interface Versioned {
  readonly id: string;
  readonly created: string;
  readonly lastModified: string;
  /** Incremented on every change; published as the weak ETag `W/"<version>"`. */
  readonly version: number;
}

export interface UserRecord extends Versioned {
  /** Every stored attribute in canonical form, including userName and active; extensions under their URN. */
  readonly data: ResourceData;
  /** When the user followed an invitation link. */
  readonly enrolledAt?: string;
  /** The credential that created the user (a SCIM token id). */
  readonly createdBy?: string;
  /** The groups the user belongs to; present only when the caller asked for them. */
  readonly groups?: readonly GroupRef[];
}

export interface ReadUserOptions {
  /** Load the user's group memberships (one statement per page, not one query per user). */
  readonly groups: boolean;
}

export interface MemberRecord {
  readonly value: string;
  readonly display: string;
}

export interface GroupRef {
  readonly value: string;
  readonly display: string;
}

export interface GroupRecord extends Versioned {
  /** displayName, externalId and any other stored attribute; never the members. */
  readonly data: ResourceData;
  /** Present only when the caller asked for members. */
  readonly members?: readonly MemberRecord[];
}

/** Set-based membership and attribute changes, applied in one transaction in the order given. */
export type GroupChange =
  | { readonly kind: 'setData'; readonly data: ResourceData }
  | { readonly kind: 'addMembers'; readonly ids: readonly string[] }
  | { readonly kind: 'removeMembers'; readonly ids: readonly string[] }
  | { readonly kind: 'removeAllMembers' }
  | { readonly kind: 'replaceMembers'; readonly ids: readonly string[] };

export interface WriteOptions {
  /** Refuse the write (VersionMismatchError) unless the stored version equals this one. */
  readonly ifVersion?: number;
}

export type ActivityResource = 'User' | 'Group' | 'Token' | 'Settings' | 'Attribute' | 'Template' | 'Invitation' | 'Account';

/** One line of the audit trail. */
export interface ActivityInput {
  /** Who: a credential id (`env-1`, a token id), `admin:<key id>`, `config` or `system`. */
  readonly actor: string;
  /** What, as `<resource>.<verb>`: `user.create`, `group.patch`, `token.deactivate`, … */
  readonly action: string;
  readonly resourceType: ActivityResource;
  readonly resourceId?: string;
  readonly summary: string;
}

export interface ActivityRecord extends ActivityInput {
  readonly seq: number;
  readonly at: string;
}

export interface CreateUserEffects {
  readonly createdBy?: string;
  /** Written in the same transaction as the user. */
  readonly activity?: ActivityInput;
  /** Queue an automatic invitation to this address in the same transaction (the durable outbox). */
  readonly inviteEmail?: string;
  /**
   * An automatic invitation that must not go out: recorded as failed with this reason in the same
   * transaction, so the refusal is visible on the invitation (exclusive with inviteEmail).
   */
  readonly refusedInvite?: { readonly email: string; readonly reason: string };
}

export interface UserListFilter {
  /** Only users created by this credential. */
  readonly createdBy?: string;
}

export interface UserStore {
  /** Throws UniqueViolationError when userName is taken (case-insensitively). */
  create(data: ResourceData, effects?: CreateUserEffects): Promise<UserRecord>;
  get(id: string, options: ReadUserOptions): Promise<UserRecord | undefined>;
  list(query: ListQuery, options: ReadUserOptions & UserListFilter): Promise<Page<UserRecord>>;
  /**
   * Read-modify-write under the store's lock: `mutate` receives the current record and returns the new
   * data (or throws to abort). Returns undefined when the id is unknown.
   */
  update(
    id: string,
    mutate: (current: UserRecord) => ResourceData,
    options: WriteOptions & ReadUserOptions & { describe?: (before: UserRecord, after: ResourceData) => ActivityInput | undefined },
  ): Promise<UserRecord | undefined>;
  delete(id: string, options?: WriteOptions & { activity?: ActivityInput }): Promise<boolean>;
  /** Removes one extension attribute's values from every user (after its definition is deleted). */
  removeExtensionValues(urn: string, name: string): Promise<number>;
}

/** What a group write changed, for the audit trail. */
export interface GroupChangeSummary {
  readonly dataChanged: boolean;
  readonly added: number;
  readonly removed: number;
}

export interface GroupStore {
  /** Throws UniqueViolationError (displayName) or UnknownMembersError. */
  create(data: ResourceData, memberIds: readonly string[], effects?: { activity?: ActivityInput }): Promise<GroupRecord>;
  get(id: string, options: { members: boolean }): Promise<GroupRecord | undefined>;
  list(query: ListQuery, options: { members: boolean }): Promise<Page<GroupRecord>>;
  /**
   * Applies changes atomically: `changes` receives the current record (without members) under the
   * store's lock and returns what to do, or throws to abort. Returns undefined when the id is unknown.
   */
  modify(
    id: string,
    changes: (current: GroupRecord) => readonly GroupChange[],
    options: WriteOptions & {
      members: boolean;
      describe?: (before: GroupRecord, change: GroupChangeSummary) => ActivityInput | undefined;
    },
  ): Promise<GroupRecord | undefined>;
  delete(id: string, options?: WriteOptions & { activity?: ActivityInput }): Promise<boolean>;
  /** Member counts of the given groups. */
  memberCounts(ids: readonly string[]): Promise<Map<string, number>>;
  /** One page of a group's members, in membership order. */
  members(id: string, startIndex: number, count: number): Promise<Page<MemberRecord> | undefined>;
}

export type TokenStatus = 'active' | 'inactive';

/** SCIM tokens authenticate Okta; admin keys authenticate the admin API. */
export type CredentialKind = 'scim' | 'admin';

export interface TokenRecord {
  readonly id: string;
  readonly kind: CredentialKind;
  readonly label: string;
  /** Lower-case hex SHA-256 of the secret; the secret itself is never stored. */
  readonly sha256: string;
  readonly status: TokenStatus;
  readonly created: string;
  readonly lastUsed?: string;
}

export interface TokenStore {
  list(kind?: CredentialKind): Promise<TokenRecord[]>;
  get(id: string): Promise<TokenRecord | undefined>;
  insert(token: { label: string; sha256: string; kind?: CredentialKind }, activity?: ActivityInput): Promise<TokenRecord>;
  update(id: string, change: { status?: TokenStatus; sha256?: string }, activity?: ActivityInput): Promise<TokenRecord | undefined>;
  delete(id: string, activity?: ActivityInput): Promise<boolean>;
  touch(id: string, at: string): Promise<void>;
}

export type AttributeValueType = 'string' | 'boolean' | 'integer' | 'decimal' | 'dateTime' | 'reference';

/** A custom attribute of the receiver's extension schema. */
export interface AttributeDefinitionRecord {
  readonly name: string;
  readonly displayName: string;
  readonly type: AttributeValueType;
  readonly multiValued: boolean;
  readonly description: string;
  /** `code`: declared in the configuration file (read-only through the API); `idp`: added by an admin. */
  readonly origin: 'code' | 'idp';
  readonly created: string;
  readonly updated: string;
}

export type AttributeDefinitionInput = Omit<AttributeDefinitionRecord, 'created' | 'updated'>;

export interface AttributeStore {
  list(): Promise<AttributeDefinitionRecord[]>;
  /** Insert or replace by name (case-insensitive). */
  upsert(definition: AttributeDefinitionInput, activity?: ActivityInput): Promise<AttributeDefinitionRecord>;
  delete(name: string, activity?: ActivityInput): Promise<boolean>;
}

export interface SettingRecord {
  readonly key: string;
  readonly value: unknown;
  /** Declared in the configuration file: the API refuses to change it. */
  readonly managed: boolean;
  readonly updated: string;
}

export interface SettingsStore {
  list(): Promise<SettingRecord[]>;
  set(key: string, value: unknown, managed: boolean, activity?: ActivityInput): Promise<void>;
  /** Clears the managed flag of every key not in `keys`. */
  unmanageExcept(keys: readonly string[]): Promise<void>;
}

export interface TemplateRecord {
  readonly id: string;
  readonly name: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly created: string;
  readonly updated: string;
}

export interface TemplateStore {
  list(): Promise<TemplateRecord[]>;
  get(id: string): Promise<TemplateRecord | undefined>;
  /** Throws UniqueViolationError('name') when the name is taken. */
  insert(template: { name: string; fields: Record<string, string> }, activity?: ActivityInput): Promise<TemplateRecord>;
  update(id: string, template: { name: string; fields: Record<string, string> }, activity?: ActivityInput): Promise<TemplateRecord | undefined>;
  delete(id: string, activity?: ActivityInput): Promise<boolean>;
}

export type InvitationStatus = 'pending' | 'sent' | 'failed';

export interface InvitationRecord {
  readonly id: string;
  readonly userId: string;
  readonly userName: string;
  readonly email: string;
  readonly reason: 'auto' | 'manual';
  readonly status: InvitationStatus;
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly lastError?: string;
  readonly expiresAt?: string;
  readonly sentAt?: string;
  readonly acceptedAt?: string;
  readonly created: string;
}

export interface InvitationStore {
  /** An admin's (re-)invitation: a new pending invitation; earlier unaccepted ones stop working. */
  createManual(userId: string, email: string, activity?: ActivityInput): Promise<InvitationRecord | undefined>;
  /**
   * Claims pending invitations whose next attempt is due: their next attempt moves to `leaseUntil`, so a
   * concurrent pass (or another replica) does not pick them too. A crash mid-send retries after the lease.
   */
  claimDue(now: string, leaseUntil: string, limit: number): Promise<InvitationRecord[]>;
  /**
   * The e-mail went out carrying a link whose token has this digest. `claimedUntil` is the lease the
   * claim set (the claimed record's nextAttemptAt): when the invitation is no longer pending under that
   * claim (an admin re-invited meanwhile, superseding it), nothing changes and this returns false, so a
   * superseded invitation is never revived and its link never works.
   */
  markSent(id: string, claimedUntil: string, tokenSha256: string, sentAt: string, expiresAt: string): Promise<boolean>;
  /** As markSent: only while the claim is current; false otherwise. */
  markAttemptFailed(id: string, claimedUntil: string, error: string, nextAttemptAt: string, giveUp: boolean): Promise<boolean>;
  /** Gives claimed invitations back (due at `at`), e.g. when the worker stops before sending them. */
  release(claims: readonly { id: string; claimedUntil: string }[], at: string): Promise<void>;

  findByToken(tokenSha256: string): Promise<InvitationRecord | undefined>;
  /** Single use: marks the invitation accepted and the user enrolled; false when already used. */
  accept(id: string, at: string): Promise<boolean>;
  list(options: { userId?: string; status?: InvitationStatus; limit: number }): Promise<InvitationRecord[]>;
  counts(): Promise<Record<InvitationStatus, number>>;
}

export interface ActivityStore {
  append(entry: ActivityInput): Promise<void>;
  list(options: { limit: number; before?: number; resourceId?: string; action?: string }): Promise<ActivityRecord[]>;
  /** Deletes entries older than `before` (ISO time); returns how many. */
  prune(before: string): Promise<number>;
}

export interface UndeclaredAttributeRecord {
  readonly urn: string;
  readonly name: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly occurrences: number;
  readonly lastUser?: string;
}

export interface DiagnosticsStore {
  recordUndeclared(urn: string, names: readonly string[], userName: string): Promise<void>;
  undeclared(): Promise<UndeclaredAttributeRecord[]>;
  forgetUndeclared(urn: string, name: string): Promise<void>;
}

/** Everything the SCIM layer needs from persistence; SQLite today, PostgreSQL behind the same interface. */
export interface ScimStore {
  readonly users: UserStore;
  readonly groups: GroupStore;
  readonly tokens: TokenStore;
  readonly attributes: AttributeStore;
  readonly settings: SettingsStore;
  readonly templates: TemplateStore;
  readonly invitations: InvitationStore;
  readonly activity: ActivityStore;
  readonly diagnostics: DiagnosticsStore;
  /** Present when several receivers share the database (PostgreSQL). */
  readonly changes?: ChangeFeed;
  readonly jobs?: JobCoordinator;
  /** Keyset browsing for the admin portal. */
  readonly directory: DirectoryStore;
  readonly adminAccounts: AdminAccountStore;
  readonly sessions: SessionStore;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** In-memory caches a replica keeps (credentials, settings, the attribute registry). */
export type ChangeTopic = 'tokens' | 'settings' | 'attributes';

/**
 * Tells a replica that another one changed something it caches (PostgreSQL: LISTEN/NOTIFY, with a
 * version check after a reconnect). Absent with SQLite: one process owns the file.
 */
export interface ChangeFeed {
  /** Calls `listener` after each committed change of `topic`; returns the unsubscribe function. */
  subscribe(listener: (topic: ChangeTopic) => void): () => void;
}

/** Periodic jobs that must run on one replica per period (absent with SQLite: one process). */
export interface JobCoordinator {
  /**
   * Runs `job` unless another replica runs it right now or ran it less than `minIntervalMs` ago;
   * resolves to whether it ran here.
   */
  runExclusive(name: string, minIntervalMs: number, job: () => Promise<void>): Promise<boolean>;
}
