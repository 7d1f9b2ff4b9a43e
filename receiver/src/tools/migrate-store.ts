/**
 * Copies a SQLite installation into PostgreSQL, the path for a team that outgrows one machine:
 *
 *   npm run migrate-store -- --from ./data/receiver.db --to postgres://user@host:5432/scim [--force] [--batch-size 1000]
 *   (in the container: node dist/tools/migrate-store.js --from /data/receiver.db --to "$DATABASE_URL")
 *
 * Stop the receiver first: writes made during the copy would not be copied. Both schemas are brought to
 * the latest migration, every table is copied in batches inside one PostgreSQL transaction (all or
 * nothing), row numbers are kept (page order, memberships), then the row counts are compared and printed.
 * A target that already holds data is refused unless --force (which empties it first).
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { openPostgresStore } from '../store/postgres/open-postgres-store';
import { clientConfig } from '../store/postgres/connection-options';
import { redactedUrl } from '../store/postgres/database-url';
import { openSqliteStore } from '../store/sqlite/open-sqlite-store';
import { systemClock } from '../time/clock';

/** Parents before children (foreign keys); tables not listed (newer features) follow, by name. */
const TABLE_ORDER = [
  'scim_users',
  'scim_groups',
  'scim_group_members',
  'scim_tokens',
  'attribute_definitions',
  'settings',
  'templates',
  'invitations',
  'activity',
  'undeclared_attributes',
  'admin_accounts',
  'admin_sessions',
];
/** Bookkeeping of each store, not data: never copied. */
const SKIPPED = new Set(['kysely_migration', 'kysely_migration_lock', 'change_versions', 'job_runs', 'sqlite_sequence']);
/** PostgreSQL accepts at most 65,535 parameters per statement. */
const MAX_PARAMETERS = 60_000;

export interface MigrateOptions {
  readonly from: string;
  readonly to: string;
  readonly force: boolean;
  readonly batchSize: number;
}

export interface TableCount {
  readonly table: string;
  readonly source: number;
  readonly target: number;
}

export class MigrateError extends Error {}

