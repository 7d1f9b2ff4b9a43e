import type { ListQuery, Page } from './query';

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
  /** The groups the user belongs to; present only when the caller asked for them. */
  readonly groups?: readonly GroupRef[];
}

export interface ReadUserOptions {
  /** Load the user's group memberships (one subquery, not one query per user). */
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

export interface UserStore {
  /** Throws UniqueViolationError when userName is taken (case-insensitively). */
  create(data: ResourceData): Promise<UserRecord>;
  get(id: string, options: ReadUserOptions): Promise<UserRecord | undefined>;
  list(query: ListQuery, options: ReadUserOptions): Promise<Page<UserRecord>>;
  /**
   * Read-modify-write under the store's lock: `mutate` receives the current record and returns the new
   * data (or throws to abort). Returns undefined when the id is unknown.
   */
  update(
    id: string,
    mutate: (current: UserRecord) => ResourceData,
    options: WriteOptions & ReadUserOptions,
  ): Promise<UserRecord | undefined>;
  delete(id: string, options?: WriteOptions): Promise<boolean>;
}

export interface GroupStore {
  /** Throws UniqueViolationError (displayName) or UnknownMembersError. */
  create(data: ResourceData, memberIds: readonly string[]): Promise<GroupRecord>;
  get(id: string, options: { members: boolean }): Promise<GroupRecord | undefined>;
  list(query: ListQuery, options: { members: boolean }): Promise<Page<GroupRecord>>;
  /**
   * Applies changes atomically: `changes` receives the current record (without members) under the
   * store's lock and returns what to do, or throws to abort. Returns undefined when the id is unknown.
   */
  modify(
    id: string,
    changes: (current: GroupRecord) => readonly GroupChange[],
    options: WriteOptions & { members: boolean },
  ): Promise<GroupRecord | undefined>;
  delete(id: string, options?: WriteOptions): Promise<boolean>;
}

export type TokenStatus = 'active' | 'inactive';

export interface TokenRecord {
  readonly id: string;
  readonly label: string;
  /** Lower-case hex SHA-256 of the secret; the secret itself is never stored. */
  readonly sha256: string;
  readonly status: TokenStatus;
  readonly created: string;
  readonly lastUsed?: string;
}

export interface TokenStore {
  list(): Promise<TokenRecord[]>;
  insert(token: { label: string; sha256: string }): Promise<TokenRecord>;
  touch(id: string, at: string): Promise<void>;
}

/** Everything the SCIM layer needs from persistence; SQLite today, PostgreSQL behind the same interface. */
export interface ScimStore {
  readonly users: UserStore;
  readonly groups: GroupStore;
  readonly tokens: TokenStore;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
