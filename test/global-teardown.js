const { Client } = require('pg');

/** Drops the PostgreSQL databases of this run that a failed test left behind (see test/receiver/support/postgres.ts). */
module.exports = async function globalTeardown() {
  const run = process.env.SCIMKIT_TEST_RUN;
  if (!run) return;
  const client = new Client({ connectionString: process.env.RECEIVER_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test' });
  try {
    await client.connect();
    const { rows } = await client.query('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [`scimkit_t_${run}_`]);
    for (const row of rows) await client.query(`DROP DATABASE IF EXISTS "${row.datname}" WITH (FORCE)`);
  } catch (error) {
    process.stderr.write(`dropping this run's test databases failed: ${error.message}\n`);
  } finally {
    await client.end().catch(() => undefined);
  }
};
