/**
 * A receiver as it runs in production: the compiled entry point (receiver/dist, built by jest's global
 * setup) in its own process, on a fresh SQLite file, configured the way an environment's stacks (or,
 * without a receiver stack, its config) configure it.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadEnvironments } from '../../../config/environments';
import { receiverConfigJson } from '../../../constructs/receiver/receiver-settings';
import { sha256Hex } from '../../../receiver/src/auth/tokens';
import { jsonRequest } from '../../../scripts/lib/json-request';

const ROOT = resolve(__dirname, '../../..');
export const PROCESS_TOKEN = 'verify-test-token-0123456789abcdefghijklmnopqrstuvwxyz';
export const PROCESS_ADMIN_KEY = 'verify-test-admin-0123456789abcdefghijklmnopqrstuvwxyz';

export class ReceiverProcess {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly dir: string,
    /** http://127.0.0.1:<port> */
    readonly url: string,
    private readonly exited: Promise<unknown>,
  ) {}

  get scimBaseUrl(): string {
    return `${this.url}/scim/v2`;
  }

  static async start(env: Record<string, string>): Promise<ReceiverProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'receiver-process-'));
    const child = spawn(process.execPath, [join(ROOT, 'receiver/dist/main.js')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dir,
        LOG_LEVEL: 'warn',
        SCIM_TOKEN_SHA256: sha256Hex(PROCESS_TOKEN),
        ADMIN_API_KEY_SHA256: sha256Hex(PROCESS_ADMIN_KEY),
        ...env,
      },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += String(d)));
    child.stderr.on('data', (d) => (out += String(d)));
    const exited = new Promise((r) => child.on('exit', r));
    const url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`receiver did not start within 30 s: ${out}`)), 30_000);
      child.stdout.on('data', () => {
        const match = /SCIM base URL: (http:\/\/\S+)\/scim\/v2/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolveUrl(match[1]!);
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`receiver exited with ${String(code)}: ${out}`));
      });
    });
    return new ReceiverProcess(child, dir, url, exited);
  }

  async stop(): Promise<void> {
    this.child.kill('SIGTERM');
    await this.exited;
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** An authenticated JSON request (SCIM under /scim/v2, admin API under /api). */
  async request(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const admin = path.startsWith('/api/');
    const reply = await jsonRequest(method, `${this.url}${admin ? path : `/scim/v2${path}`}`, { token: admin ? PROCESS_ADMIN_KEY : PROCESS_TOKEN, body, parse: 'json' });
    return { status: reply.status, body: reply.body };
  }
}

/**
 * The receiver settings an environment's stacks hand the receiver: SCIM_EXTENSION_URN and the
 * configuration file, read from receiver-<env> (container env or config map), or, for a receiver run
 * elsewhere, what its config declares for it.
 */
export function receiverEnvironmentOf(stacks: Record<string, any>, env: string): Record<string, string> {
  const stack = stacks[`receiver-${env}`];
  if (!stack) {
    const config = loadEnvironments().find((e) => e.name === env);
    if (!config) throw new Error(`no environment ${env}`);
    const attributes = config.attributes.filter((a) => a.namespace === 'custom');
    return { SCIM_EXTENSION_URN: config.scimExtensionUrn, RECEIVER_CONFIG_JSON: receiverConfigJson({ publicUrl: '', extensionUrn: config.scimExtensionUrn, attributes }) };
  }
  const found: Record<string, string> = {};
  const visit = (value: unknown, key?: string): void => {
    if (typeof value === 'string') {
      for (const name of ['SCIM_EXTENSION_URN', 'RECEIVER_CONFIG_JSON']) if (value.startsWith(`${name}=`)) found[name] = value.slice(name.length + 1);
      if (key === 'config.json') found.RECEIVER_CONFIG_JSON = value;
    } else if (Array.isArray(value)) value.forEach((v) => visit(v, key));
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (record.name === 'SCIM_EXTENSION_URN' && typeof record.value === 'string') found.SCIM_EXTENSION_URN = record.value;
      for (const [k, v] of Object.entries(record)) visit(v, k);
    }
  };
  visit(stack.resource);
  if (!found.SCIM_EXTENSION_URN || !found.RECEIVER_CONFIG_JSON) throw new Error(`receiver-${env}: no SCIM_EXTENSION_URN or receiver configuration found`);
  return found;
}
