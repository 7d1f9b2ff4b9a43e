/**
 * Admin portal page times at a large directory, from a separate process (this one), against the
 * compiled receiver on a SQLite file seeded with BENCH_USERS users (default 100,000).
 *
 *   npm run bench:portal
 *
 * Reports the server time (the receiver's own response time, from a keep-alive client on the same
 * host) of the Users page: first page, the 200th page reached by keyset links, a search, newest-first,
 * the inactive filter, and a user's page. Prints a JSON summary.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { foldedJson, userSearchText } from '../../receiver/src/store/sql/shared';
import { openSqliteStore } from '../../receiver/src/store/sqlite/open-sqlite-store';
import { systemClock } from '../../receiver/src/time/clock';
import { foldText } from '../../receiver/src/text/fold';

const ROOT = resolve(__dirname, '../..');
const USERS = Number(process.env.BENCH_USERS ?? 100_000);

async function seed(file: string): Promise<void> {
  await (await openSqliteStore({ file, clock: systemClock })).close(); // migrations
  const db = new Database(file);
  const insert = db.prepare(`INSERT INTO scim_users (id, user_name, user_name_lower, external_id, display_name, active, data, data_folded, created, last_modified, version, search_text)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`);
  const at = new Date().toISOString();
  db.transaction(() => {
    for (let i = 0; i < USERS; i++) {
      const userName = `user${String(i).padStart(6, '0')}@example.com`;
      const data = { userName, name: { givenName: `Given${i}`, familyName: `Family${i}` }, displayName: `Given${i} Family${i}`, emails: [{ value: userName, primary: true, type: 'work' }], active: i % 10 !== 0, externalId: `00u${i}` };
      // The columns the receiver writes (store/sql/user-store.ts userColumns).
      insert.run(randomUUID(), userName, foldText(userName), `00u${i}`, data.displayName, data.active ? 1 : 0, JSON.stringify(data), foldedJson(data), at, at, userSearchText(data));
    }
  })();
  db.close();
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'portal-bench-'));
  const file = join(dir, 'receiver.db');
  const seedStart = Date.now();
  await seed(file);
  process.stdout.write(`seeded ${USERS} users in ${Date.now() - seedStart} ms\n`);
  const child = spawn(process.execPath, [join(ROOT, 'receiver/dist/main.js')], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', PORT: '0', SQLITE_FILE: file, LOG_LEVEL: 'warn' } });
  let out = '';
  child.stdout.on('data', (d) => (out += String(d)));
  try {
    const started = await new Promise<{ url: string; user: string; password: string }>((resolveStart, reject) => {
      const timer = setTimeout(() => reject(new Error(out)), 60_000);
      child.stdout.on('data', () => {
        const portal = /Admin portal: (http:\/\/\S+)\/admin/.exec(out);
        const account = /Admin portal account \([^)]*\): (\S+) \/ (\S+)/.exec(out);
        if (portal && account) {
          clearTimeout(timer);
          resolveStart({ url: portal[1]!, user: account[1]!, password: account[2]! });
        }
      });
    });
    const login = await fetch(`${started.url}/admin/login`);
    const loginCookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1]!;
    const signedIn = await fetch(`${started.url}/admin/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, username: started.user, password: started.password }).toString(),
    });
    const cookie = signedIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const time = async (path: string): Promise<{ ms: number; body: string }> => {
      const begin = process.hrtime.bigint();
      const response = await fetch(`${started.url}${path}`, { headers: { cookie } });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
      return { ms: Number(process.hrtime.bigint() - begin) / 1e6, body };
    };
    const median = async (path: string, runs = 7) => {
      const samples: number[] = [];
      for (let i = 0; i < runs; i++) samples.push((await time(path)).ms);
      return Math.round(samples.sort((a, b) => a - b)[Math.floor(runs / 2)]! * 10) / 10;
    };
    // Follow "Next" 199 times to reach page 200 by keyset links, as a user clicking would.
    let path = '/admin/users';
    for (let i = 0; i < 199; i++) {
      const next = /rel="next" href="([^"]+)"/.exec((await time(path)).body)![1]!.replace(/&amp;/g, '&');
      path = next;
    }
    const firstUser = /href="(\/admin\/users\/[0-9a-f-]{36})"/.exec((await time('/admin/users')).body)![1]!;
    const results = {
      users: USERS,
      firstPageMs: await median('/admin/users'),
      page200Ms: await median(path),
      searchMs: await median('/admin/users?q=given4242'),
      newestFirstMs: await median('/admin/users?sort=newest'),
      inactiveMs: await median('/admin/users?status=inactive'),
      userPageMs: await median(`${firstUser}?tab=attributes`),
      groupsPageMs: await median('/admin/groups'),
    };
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } finally {
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
