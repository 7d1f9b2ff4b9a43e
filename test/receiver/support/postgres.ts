/**
 * Throw-away PostgreSQL databases for tests: one per receiver started (the same isolation a fresh
 * SQLite file gives), on the server at RECEIVER_TEST_PG_URL (default: the local one, trust auth),
 * named after the test run so the global teardown drops whatever a failed test left behind.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export const ADMIN_URL = process.env.RECEIVER_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** Every database the suite creates starts with this (set by test/global-setup.js per run). */
export const DATABASE_PREFIX = `scimkit_t_${process.env.SCIMKIT_TEST_RUN ?? 'adhoc'}_`;

/** True when this jest project runs the receiver suite against PostgreSQL. */
export const onPostgres = process.env.RECEIVER_TEST_STORE === 'postgres';

/** `it` for tests that only mean something on SQLite (file durability, SQLITE_BUSY); skipped, with the reason in the title, on PostgreSQL. */
export function sqliteOnly(reason: string): jest.It {
  if (!onPostgres) return it;
  const skip = ((name: string, ...rest: unknown[]) => (it.skip as (...a: unknown[]) => void)(`${name} [SQLite only: ${reason}]`, ...rest)) as unknown as jest.It;
  return skip;
}

async function admin<T>(run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database and returns its URL. */
export async function createTestDatabase(): Promise<string> {
  const name = `${DATABASE_PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!name.startsWith('scimkit_t_')) throw new Error(`refusing to drop ${name}: not a test database`);
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** Drops every database of this run (global teardown). */
export async function dropRunDatabases(): Promise<void> {
  await admin(async (c) => {
    const { rows } = await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [DATABASE_PREFIX]);
    for (const row of rows) await c.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
  });
}
