import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../../../receiver/src/auth/tokens';
import type { RunningReceiver } from '../../../receiver/src/server';
import { createLogger, startReceiver } from '../../../receiver/src/server';
import { loadSettings } from '../../../receiver/src/settings';
import type { Logger } from 'pino';
import type { Clock } from '../../../receiver/src/time/clock';
import { createTestDatabase, dropTestDatabase, onPostgres } from './postgres';
import { jsonRequest } from '../../../scripts/lib/json-request';

export const TOKEN = 'test-token-0123456789abcdefghijklmnopqrstuvwxyz';
export const ADMIN_KEY = 'test-admin-key-0123456789abcdefghijklmnopqrstuvwxyz';
export const CUSTOM_URN = 'urn:ietf:params:scim:schemas:extension:custom:2.0:User';
export const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const LIST_URN = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';

export interface Response<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Raw body text (sent as is). */
  raw?: string;
  headers?: Record<string, string>;
  token?: string | null;
}

/** DATA_DIR → database: a test that restarts on the same DATA_DIR gets the same PostgreSQL database. */
const databases = new Map<string, string>();

/**
 * A receiver on a fresh store with a known bearer token: a SQLite file in a temp directory or, when
 * RECEIVER_TEST_STORE=postgres (the jest project "receiver-postgres"), a fresh PostgreSQL database.
 */
export class TestReceiver {
  private constructor(
    readonly receiver: RunningReceiver,
    readonly dir: string,
    readonly baseUrl: string,
    /** The PostgreSQL database, when on PostgreSQL. */
    readonly databaseUrl: string | undefined,
    /** What the receiver printed at start (the one-time token, key and portal account lines). */
    readonly printed: readonly string[],
  ) {}

  /** `clock`: the receiver's clock (a TestClock to move time; the system clock by default). */
  static async start(env: Record<string, string> = {}, options: { logger?: Logger; clock?: Clock } = {}): Promise<TestReceiver> {
    const logger = options.logger ?? createLogger('silent');
    const dir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'scim-test-'));
    const reused = env.DATA_DIR !== undefined ? databases.get(env.DATA_DIR) : undefined;
    const databaseUrl = onPostgres && env.DATABASE_URL === undefined ? (reused ?? (await createTestDatabase())) : undefined;
    if (databaseUrl) databases.set(dir, databaseUrl);
    const settings = loadSettings({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      SCIM_TOKEN_SHA256: sha256Hex(TOKEN),
      ADMIN_API_KEY_SHA256: sha256Hex(ADMIN_KEY),
      LOG_LEVEL: 'silent',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...env,
    });
    const printed: string[] = [];
    try {
      const receiver = await startReceiver(settings, { print: (line) => printed.push(line), logger, ...(options.clock ? { clock: options.clock } : {}) });
      return new TestReceiver(receiver, dir, `${receiver.url}/scim/v2`, databaseUrl, printed);
    } catch (error) {
      if (databaseUrl && !reused) {
        databases.delete(dir);
        await dropTestDatabase(databaseUrl);
      }
      throw error;
    }
  }

  get store() {
    return this.receiver.store;
  }

  async stop(): Promise<void> {
    await this.receiver.close();
    rmSync(this.dir, { recursive: true, force: true });
    if (this.databaseUrl) {
      databases.delete(this.dir);
      await dropTestDatabase(this.databaseUrl);
    }
  }

  async request<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<Response<T>> {
    const url = path.startsWith('http') ? path : `${this.baseUrl}${path}`;
    const reply = await jsonRequest<T>(method, url, {
      token: options.token === null ? undefined : (options.token ?? TOKEN),
      body: options.body,
      raw: options.raw,
      headers: options.headers,
    });
    return { status: reply.status, headers: reply.headers, body: reply.body, text: reply.text };
  }

  /** The admin API, authenticated with the admin key. */
  api = <T = any>(method: string, path: string, body?: unknown, options: RequestOptions = {}) =>
    this.request<T>(method, `${this.receiver.url}/api${path}`, {
      token: ADMIN_KEY,
      ...options,
      ...(body !== undefined ? { body, headers: { 'content-type': 'application/json', ...options.headers } } : {}),
    });

  get = <T = any>(path: string, options?: RequestOptions) => this.request<T>('GET', path, options);
  post = <T = any>(path: string, body: unknown, options?: RequestOptions) => this.request<T>('POST', path, { ...options, body });
  put = <T = any>(path: string, body: unknown, options?: RequestOptions) => this.request<T>('PUT', path, { ...options, body });
  patch = <T = any>(path: string, body: unknown, options?: RequestOptions) => this.request<T>('PATCH', path, { ...options, body });
  delete = <T = any>(path: string, options?: RequestOptions) => this.request<T>('DELETE', path, options);

  /** Creates a user the way Okta does and returns the created resource. */
  async createUser(userName: string, extra: Record<string, unknown> = {}): Promise<any> {
    const response = await this.post('/Users', oktaUser(userName, extra));
    if (response.status !== 201) throw new Error(`create ${userName}: ${response.status} ${response.text}`);
    return response.body;
  }

  async createGroup(displayName: string, members: string[] = []): Promise<any> {
    const response = await this.post('/Groups', {
      schemas: [GROUP_URN],
      displayName,
      members: members.map((value) => ({ value })),
    });
    if (response.status !== 201) throw new Error(`create group ${displayName}: ${response.status} ${response.text}`);
    return response.body;
  }
}

/** The POST /Users body of Okta's SCIM 2.0 reference (docs/okta-scim-behavior.md §4). */
export function oktaUser(userName: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const [given = 'Test', family = 'User'] = userName.split('@')[0]!.split('.');
  return {
    schemas: [USER_URN],
    userName,
    name: { givenName: given, familyName: family },
    emails: [{ primary: true, value: userName, type: 'work' }],
    displayName: `${given} ${family}`,
    locale: 'en-US',
    externalId: `00u${Math.random().toString(36).slice(2, 12)}`,
    groups: [],
    password: 'x7#Qp2!z',
    active: true,
    ...extra,
  };
}

export function patchOp(...operations: Record<string, unknown>[]) {
  return { schemas: [PATCH_URN], Operations: operations };
}

export function expectScimError(response: Response, status: number, scimType?: string): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  expect(response.body).toMatchObject({ schemas: [ERROR_URN], status: String(status) });
  expect(typeof response.body.detail).toBe('string');
  expect(response.body.detail.length).toBeGreaterThan(0);
  if (scimType) expect(response.body.scimType).toBe(scimType);
  else expect(response.body.scimType).toBeUndefined();
}
