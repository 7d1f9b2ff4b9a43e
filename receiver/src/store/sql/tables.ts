import type { Generated } from 'kysely';

/** Row shapes shared by the SQL stores (SQLite now; PostgreSQL uses the same tables). */
export interface UserRow {
  seq: Generated<number>;
  id: string;
  user_name: string;
  /** Unicode lower-case of user_name; unique, so lookups and the 409 check agree (doc §4). */
  user_name_lower: string;
  external_id: string | null;
  display_name: string | null;
  active: number;
  data: string;
  created: string;
  last_modified: string;
  version: number;
}

export interface GroupRow {
  seq: Generated<number>;
  id: string;
  display_name: string;
  display_name_lower: string;
  external_id: string | null;
  data: string;
  created: string;
  last_modified: string;
  version: number;
}

export interface GroupMemberRow {
  group_seq: number;
  user_seq: number;
}

export interface TokenRow {
  id: string;
  label: string;
  sha256: string;
  status: string;
  created: string;
  last_used: string | null;
}

export interface Tables {
  scim_users: UserRow;
  scim_groups: GroupRow;
  scim_group_members: GroupMemberRow;
  scim_tokens: TokenRow;
}
