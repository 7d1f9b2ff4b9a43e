/**
 * How long can one admitted request hold the receiver's event loop? Seeds N users (default 100,000)
 * straight into SQLite, starts the compiled receiver, and times the most expensive filters the default
 * limits admit, while a second connection polls /healthz every 10 ms (its worst latency is how long the
 * event loop was blocked). Also measures list and group response sizes with and without compression.
 *
 *   npm run build -w receiver && node --require tsx/cjs bench/receiver/worst-filter.ts
 *   BENCH_USERS=20000 …                     # fewer users
 *
 * Prints one line per measurement and writes a JSON summary to bench/results/.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { foldedJson } from '../../receiver/src/store/sql/shared';
import { openSqliteStore } from '../../receiver/src/store/sqlite/open-sqlite-store';
import { systemClock } from '../../receiver/src/time/clock';
import { foldText } from '../../receiver/src/text/fold';

const ROOT = resolve(__dirname, '../..');
const USERS = Number(process.env.BENCH_USERS ?? 100_000);
const GROUP_MEMBERS = 5000;
const TOKEN = `bench-${randomUUID()}`;
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

interface Reply {
  status: number;
  bytes: number;
  encoding?: string;
  body: string;
}

function request(port: number, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolveReply, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          ...(payload ? { 'content-type': 'application/scim+json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const raw = Buffer.concat(chunks);
          const encoding = res.headers['content-encoding'];
          resolveReply({ status: res.statusCode ?? 0, bytes: raw.length, ...(encoding ? { encoding } : {}), body: encoding ? '' : raw.toString('utf8') });
        });
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

/** Seeds users (and one group of GROUP_MEMBERS) with one transaction of plain INSERTs: minutes faster than POSTs. */
async function seed(file: string): Promise<string> {
  const store = await openSqliteStore({ file, synchronous: 'NORMAL', clock: systemClock });
  await store.close();
  const db = new Database(file);
  const insert = db.prepare(`INSERT INTO scim_users (id, user_name, user_name_lower, external_id, display_name, active, data, data_folded, created, last_modified, version)
    VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, 1)`);
  const at = new Date().toISOString();
  db.transaction(() => {
    for (let i = 0; i < USERS; i++) {
      const userName = `bench.user.${i}@example.com`;
      const data = {
        userName,
        name: { givenName: 'Bench', familyName: `User${i}` },
        emails: [{ primary: true, value: userName, type: 'work' }, { value: `home.${i}@example.net`, type: 'home' }],
        displayName: `Bench User${i}`,
        title: `Engineer ${i % 97}`,
        locale: 'en-US',
        externalId: `00u${i.toString(36).padStart(8, '0')}`,
        active: true,
        [ENTERPRISE]: { department: `Dept ${i % 20}`, costCenter: `CC-${i % 50}` },
      };
      insert.run(randomUUID(), userName, foldText(userName), data.externalId, data.displayName, JSON.stringify(data), foldedJson(data), at, at);
    }
  })();
  const groupId = randomUUID();
  db.prepare(`INSERT INTO scim_groups (id, display_name, display_name_lower, data, data_folded, created, last_modified, version) VALUES (?, 'Big Group', 'big group', ?, ?, ?, ?, 1)`).run(
    groupId,
    JSON.stringify({ displayName: 'Big Group' }),
    foldedJson({ displayName: 'Big Group' }),
    at,
    at,
  );
  db.prepare(`INSERT INTO scim_group_members (group_seq, user_seq) SELECT (SELECT seq FROM scim_groups WHERE id = ?), seq FROM scim_users ORDER BY seq LIMIT ?`).run(groupId, GROUP_MEMBERS);
  db.close();
  return groupId;
}

async function start(dataDir: string, env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [join(ROOT, 'receiver/dist/main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '0',
      SCIM_MAX_PAGE_SIZE: '1000',
      SCIM_TOKEN_SHA256: createHash('sha256').update(TOKEN).digest('hex'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolvePort, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const match = /SCIM base URL: http:\/\/[^:]+:(\d+)/.exec(out);
      if (match) resolvePort(Number(match[1]));
    });
    child.on('exit', (code) => reject(new Error(`receiver exited with ${code}`)));
  });
  return { child, port };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Times one request while /healthz is polled every 10 ms; the worst /healthz latency is the event-loop block. */
