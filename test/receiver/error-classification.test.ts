/**
 * One classification of errors (receiver/src/http/classify.ts), three renderings: each error a service,
 * the store or Fastify raises gets the same status on /scim (RFC 7644 body, scimType), /api (its JSON,
 * naming the field) and the portal (an HTML page). The services are stand-ins that throw the error under
 * test, behind a real Fastify app listening on a port; the real store's own errors (a duplicate userName,
 * a locked database, a query over its budget) are covered end to end in errors-and-auth, groups and limits.
 * Last, the list options both admin surfaces parse with the same schemas (http/admin-options.ts).
 */
import type { FastifyInstance } from 'fastify';
import { DynamicSchemaCatalog } from '../../receiver/src/admin/custom-schema';
import { badRequest, conflict, notFoundError } from '../../receiver/src/admin/errors';
import type { TokenVerifier } from '../../receiver/src/auth/tokens';
import type { AppOptions } from '../../receiver/src/http/app';
import { buildApp } from '../../receiver/src/http/app';
import { Discovery } from '../../receiver/src/scim/discovery';
import { ScimError, mutability } from '../../receiver/src/scim/errors';
import { createLogger } from '../../receiver/src/server';
import * as store from '../../receiver/src/store/errors';
import { ERROR_URN } from './support/harness';

const SCIM_TOKEN = 'classification-scim-token';
const ADMIN_KEY = 'classification-admin-key';
const BODY_LIMIT = 4096;
const CATALOG_URN = 'urn:ietf:params:scim:schemas:extension:custom:2.0:User';

/** Accepts exactly one bearer token, like TokenVerifier with one configured hash. */
const verifierFor = (token: string) => ({ verify: (header?: string) => (header === `Bearer ${token}` ? { id: `cred-${token.length}` } : undefined) }) as unknown as TokenVerifier;

/** The error the stand-in services throw on the next call. */
let failure: unknown;
const fail = async (): Promise<never> => {
  throw failure;
};

/** What the stand-in directory was asked (the list options each surface parsed); it throws `failure` when set. */
const asked: unknown[] = [];
const answering =
  <T>(answer: T) =>
  async (query: unknown): Promise<T> => {
    asked.push(query);
    if (failure !== undefined) throw failure;
    return answer;
  };

let app: FastifyInstance;
let base = '';

beforeAll(async () => {
  const catalog = new DynamicSchemaCatalog(CATALOG_URN);
  const services = {
    catalog,
    directory: { listUsers: answering({ totalResults: 0, startIndex: 1, items: [] }), browseUsers: answering({ total: 0, items: [] }) },
    settings: { update: fail, view: () => ({ autoInvite: false }) },
    invitations: {},
  };
  const session = { idSha256: 'x', principal: 'tester', csrfToken: 'csrf', created: '', lastSeen: '', expiresAt: '' };
  const options: AppOptions = {
    logger: createLogger('silent'),
    bodyLimitBytes: BODY_LIMIT,
    compressionMinBytes: 0,
    scim: {
      verifier: verifierFor(SCIM_TOKEN),
      users: { list: fail, create: fail },
      groups: { list: fail },
      discovery: new Discovery(catalog, { maxResults: 100, maxPayloadSize: BODY_LIMIT }),
      catalog,
      rateLimitPerMinute: 0,
    },
    operations: { ready: async () => undefined, metricsTokenHashes: [] },
    admin: { ...services, verifier: verifierFor(ADMIN_KEY) },
    portal: { ...services, sessions: { resolve: async () => ({ state: 'valid', session }) }, accounts: {}, smtpConfigured: false, port: 0 },
  } as unknown as AppOptions;
  app = await buildApp(options);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await app.close();
});

