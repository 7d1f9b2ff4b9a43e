import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Clock } from '../../time/clock';
import type { AdminAccountStore, SessionStore } from '../accounts';
import type { DirectoryStore } from '../browse';
import type {
  ActivityStore,
  AttributeStore,
  ChangeFeed,
  DiagnosticsStore,
  GroupStore,
  InvitationStore,
  JobCoordinator,
  ScimStore,
  SettingsStore,
  TemplateStore,
  TokenStore,
  UserStore,
} from '../types';
import { SqlAdminAccountStore, SqlSessionStore } from './account-store';
import { SqlDirectoryStore } from './directory-store';
import { SqlActivityStore, SqlAttributeStore, SqlDiagnosticsStore, SqlSettingsStore, SqlTemplateStore } from './admin-stores';
import type { SqlStoreDialect } from './dialect';
import { SqlGroupStore } from './group-store';
import { SqlInvitationStore } from './invitation-store';
import type { Tables } from './tables';
import { SqlTokenStore } from './token-store';
import { SqlUserStore } from './user-store';

/** SCIM and admin persistence over Kysely; dialect differences live in `SqlStoreDialect` and the migrations. */
export class SqlScimStore implements ScimStore {
  readonly users: UserStore;
  readonly groups: GroupStore;
  readonly tokens: TokenStore;
  readonly attributes: AttributeStore;
  readonly settings: SettingsStore;
  readonly templates: TemplateStore;
  readonly invitations: InvitationStore;
  readonly activity: ActivityStore;
  readonly diagnostics: DiagnosticsStore;
  readonly changes?: ChangeFeed;
  readonly jobs?: JobCoordinator;
  readonly directory: DirectoryStore;
  readonly adminAccounts: AdminAccountStore;
  readonly sessions: SessionStore;

  constructor(
    private readonly db: Kysely<Tables>,
    dialect: SqlStoreDialect,
    /** What every write stamps (meta.created, meta.lastModified, the activity log, admin records). */
    clock: Clock,
    private readonly onClose: () => Promise<void>,
    /** What a shared database adds (PostgreSQL). */
    coordination: { changes?: ChangeFeed; jobs?: JobCoordinator } = {},
  ) {
    if (coordination.changes) this.changes = coordination.changes;
    if (coordination.jobs) this.jobs = coordination.jobs;
    this.users = new SqlUserStore(db, dialect, clock);
    this.groups = new SqlGroupStore(db, dialect, clock);
    this.tokens = new SqlTokenStore(db, clock);
    this.attributes = new SqlAttributeStore(db, clock);
    this.settings = new SqlSettingsStore(db, clock);
    this.templates = new SqlTemplateStore(db, dialect, clock);
    this.invitations = new SqlInvitationStore(db, dialect, clock);
    this.activity = new SqlActivityStore(db, clock);
    this.diagnostics = new SqlDiagnosticsStore(db, clock);
    this.directory = new SqlDirectoryStore(db, dialect);
    this.adminAccounts = new SqlAdminAccountStore(db, dialect, clock);
    this.sessions = new SqlSessionStore(db);
  }

  async ping(): Promise<void> {
    await sql`SELECT 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.onClose();
  }
}
