/**
 * The container build, checked without a Docker engine: what receiver/Dockerfile copies exists and is
 * in the build context, and its command starts the receiver from a production-only install.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const DOCKERFILE = readFileSync(join(ROOT, 'receiver/Dockerfile'), 'utf8');
const instructions = DOCKERFILE.replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

function dockerignoreAllows(path: string): boolean {
  // The project's .dockerignore is an allow-list: "**" then "!pattern" lines.
  const lines = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  let allowed = true;
  for (const line of lines) {
    const negate = line.startsWith('!');
    const pattern = (negate ? line.slice(1) : line).replace(/\/$/, '');
    const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    const regex = new RegExp(`^${escaped.split('**').map((part) => part.replace(/\*/g, '[^/]*')).join('.*')}$`);
    if (regex.test(path) || (pattern.endsWith('/.*') && path.startsWith(pattern.slice(0, -3)))) allowed = negate;
  }
  return allowed;
}

function sizeOf(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += sizeOf(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

describe('receiver/Dockerfile', () => {
  it('builds in stages from an official Node 22 LTS image and runs as non-root with a health check', () => {
    const froms = instructions.filter((l) => l.startsWith('FROM '));
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from).toMatch(/^FROM node:22(-[a-z-]+)?( AS \w+)?$/);
    expect(instructions).toContain('USER node');
    expect(instructions.find((l) => l.startsWith('HEALTHCHECK'))).toContain('/healthz');
    expect(instructions.find((l) => l.startsWith('VOLUME'))).toContain('/data');
    expect(instructions.find((l) => l.startsWith('CMD'))).toBe('CMD ["node", "receiver/dist/main.js"]');
  });

  it('copies only files that exist and that the build context (.dockerignore) includes', () => {
    const copies = instructions.filter((l) => l.startsWith('COPY ') && !l.includes('--from='));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      const parts = copy.split(/\s+/).slice(1).filter((p) => !p.startsWith('--'));
      for (const source of parts.slice(0, -1)) {
        expect({ source, exists: existsSync(join(ROOT, source)) }).toEqual({ source, exists: true });
        const files = statSync(join(ROOT, source)).isDirectory() ? readdirSync(join(ROOT, source), { recursive: true }).map((f) => `${source}/${String(f)}`) : [source];
        for (const file of files) expect({ file, inContext: dockerignoreAllows(file) }).toEqual({ file, inContext: true });
      }
    }
    expect(dockerignoreAllows('node_modules/cdktf/package.json')).toBe(false);
    expect(dockerignoreAllows('data/receiver.db')).toBe(false);
  });
});

describe('the production install', () => {
  let dir: string;
  let child: ChildProcessWithoutNullStreams | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'receiver-image-'));
    for (const file of ['package.json', 'package-lock.json']) cpSync(join(ROOT, file), join(dir, file));
    mkdirSync(join(dir, 'receiver'));
    cpSync(join(ROOT, 'receiver/package.json'), join(dir, 'receiver/package.json'));
    // The Dockerfile's deps stage, with the npm cache this machine already has.
    execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir, stdio: 'pipe' });
    // `npm rebuild better-sqlite3` in the image compiles the addon; reuse this machine's build (same Node).
    cpSync(join(ROOT, 'node_modules/better-sqlite3/build'), join(dir, 'node_modules/better-sqlite3/build'), { recursive: true });
    // receiver/dist is built once by test/global-setup.js, as the Dockerfile's build stage would.
    cpSync(join(ROOT, 'receiver/dist'), join(dir, 'receiver/dist'), { recursive: true });
  }, 120_000);

  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('carries the receiver dependencies only (no cdktf, no provider bindings, no dev tools)', () => {
    const from = { paths: [join(dir, 'receiver')] };
    for (const runtime of ['fastify', 'kysely', 'better-sqlite3', 'pino', 'zod', 'nodemailer', 'scim2-parse-filter', 'prom-client']) {
      expect(require.resolve(runtime, from).startsWith(dir)).toBe(true);
    }
    for (const devOnly of ['cdktf', 'cdktf-cli', '@cdktf/provider-okta', 'typescript', 'jest', 'tsx', 'eslint']) {
      expect(() => require.resolve(devOnly, from)).toThrow();
    }
    const size = sizeOf(join(dir, 'node_modules')) + (existsSync(join(dir, 'receiver/node_modules')) ? sizeOf(join(dir, 'receiver/node_modules')) : 0);
    expect(size).toBeLessThan(80 * 1024 * 1024);
  });

  it('starts with the Dockerfile command and environment, answers /healthz, writes only to DATA_DIR, stops on SIGTERM', async () => {
    const env: Record<string, string> = {};
    for (const line of instructions.filter((l) => l.startsWith('ENV '))) {
      for (const match of line.slice(4).matchAll(/(\w+)=(\S+)/g)) env[match[1]!] = match[2]!;
    }
    expect(env).toMatchObject({ HOST: '0.0.0.0', DATA_DIR: '/data', NODE_ENV: 'production' });
    const dataDir = join(dir, 'volume');
    const before = readdirSync(dir).sort();
    child = spawn(process.execPath, ['receiver/dist/main.js'], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', ...env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    const exited = new Promise<number | null>((r) => child!.on('exit', r));
    const base = await new Promise<string>((resolveBase, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start: ${out}`)), 15_000);
      child!.stdout.on('data', () => {
        const match = /SCIM base URL: (http:\/\/\S+)\/scim\/v2/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolveBase(match[1]!);
        }
      });
    });
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(existsSync(join(dataDir, 'receiver.db'))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual([...before, 'volume'].sort());
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    child = undefined;
  });
});
