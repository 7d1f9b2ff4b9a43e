import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { sql } from 'kysely';
import type { Clock } from '../../time/clock';
import { backfillFoldedData, backfillSearchText, refoldKeys } from '../sql/unicode-backfill';

/** Schema history; append only. */
const migrations = (clock: Clock): Record<string, Migration> => ({
  '0001_scim_core': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('scim_users')
        // AUTOINCREMENT: row numbers (and therefore page order) are never reused after a delete.
        .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('user_name', 'text', (c) => c.notNull())
        .addColumn('user_name_lower', 'text', (c) => c.notNull().unique())
        .addColumn('external_id', 'text')
        .addColumn('display_name', 'text')
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('created', 'text', (c) => c.notNull())
        .addColumn('last_modified', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('scim_users_external_id').on('scim_users').column('external_id').execute();

      await db.schema
        .createTable('scim_groups')
        .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('display_name_lower', 'text', (c) => c.notNull().unique())
        .addColumn('external_id', 'text')
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('created', 'text', (c) => c.notNull())
        .addColumn('last_modified', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('scim_groups_external_id').on('scim_groups').column('external_id').execute();

      await sql`CREATE TABLE scim_group_members (
        group_seq INTEGER NOT NULL REFERENCES scim_groups(seq) ON DELETE CASCADE,
        user_seq INTEGER NOT NULL REFERENCES scim_users(seq) ON DELETE CASCADE,
        PRIMARY KEY (group_seq, user_seq)
      ) WITHOUT ROWID`.execute(db);
      await db.schema
        .createIndex('scim_group_members_by_user')
        .on('scim_group_members')
        .columns(['user_seq', 'group_seq'])
        .execute();

      await db.schema
        .createTable('scim_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull().unique())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created', 'text', (c) => c.notNull())
        .addColumn('last_used', 'text')
        .execute();
    },
  },
  '0002_provisioning_admin': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('scim_users').addColumn('enrolled_at', 'text').execute();
      await db.schema.alterTable('scim_users').addColumn('created_by', 'text').execute();
      await db.schema.alterTable('scim_tokens').addColumn('kind', 'text', (c) => c.notNull().defaultTo('scim')).execute();

      await db.schema
        .createTable('attribute_definitions')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('name_lower', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('multi_valued', 'integer', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('created', 'text', (c) => c.notNull())
        .addColumn('updated', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('managed', 'integer', (c) => c.notNull())
        .addColumn('updated', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('templates')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_lower', 'text', (c) => c.notNull().unique())
        .addColumn('fields', 'text', (c) => c.notNull())
        .addColumn('created', 'text', (c) => c.notNull())
        .addColumn('updated', 'text', (c) => c.notNull())
        .execute();

      await sql`CREATE TABLE invitations (
        id TEXT PRIMARY KEY,
        user_seq INTEGER NOT NULL REFERENCES scim_users(seq) ON DELETE CASCADE,
        email TEXT NOT NULL,
        reason TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        next_attempt_at TEXT NOT NULL,
        last_error TEXT,
        token_sha256 TEXT UNIQUE,
        expires_at TEXT,
        sent_at TEXT,
        accepted_at TEXT,
        created TEXT NOT NULL
      )`.execute(db);
      // "never twice for the same user unless an admin resends": one automatic invitation per user, ever.
      await sql`CREATE UNIQUE INDEX invitations_one_auto_per_user ON invitations (user_seq) WHERE reason = 'auto'`.execute(db);
      await db.schema.createIndex('invitations_due').on('invitations').columns(['status', 'next_attempt_at']).execute();
      await db.schema.createIndex('invitations_by_user').on('invitations').column('user_seq').execute();

      await db.schema
        .createTable('activity')
        .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('resource_type', 'text', (c) => c.notNull())
        .addColumn('resource_id', 'text')
        .addColumn('summary', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('activity_by_resource').on('activity').columns(['resource_id', 'seq']).execute();

      await db.schema
        .createTable('undeclared_attributes')
        .addColumn('urn', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('first_seen', 'text', (c) => c.notNull())
        .addColumn('last_seen', 'text', (c) => c.notNull())
        .addColumn('occurrences', 'integer', (c) => c.notNull())
        .addColumn('last_user', 'text')
        .addPrimaryKeyConstraint('undeclared_attributes_pk', ['urn', 'name'])
        .execute();
    },
  },
  '0003_unicode_fold': {
    async up(db: Kysely<unknown>) {
      await refoldKeys(db, clock);
      // The folded copy of every resource's JSON, which case-insensitive filters read (foldedJson).
      for (const table of ['scim_users', 'scim_groups'] as const) {
        await sql`ALTER TABLE ${sql.table(table)} ADD COLUMN data_folded TEXT NOT NULL DEFAULT '{}'`.execute(db);
        await backfillFoldedData(db, table);
      }
    },
  },
  '0004_admin_portal': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('admin_accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('username_lower', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created', 'text', (c) => c.notNull())
        .addColumn('updated', 'text', (c) => c.notNull())
        .addColumn('last_login', 'text')
        .execute();
      await db.schema
        .createTable('admin_sessions')
        .addColumn('id_sha256', 'text', (c) => c.primaryKey())
        .addColumn('account_id', 'text')
        .addColumn('principal', 'text', (c) => c.notNull())
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created', 'text', (c) => c.notNull())
        .addColumn('last_seen', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('admin_sessions_by_account').on('admin_sessions').column('account_id').execute();
    },
  },
  '0005_user_search_text': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('scim_users').addColumn('search_text', 'text').execute();
      // Back-filled with the same JS fold as every later write (userSearchText).
      await backfillSearchText(db);
    },
  },
});

/** The clock stamps what a migration records (the activity entries of a Unicode re-fold). */
export const sqliteMigrations = (clock: Clock): MigrationProvider => ({
  getMigrations: async () => migrations(clock),
});
