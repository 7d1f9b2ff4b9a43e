/**
 * DATABASE_* settings are validated at start like every other variable (exit code 2, one line per
 * problem, the URL's password never echoed), and TLS is negotiated when asked for.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { ThrowawayCluster, asClusterOwner } from './support/cluster';
import { Replica } from './support/replica';

const ROOT = resolve(__dirname, '../..');

async function run(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'receiver/dist/main.js')], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', PORT: '0', ...env } });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  return { code, stderr };
}

it('refuses invalid PostgreSQL settings, naming each variable and never echoing the password', async () => {
  const bad = await run({
    DATABASE_URL: 'mysql://scim:hunter2-secret@db.example.com/scim',
    DATABASE_POOL_SIZE: '1',
    DATABASE_STATEMENT_TIMEOUT_MS: 'soon',
    DATABASE_SSL_MODE: 'sometimes',
  });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/DATABASE_URL: expected postgres:\/\//);
  expect(bad.stderr).toMatch(/DATABASE_POOL_SIZE: /);
  expect(bad.stderr).toMatch(/DATABASE_STATEMENT_TIMEOUT_MS: expected an integer/);
  expect(bad.stderr).toMatch(/DATABASE_SSL_MODE: /);
  expect(bad.stderr).not.toContain('hunter2-secret');

  const tls = await run({ DATABASE_URL: 'postgres://scim:hunter2-secret@db.example.com/scim?sslmode=verify-ca', DATABASE_SSL_CA_FILE: '/nonexistent/ca.pem' });
  expect(tls.code).toBe(2);
  expect(tls.stderr).toMatch(/DATABASE_SSL_CA_FILE: cannot read the CA file "\/nonexistent\/ca.pem"/);
  expect(tls.stderr).not.toContain('hunter2-secret');

  const noDatabase = await run({ DATABASE_URL: 'postgres://db.example.com', DATABASE_SSL_MODE: 'verify-ca' });
  expect(noDatabase.code).toBe(2);
  expect(noDatabase.stderr).toMatch(/DATABASE_URL: name the database/);
  expect(noDatabase.stderr).toMatch(/DATABASE_SSL_CA_FILE: sslmode verify-ca needs the CA certificate file/);

  const orphan = await run({ DATABASE_SSL_MODE: 'require', DATA_DIR: mkdtempSync(join(tmpdir(), 'scim-settings-')) });
  expect(orphan.code).toBe(2);
  expect(orphan.stderr).toMatch(/DATABASE_SSL_MODE: only applies with DATABASE_URL/);
});

it('fails to start, naming the cause without the password, when the database is unreachable', async () => {
  const result = await run({ DATABASE_URL: 'postgres://scim:hunter2-secret@127.0.0.1:1/scim', DATABASE_CONNECT_TIMEOUT_MS: '500' });
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(/receiver failed to start: the database is unavailable: connection failed \(ECONNREFUSED\)/);
  expect(result.stderr).not.toContain('hunter2-secret');
});

describe('TLS to PostgreSQL', () => {
  let cluster: ThrowawayCluster;
  let certs: string;
  beforeAll(async () => {
    // A self-signed server certificate for 127.0.0.1, and an unrelated CA to be refused.
    certs = mkdtempSync(join(tmpdir(), 'scim-tls-'));
    const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(certs, 'server.key'), '-out', join(certs, 'server.crt'));
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=other', '-keyout', join(certs, 'other.key'), '-out', join(certs, 'other.crt'));
    cluster = await ThrowawayCluster.create({
      prepare: (dir) => {
        for (const f of ['server.key', 'server.crt']) {
          execFileSync('cp', [join(certs, f), join(dir, f)]);
          chmodSync(join(dir, f), 0o600);
          asClusterOwner(join(dir, f));
        }
      },
      serverOptions: '-c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key'.replace(/server\./g, '../server.'),
    });
  });
  afterAll(() => {
    cluster?.destroy();
    rmSync(certs, { recursive: true, force: true });
  });

  const encrypted = async () => {
    const client = new Client({ connectionString: cluster.url });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT bool_and(s.ssl) AS all_tls, count(*)::int AS n FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'okta-scim-kit'`);
      return rows[0] as { all_tls: boolean; n: number };
    } finally {
      await client.end();
    }
  };

  it('connects encrypted with sslmode=require and with verify-full against the CA file', async () => {
    const required = await Replica.start(`${cluster.url}?sslmode=require`);
    try {
      expect((await required.request('GET', '/Users?count=1')).status).toBe(200);
      expect(await encrypted()).toMatchObject({ all_tls: true });
    } finally {
      await required.stop();
    }
    const verified = await Replica.start(cluster.url, { DATABASE_SSL_MODE: 'verify-full', DATABASE_SSL_CA_FILE: join(certs, 'server.crt') });
    try {
      expect((await verified.request('GET', '/Users?count=1')).status).toBe(200);
      expect(await encrypted()).toMatchObject({ all_tls: true });
    } finally {
      await verified.stop();
    }
  });

  it('refuses a server whose certificate does not chain to the given CA', async () => {
    const result = await run({ DATABASE_URL: cluster.url, DATABASE_SSL_MODE: 'verify-ca', DATABASE_SSL_CA_FILE: join(certs, 'other.crt') });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/receiver failed to start: .*(self[- ]signed|certificate)/i);
  });
});
