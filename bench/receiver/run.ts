/**
 * Okta-like load against the compiled receiver, from a separate process (this one).
 *
 *   npm run bench                                  # SQLite, 20,000 users, 20 s mixed load
 *   BENCH_USERS=100000 npm run bench               # the same at 100,000 users
 *   npm run bench -- --store postgres              # PostgreSQL (a fresh database on BENCH_PG_URL)
 *   npm run bench -- --store postgres --replicas 2 # two receivers on it, driven round-robin
 *   npm run bench -- --compare                     # SQLite, PostgreSQL, PostgreSQL × 2 in one run
 *   npm run bench -- --synchronous FULL,NORMAL     # SQLite with each setting, one after the other
 *   npm run bench -- --receivers before=/tmp/old/receiver/dist/main.js,after=receiver/dist/main.js
 *                                                  # two builds in one run (before/after a change)
 *
 * The robust figure on a shared machine is requests per receiver CPU-second (req/CPU-s): requests
 * divided by the CPU time the receiver process used during the mixed phase, read from /proc.
 *
 * Settings: BENCH_USERS, BENCH_DURATION_S, BENCH_CONCURRENCY, BENCH_SQLITE_SYNCHRONOUS (FULL|NORMAL, or both comma-separated),
 * BENCH_PG_URL (server and maintenance database to create the bench database from; default
 * postgres://postgres@127.0.0.1:5432/test), BENCH_NODE_ARGS (extra node arguments for the receiver,
 * e.g. --cpu-prof). Prints one line per phase and a JSON summary (also written to bench/results/).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';

const ROOT = resolve(__dirname, '../..');
const USERS = Number(process.env.BENCH_USERS ?? 20_000);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const TOKEN = `bench-${Date.now()}-${Math.random().toString(36).slice(2)}`;
const PG_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

type StoreKind = 'sqlite' | 'postgres';
type Synchronous = 'FULL' | 'NORMAL';
interface Scenario {
  store: StoreKind;
  replicas: number;
  synchronous: Synchronous;
  /** A label and the receiver entry point (receiver/dist/main.js unless --receivers names others). */
  receiver: { label: string; entry: string };
}

const DEFAULT_ENTRY = join(ROOT, 'receiver/dist/main.js');

function scenarios(argv: readonly string[]): Scenario[] {
  const at = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  const synchronous = (at('--synchronous') ?? process.env.BENCH_SQLITE_SYNCHRONOUS ?? 'FULL').split(',').map((s) => s.trim().toUpperCase());
  for (const s of synchronous) if (s !== 'FULL' && s !== 'NORMAL') throw new Error('--synchronous takes FULL, NORMAL or FULL,NORMAL');
  const receivers = at('--receivers')
    ?.split(',')
    .map((pair) => {
      const [label, entry] = pair.includes('=') ? [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] : [pair, pair];
      return { label: label!, entry: resolve(entry!) };
    }) ?? [{ label: 'current', entry: DEFAULT_ENTRY }];
  let shapes: { store: StoreKind; replicas: number }[];
  if (argv.includes('--compare')) {
    shapes = [
      { store: 'sqlite', replicas: 1 },
      { store: 'postgres', replicas: 1 },
      { store: 'postgres', replicas: 2 },
    ];
  } else {
    const store = at('--store') ?? 'sqlite';
    const replicas = Number(at('--replicas') ?? 1);
    if (store !== 'sqlite' && store !== 'postgres') throw new Error('--store must be sqlite or postgres');
    if (!Number.isInteger(replicas) || replicas < 1 || replicas > 8) throw new Error('--replicas must be an integer from 1 to 8');
    if (store === 'sqlite' && replicas > 1) throw new Error('several replicas need --store postgres (SQLite is one process)');
    shapes = [{ store, replicas }];
  }
  const out: Scenario[] = [];
  for (const shape of shapes) {
    // The synchronous setting only means something to SQLite.
    for (const sync of shape.store === 'sqlite' ? synchronous : ['FULL']) {
      for (const receiver of receivers) out.push({ ...shape, synchronous: sync as Synchronous, receiver });
    }
  }
  return out;
}

function nameOf(s: Scenario, all: readonly Scenario[]): string {
  const base = s.store === 'sqlite' ? `SQLite ${s.synchronous}` : `PostgreSQL × ${s.replicas}`;
  return all.some((o) => o.receiver.label !== s.receiver.label) ? `${base} [${s.receiver.label}]` : base;
}

let agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
/** The receivers' ports; requests go round-robin over them (a load balancer's job). */
let ports: number[] = [];
let nextPort = 0;

interface Reply {
  status: number;
  body: string;
}

