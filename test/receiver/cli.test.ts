/**
 * The receiver as `npm start` runs it: the compiled entry point in its own process, on a real SQLite
 * file (or, in the postgres project, a fresh PostgreSQL database through DATABASE_URL), with first-start
 * token bootstrap, restarts, bad settings, signals and crash durability.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sha256Hex } from '../../receiver/src/auth/tokens';
import { Client } from 'pg';
import { oktaUser, patchOp } from './support/harness';
import { createTestDatabase, dropTestDatabase, onPostgres } from './support/postgres';
import { jsonRequest } from '../../scripts/lib/json-request';

const ROOT = resolve(__dirname, '../..');
const ENTRY = join(ROOT, 'receiver/dist/main.js');

interface Started {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  baseUrl: string;
  exited: Promise<number | null>;
}

/** The test's PostgreSQL database (postgres project), passed to every process the test starts. */
let databaseUrl: string | undefined;

function start(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [ENTRY], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += String(d)));
  child.stderr.on('data', (d) => (err += String(d)));
  const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 15 s; stdout=${out} stderr=${err}`)), 15_000);
    const check = () => {
      const match = /SCIM base URL: (http:\/\/\S+)/.exec(out);
      if (match && /SCIM (bearer token|tokens)/.test(out)) {
        clearTimeout(timer);
        resolveStart({ child, stdout: () => out, stderr: () => err, baseUrl: match[1]!, exited });
      }
    };
    child.stdout.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}; stdout=${out} stderr=${err}`));
    });
  });
}

async function stop(started: Started, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  started.child.kill(signal);
  return started.exited;
}

function tokenOf(stdout: string): string {
  const match = /SCIM bearer token \(shown once; only its SHA-256 is stored\): (\S+)/.exec(stdout);
  if (!match) throw new Error(`no token in ${stdout}`);
  return match[1]!;
}

async function call(baseUrl: string, token: string, method: string, path: string, body?: unknown) {
  const reply = await jsonRequest<any>(method, `${baseUrl}${path}`, { token, body, parse: 'json' });
  return { status: reply.status, body: reply.body };
}

// receiver/dist is built once by test/global-setup.js.
let dir: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scim-cli-'));
  if (onPostgres) databaseUrl = await createTestDatabase();
});
afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (databaseUrl) await dropTestDatabase(databaseUrl);
  databaseUrl = undefined;
});

