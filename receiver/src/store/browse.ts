import type { GroupRecord, UserRecord } from './types';

/**
 * Keyset browsing for the admin portal: a page continues after (or before) the last key shown, so the
 * thousandth page of 100,000 users costs what the first one does (no OFFSET scan).
 */
export type UserSortKey = 'userName' | 'created';

export interface UserBrowseQuery {
  /** Case-insensitive substring of userName, displayName or an e-mail address. */
  readonly search?: string;
  readonly active?: boolean;
  readonly sort: UserSortKey;
  readonly descending: boolean;
  /** Opaque cursors from a previous page; at most one. */
  readonly after?: string;
  readonly before?: string;
  readonly limit: number;
}

export interface BrowsePage<T> {
  readonly items: readonly T[];
  /** How many rows match the query (all pages). */
  readonly total: number;
  /** More rows match than `total` says (a broad search stops counting). */
  readonly totalCapped?: boolean;
  readonly next?: string;
  readonly previous?: string;
}

export interface GroupBrowseQuery {
  readonly search?: string;
  readonly after?: string;
  readonly before?: string;
  readonly limit: number;
}

export interface DirectoryStore {
  browseUsers(query: UserBrowseQuery): Promise<BrowsePage<UserRecord>>;
  browseGroups(query: GroupBrowseQuery): Promise<BrowsePage<GroupRecord & { readonly memberCount: number }>>;
}
