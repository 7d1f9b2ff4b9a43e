import type { Selectable } from 'kysely';
import type { GroupRecord, GroupRef, MemberRecord, ResourceData, UserRecord } from '../types';
import { foldedJson, text } from './shared';
import type { GroupRow, UserRow } from './tables';

// Rows of the user and group tables to and from records: shared by the SCIM stores and the portal's browsing.

/** Every column a user record needs (not data_folded, which only filters read). */
export const USER_COLUMNS = ['u.seq', 'u.id', 'u.data', 'u.created', 'u.last_modified', 'u.version', 'u.enrolled_at', 'u.created_by'] as const;

/** Every column a group record needs (not data_folded, which only filters read). */
export const GROUP_COLUMNS = ['g.seq', 'g.id', 'g.display_name', 'g.data', 'g.created', 'g.last_modified', 'g.version'] as const;

export type UserRead = Pick<Selectable<UserRow>, 'seq' | 'id' | 'data' | 'created' | 'last_modified' | 'version' | 'enrolled_at' | 'created_by'>;

type ResourceRead = Pick<Selectable<UserRow | GroupRow>, 'id' | 'data' | 'created' | 'last_modified' | 'version'>;

/**
 * The columns a user or group row derives from its data alike: externalId, and the JSON as sent and
 * folded (data_folded is always foldedJson(data), written together).
 */
export function resourceDataColumns(data: ResourceData) {
  return { external_id: text(data.externalId), data: JSON.stringify(data), data_folded: foldedJson(data) };
}

// The five fields users and groups share are written out in both mappers, not spread from a shared
// helper: on the read path (every GET, every list page) the spread costs ~40% more per record.

/** `groups` undefined: the caller did not ask for them (the record has no `groups` key). */
export function toUserRecord(row: UserRead, groups: readonly GroupRef[] | undefined): UserRecord {
  return {
    id: row.id,
    data: JSON.parse(row.data) as ResourceData,
    created: row.created,
    lastModified: row.last_modified,
    version: row.version,
    ...(groups !== undefined ? { groups } : {}),
    ...(row.enrolled_at ? { enrolledAt: row.enrolled_at } : {}),
    ...(row.created_by ? { createdBy: row.created_by } : {}),
  };
}

/** `members` undefined: the caller did not ask for them (the record has no `members` key). */
export function toGroupRecord(row: ResourceRead, members: readonly MemberRecord[] | undefined): GroupRecord {
  return {
    id: row.id,
    data: JSON.parse(row.data) as ResourceData,
    created: row.created,
    lastModified: row.last_modified,
    version: row.version,
    ...(members ? { members } : {}),
  };
}
