/**
 * The PostgreSQL side of the receiver's one case-insensitive key (issue 10's foldText: NFC, lower case,
 * NFC): the dialect's fold expression gives the same text as JavaScript for the characters where C
 * libraries and ICU disagree, and it is IMMUTABLE (it can back an index).
 */
// kysely is the receiver workspace's dependency (not hoisted): the same module the dialect uses.
import { Kysely, PostgresDialect, sql } from '../../receiver/node_modules/kysely';
import { Pool } from 'pg';
import { postgresFold } from '../../receiver/src/store/postgres/postgres-dialect';
import { createTestDatabase, dropTestDatabase } from '../receiver/support/postgres';

/** The JavaScript rule (receiver/src/text/fold.ts in issue 10). */
const foldText = (value: string) => value.normalize('NFC').toLowerCase().normalize('NFC');

const SAMPLES = [
  'ALICE@Example.COM',
  'Élodie.Durand@Exemple.fr',
  'cafe\u0301@example.com', // decomposed é
  'CAFE\u0301 OWNER',
  'STRAßE@EXAMPLE.DE',
  'ẞ capital sharp s',
  'ΟΔΟΣ', // final sigma
  'ΣΊΣΥΦΟΣ',
  'İstanbul', // dotted capital I: i + combining dot above
  'ǅungla', // title-case digraph
  'Ångström', // Å (U+212B Angstrom sign normalizes to U+00C5)
  'ＡＢＣ', // fullwidth
  'Ⅻ roman numeral',
  '',
];

let url: string;
let db: Kysely<unknown>;
beforeAll(async () => {
  url = await createTestDatabase();
  db = new Kysely({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: url, max: 1 }) }) });
});
afterAll(async () => {
  await db.destroy();
  await dropTestDatabase(url);
});

it.each(SAMPLES)('folds %j exactly as JavaScript does', async (sample) => {
  const { rows } = await sql<{ folded: string }>`SELECT ${postgresFold(sql.val(sample))} AS folded`.execute(db);
  expect(rows[0]!.folded).toBe(foldText(sample));
});

it('keeps NULL as NULL and can back an expression index', async () => {
  expect((await sql<{ folded: string | null }>`SELECT ${postgresFold(sql`NULL::text`)} AS folded`.execute(db)).rows[0]!.folded).toBeNull();
  await sql`CREATE TABLE fold_probe (value text)`.execute(db);
  await sql`CREATE UNIQUE INDEX fold_probe_key ON fold_probe ((${postgresFold(sql.ref('value'))}))`.execute(db);
  await sql`INSERT INTO fold_probe VALUES ('Café')`.execute(db);
  await expect(sql`INSERT INTO fold_probe VALUES (${'CAFE\u0301'})`.execute(db)).rejects.toMatchObject({ code: '23505' });
});