interface Answer {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

async function call(path: string, token: string | undefined, init: { method?: string; body?: string; contentType?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (init.contentType) headers['content-type'] = init.contentType;
  const response = await fetch(`${base}${path}`, { method: init.method ?? 'GET', headers, ...(init.body !== undefined ? { body: init.body } : {}) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // HTML (the portal) stays text.
  }
  return { status: response.status, headers: response.headers, body, text };
}

const scim = (path: string, init?: Parameters<typeof call>[2]) => call(`/scim/v2${path}`, SCIM_TOKEN, init);
const api = (path: string, init?: Parameters<typeof call>[2]) => call(`/api${path}`, ADMIN_KEY, init);
const portal = (path: string) => call(`/admin${path}`, undefined);

function expectRfc7644(answer: Answer, status: number, scimType: string | undefined): void {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  expect(answer.body).toMatchObject({ schemas: [ERROR_URN], status: String(status) });
  expect(answer.body.scimType).toBe(scimType);
  expect(typeof answer.body.detail).toBe('string');
  expect(answer.body.detail.length).toBeGreaterThan(0);
}

function expectAdminJson(answer: Answer, status: number, field: string | undefined): void {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  expect(typeof answer.body.error.message).toBe('string');
  expect(answer.body.error.message.length).toBeGreaterThan(0);
  expect(answer.body.error.field).toBe(field);
  expect(answer.body.schemas).toBeUndefined();
}

describe('errors the store and the services raise', () => {
  // [error, status, scimType on /scim, field on /api, words the detail contains]
  const cases: [string, () => unknown, number, string | undefined, string | undefined, RegExp][] = [
    ['UniqueViolationError (userName)', () => new store.UniqueViolationError('userName', 'taken@example.com'), 409, 'uniqueness', 'userName', /userName "taken@example\.com" already exists/],
    ['UniqueViolationError (displayName)', () => new store.UniqueViolationError('displayName', 'Admins'), 409, 'uniqueness', 'displayName', /group with displayName "Admins"/],
    ['VersionMismatchError', () => new store.VersionMismatchError(7), 412, undefined, undefined, /W\/"7"/],
    ['UnknownMembersError', () => new store.UnknownMembersError(Array.from({ length: 12 }, (_, i) => `u${i}`)), 400, 'invalidValue', 'members', /no user has id u0, .* u9 and 2 more/],
    ['UnsupportedQueryError', () => new store.UnsupportedQueryError("Cannot sort by 'emails'."), 400, 'invalidFilter', undefined, /Cannot sort by 'emails'/],
    ['QueryBudgetExceededError', () => new store.QueryBudgetExceededError(25), 400, 'tooMany', undefined, /25 ms \(SCIM_QUERY_TIME_LIMIT_MS\)/],
    ['StoreUnavailableError', () => new store.StoreUnavailableError('the database file is locked (SQLITE_BUSY)'), 503, undefined, undefined, /retry/i],
    ['ScimError', () => mutability("Attribute 'id' is read-only."), 400, 'mutability', undefined, /read-only/],
    ['ScimError 501', () => new ScimError(501, 'Not here.'), 501, undefined, undefined, /Not here/],
    ['AdminError 400 with a field', () => badRequest('count: too big', 'count', { issues: [{ field: 'count', message: 'too big' }] }), 400, undefined, 'count', /count: too big/],
    ['AdminError 404', () => notFoundError('User u1 not found.'), 404, undefined, undefined, /u1 not found/],
    ['AdminError 409', () => conflict('A template named "x" already exists.', 'name'), 409, undefined, 'name', /already exists/],
  ];

  it.each(cases)('%s → the same status on /scim, /api and the portal', async (_name, make, status, scimType, field, detail) => {
    failure = make();
    const onScim = await scim('/Users');
    expectRfc7644(onScim, status, scimType);
    expect(onScim.body.detail).toMatch(detail);

    failure = make();
    const onApi = await api('/users');
    expectAdminJson(onApi, status, field);
    expect(onApi.body.error.message).toMatch(detail);

    failure = make();
    const onPortal = await portal('/users');
    expect(onPortal.status).toBe(status);
    expect(onPortal.headers.get('content-type')).toMatch(/^text\/html/);
    expect(onPortal.text).toContain('<!doctype html>');

    for (const answer of [onScim, onApi, onPortal]) {
      expect(answer.headers.get('retry-after')).toBe(status === 503 ? '1' : null);
    }
  });

  it('keeps the validation issues of an AdminError on /api', async () => {
    failure = badRequest('count: too big', 'count', { issues: [{ field: 'count', message: 'too big' }] });
    expect((await api('/users')).body.error.issues).toEqual([{ field: 'count', message: 'too big' }]);
  });

  it('answers anything unclassified with 500 and only the request id, on every surface', async () => {
    for (const [surface, send] of [
      ['scim', () => scim('/Users')],
      ['api', () => api('/users')],
      ['portal', () => portal('/users')],
    ] as const) {
      failure = new TypeError(`secret internals of ${surface}`);
      const answer = await send();
      expect(answer.status).toBe(500);
      const requestId = answer.headers.get('x-request-id');
      expect(requestId).toBeTruthy();
      expect(answer.text).toContain(requestId);
      expect(answer.text).not.toContain('secret internals');
    }
    failure = new Error('boom');
    expectRfc7644(await scim('/Users'), 500, undefined);
  });

  it("knows no engine's error codes: a raw driver error is the store's to translate, so here it is a fault", async () => {
    failure = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    expectRfc7644(await scim('/Users'), 500, undefined);
    failure = Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' });
    expect((await api('/users')).status).toBe(500);
  });
});

describe("Fastify's refusals of a request body", () => {
  const json = 'application/json';
  // [what, body, content type, status, scimType on /scim, field on /api]
  const cases: [string, string, string, number, string | undefined, string | undefined][] = [
    ['malformed JSON', '{"userName": ', json, 400, 'invalidSyntax', '(body)'],
    ['a body over the limit', JSON.stringify({ padding: 'x'.repeat(BODY_LIMIT) }), json, 413, undefined, '(body)'],
    ['an unsupported media type', 'userName=x', 'text/plain', 415, undefined, '(body)'],
  ];

  it.each(cases)('%s: the same status on /scim and /api', async (_what, body, contentType, status, scimType, field) => {
    failure = new Error('the handler must not run');
    const onScim = await scim('/Users', { method: 'POST', body, contentType });
    expectRfc7644(onScim, status, scimType);
    const onApi = await api('/settings', { method: 'PUT', body, contentType });
    expectAdminJson(onApi, status, field);
    if (status === 413) {
      expect(onScim.body.detail).toContain(`${BODY_LIMIT} bytes`);
      expect(onApi.body.error.message).toContain(`${BODY_LIMIT} bytes`);
    }
  });

  it('an empty body is no body: the service decides (here: its error)', async () => {
    failure = new store.UniqueViolationError('userName', 'again@example.com');
    expectRfc7644(await scim('/Users', { method: 'POST', body: '', contentType: 'application/scim+json' }), 409, 'uniqueness');
  });
});

describe("Fastify's refusals of a URL (before any route)", () => {
  it.each([
    ['bad percent-encoding', '/Users/%ff', 400, 'invalidSyntax'],
    ['a path segment over the router limit', `/Users/${'a'.repeat(3000)}`, 414, undefined],
  ])('%s: the same status on /scim, /api (RFC 7644 bodies) and the portal (a page)', async (_what, path, status, scimType) => {
    expectRfc7644(await scim(path), status, scimType);
    expectRfc7644(await api(path.toLowerCase()), status, scimType);
    const onPortal = await portal(path.toLowerCase());
    expect(onPortal.status).toBe(status);
    expect(onPortal.headers.get('content-type')).toMatch(/^text\/html/);
  });
});

describe('one set of list options for /api and the portal', () => {
  beforeEach(() => {
    failure = undefined;
    asked.length = 0;
  });

  it('reads the same search and status: trimmed, bounded, active or inactive', async () => {
    expect((await api('/users?search=%20alice%20&status=inactive')).status).toBe(200);
    expect(asked.pop()).toMatchObject({ search: 'alice', status: 'inactive' });
    expect((await portal('/users?q=%20alice%20&status=inactive')).status).toBe(200);
    expect(asked.pop()).toMatchObject({ search: 'alice', active: false });
  });

  it('a value out of bounds: /api refuses it naming the field, the portal ignores it', async () => {
    const long = 'x'.repeat(201);
    expectAdminJson(await api(`/users?search=${long}`), 400, 'search');
    expectAdminJson(await api('/users?status=gone'), 400, 'status');
    expect(asked).toEqual([]);
    expect((await portal(`/users?q=${long}&status=gone`)).status).toBe(200);
    const query = asked.pop() as Record<string, unknown>;
    expect(query.search).toBeUndefined();
    expect(query.active).toBeUndefined();
  });
});
