import type { Generated } from 'kysely';

/** Row shapes shared by the SQL stores (SQLite now; PostgreSQL uses the same tables). */
export interface UserRow {
  seq: Generated<number>;
  id: string;
  user_name: string;
  /** Unicode lower-case of user_name; unique, so lookups and the 409 check agree (docs/okta-scim-behavior.md §4). */
  user_name_lower: string;
  external_id: string | null;
  display_name: string | null;
  active: number;
  data: string;
  /** `data` with every string value folded (foldedJson); what case-insensitive filters read. */
  data_folded: string;
  created: string;
  last_modified: string;
  version: number;
  enrolled_at: string | null;
  created_by: string | null;
  /** userName, displayName and e-mails folded with foldText, newline-separated (the portal's search; userSearchText). */
  search_text: string | null;
}

export interface GroupRow {
  seq: Generated<number>;
  id: string;
  display_name: string;
  display_name_lower: string;
  external_id: string | null;
  data: string;
  /** As for users. */
  data_folded: string;
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
  kind: string;
}

export interface AttributeDefinitionRow {
  name: string;
  name_lower: string;
  display_name: string;
  type: string;
  multi_valued: number;
  description: string;
  origin: string;
  created: string;
  updated: string;
}

export interface SettingRow {
  key: string;
  value: string;
  managed: number;
  updated: string;
}

export interface TemplateRow {
  id: string;
  name: string;
  name_lower: string;
  fields: string;
  created: string;
  updated: string;
}

export interface InvitationRow {
  id: string;
  user_seq: number;
  email: string;
  reason: string;
  status: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  token_sha256: string | null;
  expires_at: string | null;
  sent_at: string | null;
  accepted_at: string | null;
  created: string;
}

export interface ActivityRow {
  seq: Generated<number>;
  at: string;
  actor: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  summary: string;
}

export interface UndeclaredAttributeRow {
  urn: string;
  name: string;
  first_seen: string;
  last_seen: string;
  occurrences: number;
  last_user: string | null;
}

export interface AdminAccountRow {
  id: string;
  username: string;
  username_lower: string;
  password_hash: string;
  created: string;
  updated: string;
  last_login: string | null;
}

export interface AdminSessionRow {
  id_sha256: string;
  account_id: string | null;
  principal: string;
  csrf_token: string;
  created: string;
  last_seen: string;
  expires_at: string;
}

export interface Tables {
  scim_users: UserRow;
  scim_groups: GroupRow;
  scim_group_members: GroupMemberRow;
  scim_tokens: TokenRow;
  attribute_definitions: AttributeDefinitionRow;
  settings: SettingRow;
  templates: TemplateRow;
  invitations: InvitationRow;
  activity: ActivityRow;
  undeclared_attributes: UndeclaredAttributeRow;
  admin_accounts: AdminAccountRow;
  admin_sessions: AdminSessionRow;
}
