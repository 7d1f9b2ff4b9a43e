import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Clock } from '../../time/clock';
import type { ScimStore } from '../types';
import { SqlAdminAccountStore, SqlSessionStore } from './account-store';
import { SqlDirectoryStore } from './directory-store';
import { SqlActivityStore, SqlAttributeStore, SqlDiagnosticsStore, SqlSettingsStore, SqlTemplateStore } from './admin-stores';
import type { SqlStoreDialect } from './dialect';
import { SqlGroupStore } from './group-store';
import { SqlInvitationStore } from './invitation-store';
import type { Tables } from './tables';
import { SqlTokenStore } from './token-store';
import { SqlUserStore } from './user-store';

/**
 * SCIM and admin persistence over Kysely; dialect differences live in `SqlStoreDialect` and the
 * migrations. `clock` is what every write stamps (meta.created, meta.lastModified, the activity log,
 * admin records); `coordination` is what a shared database adds (PostgreSQL).
 */
export function sqlScimStore(
  db: Kysely<Tables>,
  dialect: SqlStoreDialect,
  clock: Clock,
  onClose: () => Promise<void>,
  coordination: Pick<ScimStore, 'changes' | 'jobs'> = {},
): ScimStore {
  return {
    ...coordination,
    users: new SqlUserStore(db, dialect, clock),
    groups: new SqlGroupStore(db, dialect, clock),
    tokens: new SqlTokenStore(db, clock),
    attributes: new SqlAttributeStore(db, clock),
    settings: new SqlSettingsStore(db, clock),
    templates: new SqlTemplateStore(db, dialect, clock),
    invitations: new SqlInvitationStore(db, dialect, clock),
    activity: new SqlActivityStore(db, clock),
    diagnostics: new SqlDiagnosticsStore(db, clock),
    directory: new SqlDirectoryStore(db, dialect),
    adminAccounts: new SqlAdminAccountStore(db, dialect, clock),
    sessions: new SqlSessionStore(db),
    ping: async () => {
      await sql`SELECT 1`.execute(db);
    },
    close: onClose,
  };
}