export function parseArguments(argv: readonly string[]): MigrateOptions {
  const options: { from?: string; to?: string; force: boolean; batchSize: number } = { force: false, batchSize: 1000 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new MigrateError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--from') options.from = value();
    else if (arg === '--to') options.to = value();
    else if (arg === '--force') options.force = true;
    else if (arg === '--batch-size') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new MigrateError('--batch-size must be an integer from 1 to 100000');
      options.batchSize = n;
    } else throw new MigrateError(`unknown argument ${arg}`);
  }
  if (!options.from) throw new MigrateError('--from <SQLite file> is required');
  if (!options.to || !/^postgres(ql)?:\/\//.test(options.to)) throw new MigrateError('--to postgres://user@host:port/database is required');
  return { from: options.from, to: options.to, force: options.force, batchSize: options.batchSize };
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function migrateStore(options: MigrateOptions, print: (line: string) => void): Promise<TableCount[]> {
  // Both schemas at the latest migration (this receiver version's), so the columns line up.
  await (await openSqliteStore({ file: options.from, clock: systemClock })).close();
  const connection = { url: options.to, statementTimeoutMs: 0, connectTimeoutMs: 10_000 };
  await (await openPostgresStore({ ...connection, poolSize: 2, clock: systemClock })).close();

  const source = new Database(options.from, { readonly: true, fileMustExist: true });
  const target = new pg.Client(clientConfig(connection));
  await target.connect();
  try {
    const sourceTables = (source.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name);
    const targetTables = (await target.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()`)).rows.map((r) => r.name);
    const shared = sourceTables.filter((t) => !SKIPPED.has(t) && targetTables.includes(t));
    const ordered = [...TABLE_ORDER.filter((t) => shared.includes(t)), ...shared.filter((t) => !TABLE_ORDER.includes(t)).sort()];
    for (const t of sourceTables.filter((t) => !SKIPPED.has(t) && !targetTables.includes(t))) print(`warning: table ${t} has no counterpart in PostgreSQL; not copied`);

    await target.query('BEGIN');
    const nonEmpty: string[] = [];
    for (const table of ordered) {
      const { rows } = await target.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(table)}`);
      if (Number(rows[0]?.n) > 0) nonEmpty.push(`${table} (${rows[0]?.n})`);
    }
    if (nonEmpty.length > 0) {
      if (!options.force) throw new MigrateError(`the target database already holds data: ${nonEmpty.join(', ')}; pass --force to replace it`);
      await target.query(`TRUNCATE ${ordered.map(quote).join(', ')} RESTART IDENTITY CASCADE`);
      print(`--force: emptied ${nonEmpty.join(', ')}`);
    }

    for (const table of ordered) {
      const sourceColumns = (source.prepare(`PRAGMA table_info(${quote(table)})`).all() as { name: string }[]).map((c) => c.name);
      const targetColumns = (
        await target.query<{ name: string; type: string }>(
          `SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
          [table],
        )
      ).rows;
      const columns = sourceColumns.filter((c) => targetColumns.some((t) => t.name === c));
      const booleans = new Set(targetColumns.filter((t) => t.type === 'boolean').map((t) => t.name));
      const perBatch = Math.max(1, Math.min(options.batchSize, Math.floor(MAX_PARAMETERS / columns.length)));
      const select = source.prepare(`SELECT ${columns.map(quote).join(', ')} FROM ${quote(table)}`).raw(true);
      let batch: unknown[][] = [];
      let copied = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        const values = batch.map((_, r) => `(${columns.map((_c, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
        await target.query(`INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES ${values}`, batch.flat());
        copied += batch.length;
        batch = [];
      };
      for (const row of select.iterate() as Iterable<unknown[]>) {
        batch.push(row.map((value, c) => (booleans.has(columns[c]!) && typeof value === 'number' ? value !== 0 : typeof value === 'bigint' ? Number(value) : value)));
        if (batch.length >= perBatch) await flush();
      }
      await flush();
      // Row numbers were copied as they are: new rows continue after the highest one.
      if (columns.includes('seq')) {
        await target.query(
          `SELECT setval(pg_get_serial_sequence($1, 'seq'), GREATEST((SELECT max(seq) FROM ${quote(table)}), 1), (SELECT max(seq) FROM ${quote(table)}) IS NOT NULL)`,
          [table],
        );
      }
      print(`copied ${table}: ${copied} row(s)`);
    }

    const counts: TableCount[] = [];
    for (const table of ordered) {
      const sourceCount = (source.prepare(`SELECT count(*) AS n FROM ${quote(table)}`).get() as { n: number }).n;
      const { rows } = await target.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(table)}`);
      counts.push({ table, source: sourceCount, target: Number(rows[0]?.n) });
    }
    const mismatched = counts.filter((c) => c.source !== c.target);
    if (mismatched.length > 0) {
      throw new MigrateError(`row counts differ after the copy (nothing was committed): ${mismatched.map((c) => `${c.table} ${c.source} → ${c.target}`).join(', ')}`);
    }
    await target.query('COMMIT');
    return counts;
  } catch (error) {
    await target.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    source.close();
    await target.end();
  }
}

async function main(): Promise<void> {
  let options: MigrateOptions;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.stderr.write('usage: migrate-store --from <receiver.db> --to postgres://user@host:port/database [--force] [--batch-size N]\n');
    process.exit(2);
  }
  const print = (line: string) => process.stdout.write(`${line}\n`);
  print(`copying ${options.from} into ${redactedUrl(options.to)}`);
  try {
    const counts = await migrateStore(options, print);
    print('');
    print('table                   SQLite  PostgreSQL');
    for (const c of counts) print(`${c.table.padEnd(22)} ${String(c.source).padStart(7)}  ${String(c.target).padStart(10)}`);
    print(`done: ${counts.reduce((n, c) => n + c.target, 0)} row(s) in ${counts.length} table(s); counts match.`);
  } catch (error) {
    process.stderr.write(`migrate-store failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

if (require.main === module) void main();
