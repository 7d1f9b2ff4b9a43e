/**
 * Real receiver processes (receiver/dist/main.js, built by the global setup) on one PostgreSQL
 * database: what a Deployment with several replicas runs.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { sha256Hex } from '../../../receiver/src/auth/tokens';
import { ADMIN_KEY, TOKEN } from '../../receiver/support/harness';
import { jsonRequest } from '../../../scripts/lib/json-request';

const ROOT = resolve(__dirname, '../../..');
const ENTRY = join(ROOT, 'receiver/dist/main.js');

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

export class Replica {
  private out = '';
  readonly exited: Promise<number | null>;

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    readonly url: string,
    out: string,
  ) {
    this.out = out;
    child.stdout.on('data', (d) => (this.out += String(d)));
    child.stderr.on('data', (d) => (this.out += String(d)));
    this.exited = new Promise((resolveExit) => {
      if (child.exitCode !== null) resolveExit(child.exitCode);
      else child.on('exit', (code) => resolveExit(code));
    });
  }

  /** Everything the process printed (startup lines and JSON logs). */
  get output(): string {
    return this.out;
  }

  static async start(databaseUrl: string, env: Record<string, string> = {}): Promise<Replica> {
    const child = spawn(process.execPath, [ENTRY], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        LOG_LEVEL: 'info',
        DATABASE_URL: databaseUrl,
        SCIM_TOKEN_SHA256: sha256Hex(TOKEN),
        ADMIN_API_KEY_SHA256: sha256Hex(ADMIN_KEY),
        RATE_LIMIT_PER_MINUTE: '0',
        ...env,
      },
    });
    let out = '';
    const onData = (d: Buffer) => (out += String(d));
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start within 20 s: ${out}`)), 20_000);
      child.stdout.on('data', () => {
        const match = /SCIM base URL: (http:\/\/\S+)\/scim\/v2/.exec(out);
        if (match && /SCIM tokens:/.test(out)) {
          clearTimeout(timer);
          resolveUrl(match[1]!.replace('localhost', '127.0.0.1'));
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`replica exited with ${code}: ${out}`));
      });
    });
    child.stdout.off('data', onData);
    child.stderr.off('data', onData);
    return new Replica(child, url, out);
  }

  async request(method: string, path: string, body?: unknown, token: string = path.startsWith('/api') ? ADMIN_KEY : TOKEN): Promise<Reply> {
    const url = path.startsWith('/api') || path.startsWith('/readyz') ? `${this.url}${path}` : `${this.url}/scim/v2${path}`;
    const reply = await jsonRequest(method, url, { token, body });
    return { status: reply.status, headers: reply.headers, body: reply.body };
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    return this.exited;
  }

  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

/** Polls `condition` until it holds (or fails after `timeoutMs`, naming `what`). */
export async function eventually(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
