/**
 * Where the receiver's CPU time goes, from a V8 CPU profile taken under `npm run bench`:
 *
 *   BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench
 *   node --require tsx/cjs bench/receiver/profile-split.ts /tmp/prof/*.cpuprofile \
 *     --window bench/results/receiver-….json
 *
 * With --window, only samples inside the bench's mixed phase count (its `mixedWindowUs`, on the same
 * monotonic clock as the profile); a profile outside every window is skipped. Each sample goes to the
 * category of its leaf frame; a native leaf (a better-sqlite3 statement, a socket write) to the nearest
 * JavaScript caller that names one. Idle time is left out, so the shares add up to the busy CPU.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const PACKAGES: [RegExp, string][] = [
  [/\/kysely\//, 'Kysely query building'],
  [/\/(fastify|find-my-way|avvio|light-my-request|fast-querystring|fast-json-stringify|@fastify|fast-uri|toad-cache|process-warning|abstract-logging|content-type|secure-json-parse|rfdc|fast-decode-uri-component)\//, 'Fastify'],
  [/\/(pino|pino-std-serializers|sonic-boom|thread-stream|fast-redact|quick-format-unescaped|@pinojs)\//, 'logging (pino)'],
  [/\/zod\//, 'our code (zod validation)'],
  [/\/prom-client\//, 'metrics (prom-client)'],
  [/\/scim2-parse-filter\//, 'our code (filter parsing)'],
  [/receiver\/dist\//, 'our code'],
  [/^node:(net|_http_outgoing|_http_server|_http_common|stream|internal\/stream|internal\/streams)|^node:internal\/(net|stream_base_commons|http)/, 'HTTP and socket (Node core)'],
];

function categoryOf(chain: ProfileNode[]): string {
  const leaf = chain[0]!;
  const name = leaf.callFrame.functionName;
  if (name === '(garbage collector)') return 'garbage collection';
  if (name === '(program)') return 'V8/native (program)';
  if (name === 'stringify' || name === 'parse' || name === 'JSONParse' || name === 'JSONStringify') {
    if (leaf.callFrame.url === '') return 'JSON parse/stringify';
  }
  // better-sqlite3 runs statements in C++ without a frame of its own: the time shows as the self time
  // of the JavaScript function that called it (Kysely's driver, or ours, which names reads and writes).
  if (/kysely\/dist\/cjs\/dialect\/sqlite\/sqlite-driver/.test(leaf.callFrame.url)) return 'SQLite (reads and writes)';
  if (/store\/sqlite\/group-commit-driver/.test(leaf.callFrame.url)) {
    if (name === 'sqliteRead') return 'SQLite reads';
    if (name === 'sqliteWrite') return 'SQLite writes';
    if (name === 'sqliteCommit') return 'SQLite commit (fsync)';
  }
  if (leaf.callFrame.url === '' || leaf.callFrame.url.startsWith('node:')) {
    // A native call: whose is it?
    for (const frame of chain) {
      const url = frame.callFrame.url;
      if (/kysely\/dist\/cjs\/dialect\/sqlite|better-sqlite3|store\/sqlite\//.test(url)) {
        if (name === 'run' || name === 'exec') return 'SQLite writes (run, commit)';
        if (name === 'all' || name === 'get' || name === 'iterate') return 'SQLite reads';
        if (name === 'prepare') return 'SQLite prepare';
      }
      if (/^node:|^$/.test(url)) {
        if (/writev|writeUtf8String|writeBuffer|writeLatin1String|writeAsciiString|shutdown/.test(frame.callFrame.functionName)) return 'HTTP and socket (Node core)';
        continue;
      }
      for (const [pattern, category] of PACKAGES) if (pattern.test(url)) return category;
      break;
    }
  }
  for (const frame of chain) {
    const url = frame.callFrame.url;
    for (const [pattern, category] of PACKAGES) if (pattern.test(url)) return category;
    if (url && !url.startsWith('node:')) return 'other';
  }
  return 'Node core (other)';
}

function windowsOf(argv: readonly string[]): [number, number][] {
  const files = argv.flatMap((a, i) => (a === '--window' ? [argv[i + 1]!] : []));
  return files.flatMap((file) => {
    const json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    const list = Array.isArray(json) ? json : [json];
    return list.map((r) => (r as { mixedWindowUs: [number, number] }).mixedWindowUs).filter(Boolean);
  });
}

function split(profile: Profile, windows: readonly [number, number][]): Map<string, number> | undefined {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, ProfileNode>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n);
  const window = windows.length === 0 ? undefined : windows.find(([a, b]) => profile.startTime < b && profile.endTime > a);
  if (windows.length > 0 && !window) return undefined;
  const totals = new Map<string, number>();
  const cache = new Map<number, string>();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i]!;
    if (window && (t < window[0] || t > window[1])) continue;
    const id = profile.samples[i]!;
    let category = cache.get(id);
    if (!category) {
      const chain: ProfileNode[] = [];
      for (let n: ProfileNode | undefined = byId.get(id); n; n = parent.get(n.id)) chain.push(n);
      category = chain[0]!.callFrame.functionName === '(idle)' ? 'idle' : categoryOf(chain);
      cache.set(id, category);
    }
    const delta = profile.timeDeltas[i + 1] ?? 0;
    totals.set(category, (totals.get(category) ?? 0) + delta);
  }
  return totals;
}

function main(): void {
  const argv = process.argv.slice(2);
  const windows = windowsOf(argv);
  const files = argv.filter((a, i) => a.endsWith('.cpuprofile') && argv[i - 1] !== '--window');
  for (const file of files) {
    const totals = split(JSON.parse(readFileSync(file, 'utf8')) as Profile, windows);
    if (!totals) continue;
    const idle = totals.get('idle') ?? 0;
    totals.delete('idle');
    const busy = [...totals.values()].reduce((a, b) => a + b, 0);
    console.log(`\n${file}: ${(busy / 1e6).toFixed(1)} s busy, ${(idle / 1e6).toFixed(1)} s idle`);
    for (const [category, us] of [...totals].sort((a, b) => b[1] - a[1])) {
      console.log(`${category.padEnd(32)} ${((us / busy) * 100).toFixed(1).padStart(5)}%`);
    }
  }
}

main();