async function timed(port: number, method: string, path: string, body?: unknown) {
  let polling = true;
  let worstHealthMs = 0;
  const poller = (async () => {
    while (polling) {
      const t = performance.now();
      await request(port, 'GET', '/healthz');
      worstHealthMs = Math.max(worstHealthMs, performance.now() - t);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  await new Promise((r) => setTimeout(r, 30));
  const t = performance.now();
  const reply = await request(port, method, path, body);
  const ms = performance.now() - t;
  polling = false;
  await poller;
  let detail = '';
  try {
    const parsed = JSON.parse(reply.body) as { totalResults?: number; scimType?: string };
    detail = parsed.scimType ?? `totalResults ${parsed.totalResults}`;
  } catch {
    detail = reply.body.slice(0, 80);
  }
  return { status: reply.status, ms: Math.round(ms), worstHealthMs: Math.round(worstHealthMs), detail };
}

const q = (filter: string) => `/scim/v2/Users?count=100&filter=${encodeURIComponent(filter)}`;

/** The most expensive shapes the default limits admit (32 terms, 4 value paths, depth 8, 4,096 characters). */
function worstFilters(): Record<string, string> {
  const orTerms = (n: number, term: (i: number) => string) => Array.from({ length: n }, (_, i) => term(i)).join(' or ');
  const inner = (i: number) => orTerms(7, (j) => [`value co "zz${i}${j}"`, `type ew "zz${i}${j}"`, `display sw "zz${i}${j}"`][j % 3]!);
  return {
    'Okta lookup: userName eq': `userName eq "bench.user.${USERS - 1}@example.com"`,
    'Okta lookup: emails.value eq (JSON)': `emails.value eq "bench.user.${USERS - 1}@example.com"`,
    '32 ORed co on JSON strings, no match': orTerms(32, (i) => `title co "zz${i}"`),
    '32 ORed co on extension strings, no match': orTerms(32, (i) => `${ENTERPRISE}:department co "zz${i}"`),
    '4 value paths × 7 inner terms + 4 co, no match': `${orTerms(4, (i) => `emails[${inner(i)}]`)} or ${orTerms(4, (i) => `title co "yy${i}"`)}`,
    'depth-8 nested not over co': `${'not ('.repeat(8)}title co "zz"${')'.repeat(8)}`,
    '32 ANDed ne (every row matches, count needed)': Array.from({ length: 32 }, (_, i) => `title ne "zz${i}"`).join(' and '),
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'scim-worst-'));
  const results: Record<string, unknown> = { users: USERS, groupMembers: GROUP_MEMBERS };
  try {
    const t = performance.now();
    const groupId = await seed(join(dir, 'receiver.db'));
    console.log(`seeded ${USERS} users and a ${GROUP_MEMBERS}-member group in ${Math.round(performance.now() - t)} ms`);

    // 1. Raw cost with the time budget out of the way (its maximum), then 2. with the default budget.
    for (const [label, limit] of [['unbounded (SCIM_QUERY_TIME_LIMIT_MS=60000)', '60000'], ['default (SCIM_QUERY_TIME_LIMIT_MS=1000)', '1000']] as const) {
      const { child, port } = await start(dir, { SCIM_QUERY_TIME_LIMIT_MS: limit });
      try {
        const rows: Record<string, unknown> = {};
        await request(port, 'GET', q('userName eq "warm@example.com"')); // warm the page cache
        for (const [name, filter] of Object.entries(worstFilters())) {
          const m = await timed(port, 'GET', q(filter));
          rows[name] = { ...m, filterLength: filter.length };
          console.log(`${label} | ${name}: ${m.status} ${m.detail} in ${m.ms} ms; /healthz worst ${m.worstHealthMs} ms`);
        }
        const sorted = await timed(port, 'GET', `/scim/v2/Users?count=1000&sortBy=${encodeURIComponent(`${ENTERPRISE}:costCenter`)}&filter=${encodeURIComponent('userName pr')}`);
        rows['sort by an extension attribute, filter matching all, count=1000'] = sorted;
        console.log(`${label} | sort 100k by extension attribute: ${sorted.status} ${sorted.detail} in ${sorted.ms} ms; /healthz worst ${sorted.worstHealthMs} ms`);
        results[label] = rows;

        if (limit === '1000') {
          const sizes: Record<string, unknown> = {};
          for (const [name, path] of [
            ['GET /Users?count=1000', '/scim/v2/Users?count=1000'],
            [`GET /Groups/{id} (${GROUP_MEMBERS} members)`, `/scim/v2/Groups/${groupId}`],
          ] as const) {
            const plain = await request(port, 'GET', path);
            const gzip = await request(port, 'GET', path, undefined, { 'accept-encoding': 'gzip, deflate' });
            const br = await request(port, 'GET', path, undefined, { 'accept-encoding': 'br' });
            sizes[name] = { identity: plain.bytes, gzip: gzip.bytes, br: br.bytes, encodings: [gzip.encoding, br.encoding] };
            console.log(`${name}: ${plain.bytes} bytes; gzip ${gzip.bytes} (${gzip.encoding}); br ${br.bytes} (${br.encoding})`);
          }
          results.responseSizes = sizes;
        }
      } finally {
        await stop(child);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const resultsDir = join(ROOT, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `worst-filter-${USERS}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(results, null, 2));
  console.log(`summary: ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