function request(method: string, path: string, body?: unknown): Promise<Reply> {
  return new Promise((resolveReply, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const port = ports[nextPort++ % ports.length];
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: `/scim/v2${path}`,
        agent,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          accept: 'application/scim+json',
          ...(payload ? { 'content-type': 'application/scim+json; charset=utf-8', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolveReply({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const ms = (n: number) => Math.round(n * 100) / 100;

function userBody(i: number, extra: Record<string, unknown> = {}) {
  const userName = `bench.user.${i}@example.com`;
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
    userName,
    name: { givenName: 'Bench', familyName: `User${i}` },
    emails: [{ primary: true, value: userName, type: 'work' }],
    displayName: `Bench User${i}`,
    locale: 'en-US',
    externalId: `00u${i.toString(36).padStart(8, '0')}`,
    groups: [],
    password: 'not-stored',
    active: true,
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: `Dept ${i % 20}`, costCenter: `CC-${i % 50}` },
    ...extra,
  };
}

async function startReceiver(scenario: Scenario, dataDir: string, databaseUrl: string | undefined) {
  // e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the receiver under load
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const spawned = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, scenario.receiver.entry], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '0',
      SQLITE_SYNCHRONOUS: scenario.synchronous,
      SCIM_TOKEN_SHA256: createHash('sha256').update(TOKEN).digest('hex'),
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const base = await new Promise<string>((resolveBase, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
      const match = /SCIM base URL: (\S+)/.exec(out);
      if (match) resolveBase(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`receiver exited with ${code}`)));
  });
  const port = Number(new URL(base).port);
  // Cold start: from spawn to the first 200 from /readyz (the database opened and migrated).
  for (;;) {
    const ready = await new Promise<number>((r) => {
      http
        .get({ host: '127.0.0.1', port, path: '/readyz' }, (res) => {
          res.resume();
          r(res.statusCode ?? 0);
        })
        .on('error', () => r(0));
    });
    if (ready === 200) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  // And the CPU the receiver spent getting there: on a shared machine, wall time also counts waiting for a core.
  return { child, port, coldStartMs: Math.round(performance.now() - spawned), coldStartCpuMs: Math.round(cpuSeconds(child.pid!) * 1000) };
}

async function stopReceiver(child: ReturnType<typeof spawn>): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function pgAdmin(statement: string): Promise<void> {
  const client = new Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Process CPU seconds summed over the replicas. */
const cpuOf = (pids: number[]) => pids.reduce((n, pid) => n + cpuSeconds(pid), 0);

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

/** Runs `task(i)` for i in [0, n) with `CONCURRENCY` workers. */
async function pool(n: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

async function runScenario(scenario: Scenario, all: readonly Scenario[]): Promise<Record<string, any>> {
  const label = nameOf(scenario, all);
  console.log(`\n== ${label} ==`);
  const dataDir = mkdtempSync(join(tmpdir(), 'scim-bench-'));
  let databaseUrl: string | undefined;
  if (scenario.store === 'postgres') {
    const name = `scimkit_bench_${Date.now().toString(36)}`;
    await pgAdmin(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`);
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  }
  agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const started = [];
  // One after the other: the first migrates, the others find the schema ready.
  for (let r = 0; r < scenario.replicas; r++) started.push(await startReceiver(scenario, dataDir, databaseUrl));
  ports = started.map((s) => s.port);
  const pids = started.map((s) => s.child.pid!);
  const child = started[0]!.child;
  const summary: Record<string, any> = {
    name: label,
    store: scenario.store,
    replicas: scenario.replicas,
    receiver: scenario.receiver,
    users: USERS,
    durationS: DURATION_S,
    concurrency: CONCURRENCY,
    ...(scenario.store === 'sqlite' ? { sqliteSynchronous: scenario.synchronous } : {}),
    coldStartEmptyMs: started[0]!.coldStartMs,
    coldStartEmptyCpuMs: started[0]!.coldStartCpuMs,
  };
  try {
    // Seed
    const ids: string[] = new Array(USERS);
    let t = performance.now();
    await pool(USERS, async (i) => {
      const res = await request('POST', '/Users', userBody(i));
      if (res.status !== 201) throw new Error(`seed ${i}: ${res.status} ${res.body}`);
      ids[i] = (JSON.parse(res.body) as { id: string }).id;
    });
    const seedS = (performance.now() - t) / 1000;
    summary.seed = { seconds: ms(seedS), perSecond: Math.round(USERS / seedS) };
    console.log(`seed: ${USERS} users by POST in ${ms(seedS)} s (${Math.round(USERS / seedS)}/s)`);

    // Mixed Okta-like load
    const latencies: number[] = [];
    const byKind: Record<string, number> = { lookup: 0, get: 0, put: 0, patch: 0 };
    let errors = 0;
    const active = new Map<number, boolean>();
    const deadline = performance.now() + DURATION_S * 1000;
    const receiverCpuBefore = cpuOf(pids);
    // On the monotonic clock V8's CPU profiles use, so bench/receiver/profile-split.ts can keep this window only.
    const windowStartUs = Number(process.hrtime.bigint() / 1000n);
    const generatorCpuBefore = process.cpuUsage();
    t = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (performance.now() < deadline) {
          const i = Math.floor(Math.random() * USERS);
          const roll = Math.random();
          const started = performance.now();
          let res: Reply;
          if (roll < 0.7) {
            byKind.lookup!++;
            const filter = encodeURIComponent(`userName eq "BENCH.user.${i}@example.com"`);
            res = await request('GET', `/Users?filter=${filter}&startIndex=1&count=100`);
            if (res.status === 200 && !res.body.includes('"totalResults":1')) errors++;
          } else if (roll < 0.85) {
            byKind.get!++;
            res = await request('GET', `/Users/${ids[i]}`);
          } else if (roll < 0.95) {
            byKind.put!++;
            res = await request('PUT', `/Users/${ids[i]}`, { ...userBody(i, { title: `Title ${Math.random()}` }), id: ids[i] });
          } else {
            byKind.patch!++;
            const next = !(active.get(i) ?? true);
            active.set(i, next);
            res = await request('PATCH', `/Users/${ids[i]}`, {
              schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
              Operations: [{ op: 'replace', value: { active: next } }],
            });
          }
          latencies.push(performance.now() - started);
          if (res.status !== 200) errors++;
        }
      }),
    );
    const elapsed = (performance.now() - t) / 1000;
    summary.mixedWindowUs = [windowStartUs, Number(process.hrtime.bigint() / 1000n)];
    const receiverCpuSeconds = cpuOf(pids) - receiverCpuBefore;
    const receiverCpu = receiverCpuSeconds / elapsed;
    const generatorUsage = process.cpuUsage(generatorCpuBefore);
    const generatorCpu = (generatorUsage.user + generatorUsage.system) / 1e6 / elapsed;
    latencies.sort((a, b) => a - b);
    const mixed = {
      requests: latencies.length,
      perSecond: Math.round(latencies.length / elapsed),
      /** The figure that does not depend on what else runs on the machine: requests per second of receiver CPU. */
      perCpuSecond: Math.round(latencies.length / receiverCpuSeconds),
      p50ms: ms(percentile(latencies, 50)),
      p95ms: ms(percentile(latencies, 95)),
      p99ms: ms(percentile(latencies, 99)),
      maxMs: ms(latencies[latencies.length - 1] ?? 0),
      errors,
      mix: byKind,
      /** Cores busy on average (all replicas; PostgreSQL's own processes not counted): receivers, database and this generator share the machine's 2. */
      receiverCores: ms(receiverCpu),
      generatorCores: ms(generatorCpu),
    };
    summary.mixed = mixed;
    console.log(
      `mixed: ${mixed.requests} requests in ${ms(elapsed)} s = ${mixed.perSecond} req/s, ${mixed.perCpuSecond} per receiver CPU-second; p50 ${mixed.p50ms} ms, p95 ${mixed.p95ms} ms, p99 ${mixed.p99ms} ms; errors ${errors}; cores busy: receiver ${mixed.receiverCores}, generator ${mixed.generatorCores}`,
    );

    // Import: page through everything with count=100
    t = performance.now();
    let seen = 0;
    for (let start = 1; ; start += 100) {
      const res = await request('GET', `/Users?startIndex=${start}&count=100`);
      const page = JSON.parse(res.body) as { itemsPerPage: number; totalResults: number };
      seen += page.itemsPerPage;
      if (page.itemsPerPage === 0 || seen >= page.totalResults) break;
    }
    const pagingMs = performance.now() - t;
    summary.paging = { users: seen, ms: Math.round(pagingMs) };
    console.log(`paging: ${seen} users with count=100 in ${Math.round(pagingMs)} ms`);

    // Group push: PATCH adding 1,000 members in one request
    const group = JSON.parse(
      (await request('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Bench Patch', members: [] })).body,
    ) as { id: string };
    const thousand = ids.slice(0, 1000).map((value) => ({ value, display: value }));
    t = performance.now();
    const patched = await request('PATCH', `/Groups/${group.id}?excludedAttributes=members`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', path: 'members', value: thousand }],
    });
    const patchMs = performance.now() - t;
    if (patched.status !== 200) throw new Error(`patch group: ${patched.status} ${patched.body}`);
    summary.patchAdd1000 = { ms: ms(patchMs) };
    console.log(`group PATCH adding 1,000 members: ${ms(patchMs)} ms`);

    // Group push on AIW apps: PUT with a 10,000-member list (diff against 1,000 existing)
    const tenThousand = ids.slice(0, Math.min(10_000, USERS)).map((value) => ({ value, display: value }));
    t = performance.now();
    const put = await request('PUT', `/Groups/${group.id}`, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
      displayName: 'Bench Patch',
      members: tenThousand,
    });
    const putMs = performance.now() - t;
    if (put.status !== 200) throw new Error(`put group: ${put.status} ${put.body}`);
    summary.put10000 = { members: tenThousand.length, ms: ms(putMs) };
    console.log(`group PUT with ${tenThousand.length} members: ${ms(putMs)} ms`);

    const memory = rssMb(child.pid!);
    summary.memoryMb = memory;
    console.log(`receiver memory: RSS ${memory.rss} MB (peak ${memory.peak} MB)`);

    // Cold start on the populated database (SQLite: one process, restart it in place).
    if (scenario.store === 'sqlite') {
      await stopReceiver(child);
      const again = await startReceiver(scenario, dataDir, databaseUrl);
      started[0] = again;
      summary.coldStartPopulatedMs = again.coldStartMs;
      summary.coldStartPopulatedCpuMs = again.coldStartCpuMs;
    }
    console.log(
      `cold start (spawn to /readyz 200): ${summary.coldStartEmptyMs} ms (${summary.coldStartEmptyCpuMs} ms CPU) on an empty database${summary.coldStartPopulatedMs !== undefined ? `, ${summary.coldStartPopulatedMs} ms (${summary.coldStartPopulatedCpuMs} ms CPU) with ${USERS} users` : ''}`,
    );
  } finally {
    await Promise.all(started.map((s) => stopReceiver(s.child)));
    agent.destroy();
    rmSync(dataDir, { recursive: true, force: true });
    if (databaseUrl) await pgAdmin(`DROP DATABASE IF EXISTS ${new URL(databaseUrl).pathname.slice(1)} WITH (FORCE)`);
  }
  return summary;
}

async function main(): Promise<void> {
  if (process.argv.includes('--help')) {
    console.log(/\/\*\*([\s\S]*?)\*\//.exec(readFileSync(__filename, 'utf8'))![1]!.replace(/^ \* ?/gm, ''));
    return;
  }
  execBuildCheck();
  const results: Record<string, any>[] = [];
  const all = scenarios(process.argv.slice(2));
  for (const scenario of all) results.push(await runScenario(scenario, all));
  if (results.length > 1) {
    const base = results[0]!.mixed.perCpuSecond as number;
    const width = Math.max(18, ...results.map((r) => String(r.name).length));
    console.log(
      `\n${'scenario'.padEnd(width)}  req/s  req/CPU-s  vs first  p50 ms  p99 ms  seed/s  paging ms  PATCH+1000 ms  PUT 10000 ms  RSS MB  cold ms  cold CPU ms`,
    );
    for (const r of results) {
      console.log(
        [
          String(r.name).padEnd(width),
          String(r.mixed.perSecond).padStart(6),
          String(r.mixed.perCpuSecond).padStart(10),
          `${Math.round((r.mixed.perCpuSecond / base) * 100)}%`.padStart(9),
          String(r.mixed.p50ms).padStart(7),
          String(r.mixed.p99ms).padStart(7),
          String(r.seed.perSecond).padStart(7),
          String(r.paging.ms).padStart(10),
          String(r.patchAdd1000.ms).padStart(14),
          String(r.put10000.ms).padStart(13),
          String(r.memoryMb.rss).padStart(7),
          String(r.coldStartPopulatedMs ?? r.coldStartEmptyMs).padStart(8),
          String(r.coldStartPopulatedCpuMs ?? r.coldStartEmptyCpuMs).padStart(12),
        ].join(' '),
      );
    }
  }
  const resultsDir = join(ROOT, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const tag = [...new Set(results.map((r) => `${r.store}${r.replicas > 1 ? `x${r.replicas}` : ''}`))].join('-');
  const file = join(resultsDir, `receiver-${USERS}-${tag}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const output = results.length === 1 ? results[0] : results;
  writeFileSync(file, JSON.stringify(output, null, 2));
  console.log(JSON.stringify(output));
}

function execBuildCheck(): void {
  for (const { receiver } of scenarios(process.argv.slice(2))) {
    try {
      readFileSync(receiver.entry);
    } catch {
      throw new Error(`${receiver.entry} is missing: run \`npm run build\` (npm run bench does it for you)`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
