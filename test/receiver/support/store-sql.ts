/**
 * Raw SQL on a test receiver's own database, whichever store it runs on: the SQLite file in its data
 * directory or its PostgreSQL database. For setting up what an older version (or a hand edit) left
 * behind, and for reading state no API shows. Statements use `?` placeholders (numbered for PostgreSQL).
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';

export interface StoreLocation {
  readonly dir: string;
  readonly databaseUrl: string | undefined;
}

export interface StoreSql {
  run(text: string, params?: readonly unknown[]): Promise<void>;
  all<T>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

export async function withStoreSql<T>(where: StoreLocation, use: (db: StoreSql) => Promise<T>): Promise<T> {
  if (where.databaseUrl === undefined) {
    const db = new Database(join(where.dir, 'receiver.db'));
    try {
      return await use({
        run: async (text, params = []) => void db.prepare(text).run(...params),
        all: async <R>(text: string, params: readonly unknown[] = []) => db.prepare(text).all(...params) as R[],
      });
    } finally {
      db.close();
    }
  }
  const client = new Client({ connectionString: where.databaseUrl });
  await client.connect();
  let n = 0;
  const numbered = (text: string) => text.replace(/\?/g, () => `$${++n}`);
  try {
    return await use({
      run: async (text, params = []) => {
        n = 0;
        await client.query(numbered(text), [...params]);
      },
      all: async <R>(text: string, params: readonly unknown[] = []) => {
        n = 0;
        return (await client.query(numbered(text), [...params])).rows as R[];
      },
    });
  } finally {
    await client.end();
  }
}
