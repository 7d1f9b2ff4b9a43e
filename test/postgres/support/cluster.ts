/**
 * A throw-away PostgreSQL cluster of our own (initdb + pg_ctl in a temp directory, on a free port), for
 * tests that stop and restart the server: the machine's shared cluster is never touched.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** initdb refuses to run as root: then the cluster belongs to the `postgres` system user. */
export function asClusterOwner(path: string): void {
  if (process.getuid?.() !== 0) return;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  chownSync(path, uid, gid);
}

function run(command: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  execFileSync(asRoot ? 'runuser' : join(BIN, command), asRoot ? ['-u', 'postgres', '--', join(BIN, command), ...args] : args, { stdio: 'pipe' });
}

export class ThrowawayCluster {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly serverOptions: string,
  ) {}

  /** `prepare(dir)` runs before the first start (e.g. writes TLS files); `serverOptions` are extra `-c` flags. */
  static async create(options: { serverOptions?: string; prepare?: (dir: string) => void } = {}): Promise<ThrowawayCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'scim-pg-'));
    asClusterOwner(dir);
    run('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
    options.prepare?.(dir);
    const cluster = new ThrowawayCluster(dir, await freePort(), options.serverOptions ?? '');
    cluster.start();
    return cluster;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  start(): void {
    run('pg_ctl', [
      '-D', join(this.dir, 'data'),
      '-l', join(this.dir, 'server.log'),
      '-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off ${this.serverOptions}`,
      '-w', 'start',
    ]);
  }

  /** `fast`: connected sessions are terminated (admin shutdown), as in a restart or failover. */
  stop(): void {
    run('pg_ctl', ['-D', join(this.dir, 'data'), '-m', 'fast', '-w', 'stop']);
  }

  destroy(): void {
    try {
      this.stop();
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
