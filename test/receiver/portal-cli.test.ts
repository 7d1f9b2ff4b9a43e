/**
 * `npm run admin -- …` on the host: new portal passwords, SCIM tokens and admin keys for an existing
 * database (nothing deleted), checked against the receiver process that then runs on it.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, dropTestDatabase, onPostgres } from './support/postgres';

jest.setTimeout(60_000);

const ROOT = resolve(__dirname, '../..');
const run = promisify(execFile);

/** The store both the CLI and the receiver open: the SQLite file in DATA_DIR, or (postgres project) DATABASE_URL, chosen by store/open-store.ts in both. */
function storeEnv(dataDir: string): Record<string, string> {
  return { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) };
}

async function admin(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'receiver/dist/cli/admin-cli.js'), ...args], { cwd: ROOT, env: storeEnv(dataDir) });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function signInStatus(url: string, username: string, password: string): Promise<number> {
  const form = await fetch(`${url}/admin/login`);
  const cookie = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  const response = await fetch(`${url}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, username, password }).toString(),
  });
  return response.status;
}

let dir: string;
let databaseUrl: string | undefined;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'portal-cli-'));
  databaseUrl = onPostgres ? await createTestDatabase() : undefined;
});
afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (databaseUrl) await dropTestDatabase(databaseUrl);
});

test('create-admin, reset-admin, token create and admin-key create issue secrets that work, without losing data', async () => {
  const created = await admin(dir, 'create-admin', 'alice');
  expect(created.code).toBe(0);
  const alicePassword = /Portal account alice \(shown once; only its scrypt hash is stored\): (\S+)/.exec(created.stdout)![1]!;
  expect((await admin(dir, 'create-admin', 'alice')).code).toBe(1);

  const token = /SCIM bearer token "Okta" \([^)]*\): (scim_\S+)/.exec((await admin(dir, 'token', 'create', 'Okta')).stdout)![1]!;
  const key = /Admin API key "ops" \(shown once; only its SHA-256 is stored\): (adm_\S+)/.exec((await admin(dir, 'admin-key', 'create', 'ops')).stdout)![1]!;
  expect((await admin(dir, 'token', 'list')).stdout).toMatch(/\tOkta\tactive\t/);

  // An account exists, so the first start creates none; a user provisioned now must survive the resets.
  const child = spawn(process.execPath, [join(ROOT, 'receiver/dist/main.js')], { cwd: ROOT, env: { ...storeEnv(dir), PORT: '0', LOG_LEVEL: 'warn' } });
  try {
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(out)), 20_000);
      child.stdout.on('data', () => {
        const match = /Admin portal: (http:\/\/\S+)\/admin/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolveUrl(match[1]!);
        }
      });
    });
    expect(out).not.toContain('Admin portal account');
    const scim = await fetch(`${url}/scim/v2/Users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'kept@example.com' }),
    });
    expect(scim.status).toBe(201);
    expect((await fetch(`${url}/api/users`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    expect(await signInStatus(url, 'alice', alicePassword)).toBe(303);

    // Reset while the receiver runs: the new password works at once, the old one no longer does.
    const reset = await admin(dir, 'reset-admin', 'alice');
    const newPassword = /: (\S+)$/m.exec(reset.stdout)![1]!;
    expect(await signInStatus(url, 'alice', alicePassword)).toBe(401);
    expect(await signInStatus(url, 'alice', newPassword)).toBe(303);
    const users: any = await (await fetch(`${url}/api/users`, { headers: { authorization: `Bearer ${key}` } })).json();
    expect(users.items.map((u: { userName: string }) => u.userName)).toEqual(['kept@example.com']);

    if (databaseUrl) {
      // PostgreSQL: the running receiver hears of a token issued by the CLI (change feed), no restart.
      const issued = await admin(dir, 'token', 'create', 'Second');
      expect(issued.stdout).toContain('Running receivers accept the new token within a second.');
      const second = /SCIM bearer token "Second" \([^)]*\): (scim_\S+)/.exec(issued.stdout)![1]!;
      const status = () => fetch(`${url}/scim/v2/Users`, { headers: { authorization: `Bearer ${second}` } }).then((response) => response.status);
      for (let tries = 0; tries < 100 && (await status()) !== 200; tries++) await new Promise((done) => setTimeout(done, 100));
      expect(await status()).toBe(200);
    }
  } finally {
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  expect((await admin(dir, 'reset-admin', 'nobody')).stderr).toContain('No portal account named "nobody"');
  expect((await admin(dir)).code).toBe(2);
});