/** Every row of every table of the test's PostgreSQL database, as text (what a dump would hold). */
async function databaseText(): Promise<string> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`);
    let out = '';
    for (const { name } of tables.rows) out += JSON.stringify((await client.query(`SELECT * FROM "${name}"`)).rows);
    return out;
  } finally {
    await client.end();
  }
}

it('on first start creates the data directory, prints the base URL, a token and an admin key once, and stores only hashes', async () => {
  const dataDir = join(dir, 'data');
  const first = await start({ DATA_DIR: dataDir });
  const token = tokenOf(first.stdout());
  expect(first.baseUrl).toMatch(/^http:\/\/localhost:\d+\/scim\/v2$/);
  // With DATABASE_URL nothing is written under DATA_DIR.
  expect(existsSync(join(dataDir, 'receiver.db'))).toBe(!onPostgres);
  const created = await call(first.baseUrl, token, 'POST', '/Users', oktaUser('persist.me@example.com'));
  expect(created.status).toBe(201);
  expect(await stop(first)).toBe(0);

  // Neither the database nor its WAL holds the plaintext token; its SHA-256 is there.
  const files = onPostgres ? await databaseText() : readdirSync(dataDir).map((f) => readFileSync(join(dataDir, f)).toString('latin1')).join('');
  expect(files).not.toContain(token);
  expect(files).toContain(sha256Hex(token));
  expect(first.stdout().split(token).length - 1).toBe(1);
  const adminKey = /Admin API key for \S+ \(shown once; only its SHA-256 is stored\): (\S+)/.exec(first.stdout())?.[1];
  expect(adminKey).toMatch(/^adm_[A-Za-z0-9_-]{43}$/);
  expect(files).not.toContain(adminKey);

  const second = await start({ DATA_DIR: dataDir });
  expect(second.stdout()).not.toMatch(/SCIM bearer token/);
  expect(second.stdout()).toMatch(/SCIM tokens: 1 active/);
  const read = await call(second.baseUrl, token, 'GET', `/Users/${created.body.id}`);
  expect(read.status).toBe(200);
  expect(read.body.userName).toBe('persist.me@example.com');
  expect(await stop(second)).toBe(0);
});

it('with SCIM_TOKEN_SHA256 creates no token and accepts any of the given hashes', async () => {
  const started = await start({ DATA_DIR: dir, SCIM_TOKEN_SHA256: `${sha256Hex('first-secret')}, ${sha256Hex('second-secret')}` });
  expect(started.stdout()).not.toMatch(/SCIM bearer token/);
  expect((await call(started.baseUrl, 'first-secret', 'GET', '/Users')).status).toBe(200);
  expect((await call(started.baseUrl, 'second-secret', 'GET', '/Users')).status).toBe(200);
  expect((await call(started.baseUrl, 'third-secret', 'GET', '/Users')).status).toBe(401);
  expect(await stop(started)).toBe(0);
});

it('refuses invalid settings, naming every bad variable, with exit code 2', async () => {
  const child = spawn(process.execPath, [ENTRY], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      DATA_DIR: dir,
      PORT: 'eighty',
      BODY_LIMIT_BYTES: '12',
      SCIM_TOKEN_SHA256: 'not-a-hash',
      PUBLIC_URL: 'ftp://x',
      SMTP_URL: 'http://mailer:hunter2-secret@mail.example.com',
      SCIM_EXTENSION_URN: 'not-a-urn',
    },
  });
  let err = '';
  child.stderr.on('data', (d) => (err += String(d)));
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  expect(code).toBe(2);
  expect(err).toMatch(/PORT: expected an integer/);
  expect(err).toMatch(/BODY_LIMIT_BYTES:/);
  expect(err).toMatch(/SCIM_TOKEN_SHA256: expected comma-separated lower-case hex SHA-256/);
  expect(err).toMatch(/PUBLIC_URL:/);
  expect(err).toMatch(/SMTP_URL: expected smtp:\/\//);
  expect(err).not.toContain('hunter2-secret');
  expect(err).toMatch(/SCIM_EXTENSION_URN: expected a URN ending in ":User"/);
});

it('refuses an invalid RECEIVER_CONFIG file with exit code 2, naming each path', async () => {
  const file = join(dir, 'receiver.json');
  writeFileSync(file, JSON.stringify({ attributes: [{ name: 'userName' }], settings: { autoInvite: 1 } }));
  const child = spawn(process.execPath, [ENTRY], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dir, PORT: '0', RECEIVER_CONFIG: file, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}) },
  });
  let err = '';
  child.stderr.on('data', (d) => (err += String(d)));
  expect(await new Promise<number | null>((r) => child.on('exit', r))).toBe(2);
  expect(err).toMatch(/attributes\[0\]\.name: collides with the standard attribute "userName"/);
  expect(err).toMatch(/settings\.autoInvite: /);
  expect(existsSync(join(dir, 'receiver.db'))).toBe(false);
  if (onPostgres) expect(await databaseText()).toBe(''); // not even migrated: the file is read first
});

it('keeps every acknowledged write across a crash (SIGKILL)', async () => {
  const started = await start({ DATA_DIR: dir });
  const token = tokenOf(started.stdout());
  const ids: string[] = [];
  for (let i = 0; i < 25; i++) {
    const created = await call(started.baseUrl, token, 'POST', '/Users', oktaUser(`crash.${i}@example.com`));
    expect(created.status).toBe(201);
    ids.push(created.body.id);
  }
  const group = await call(started.baseUrl, token, 'POST', '/Groups', {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    displayName: 'Survivors',
    members: ids.map((value) => ({ value })),
  });
  expect(group.status).toBe(201);
  expect(await stop(started, 'SIGKILL')).toBeNull();

  const restarted = await start({ DATA_DIR: dir });
  const list = await call(restarted.baseUrl, token, 'GET', '/Users?count=100');
  expect(list.body.totalResults).toBe(25);
  const survivors = await call(restarted.baseUrl, token, 'GET', `/Groups/${group.body.id}`);
  expect(survivors.body.members).toHaveLength(25);
  expect(await stop(restarted)).toBe(0);
});

it('keeps every acknowledged write when killed (SIGKILL) in the middle of concurrent writes', async () => {
  // Eight clients create and modify users as fast as they are answered; on SQLite their writes share
  // transactions (group commit). The kill lands while some writes are in flight, unacknowledged.
  const started = await start({ DATA_DIR: dir, LOG_LEVEL: 'warn' });
  const token = tokenOf(started.stdout());
  const created = new Map<string, string>();
  const titles = new Map<string, string>();
  let killed = false;
  const client = async (c: number) => {
    for (let i = 0; !killed; i++) {
      const userName = `load.${c}.${i}@example.com`;
      let response;
      try {
        response = await call(started.baseUrl, token, 'POST', '/Users', oktaUser(userName));
      } catch {
        return; // the connection died with the process: never acknowledged
      }
      if (response.status !== 201) throw new Error(`create ${userName}: ${response.status} ${JSON.stringify(response.body)}`);
      created.set(response.body.id, userName);
      const title = `title ${c}.${i}`;
      try {
        response = await call(started.baseUrl, token, 'PATCH', `/Users/${response.body.id}`, patchOp({ op: 'replace', value: { title } }));
      } catch {
        return;
      }
      if (response.status !== 200) throw new Error(`patch ${userName}: ${response.status}`);
      titles.set(response.body.id, title);
      if (created.size >= 80 && !killed) {
        killed = true;
        started.child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, (_, c) => client(c)));
  expect(await started.exited).toBeNull();
  expect(created.size).toBeGreaterThanOrEqual(80);

  const restarted = await start({ DATA_DIR: dir, LOG_LEVEL: 'warn' });
  for (const [id, userName] of created) {
    const user = await call(restarted.baseUrl, token, 'GET', `/Users/${id}`);
    expect([user.status, user.body.userName]).toEqual([200, userName]);
    if (titles.has(id)) expect(user.body.title).toBe(titles.get(id));
  }
  expect(await stop(restarted)).toBe(0);
});

it('shuts down gracefully on SIGTERM, answering the requests already in flight', async () => {
  const started = await start({ DATA_DIR: dir });
  const token = tokenOf(started.stdout());
  const inFlight = Array.from({ length: 20 }, (_, i) => call(started.baseUrl, token, 'POST', '/Users', oktaUser(`flight.${i}@example.com`)));
  await new Promise((r) => setTimeout(r, 5));
  started.child.kill('SIGTERM');
  const results = await Promise.allSettled(inFlight);
  // Every request either completed with 201 or was refused before it started; none failed half-way.
  for (const result of results) {
    if (result.status === 'fulfilled') expect([201, 503]).toContain(result.value.status);
  }
  const code = await started.exited;
  if (code !== 0) throw new Error(`exit ${code}; stdout=${started.stdout()} stderr=${started.stderr()}`);
  expect(started.stdout()).toMatch(/shutting down/);
});
