import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { sql } from 'kysely';

/** Schema history; append only. */
const migrations: Record<string, Migration> = {
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
};

export const sqliteMigrations: MigrationProvider = {
  getMigrations: async () => migrations,
};
