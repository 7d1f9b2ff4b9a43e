/** Bad input never crashes anything: RFC 7644 §3.12 errors with the right status and scimType. */
import { Writable } from 'node:stream';
import pino from 'pino';
import { Client } from 'pg';
import { GROUP_URN, TOKEN, TestReceiver, USER_URN, expectScimError, oktaUser, patchOp } from './support/harness';
import { onPostgres, sqliteOnly } from './support/postgres';

let r: TestReceiver;
let userId = '';
let groupId = '';
beforeAll(async () => {
  r = await TestReceiver.start();
  userId = (await r.createUser('errors.user@example.com')).id;
  groupId = (await r.createGroup('Errors Group')).id;
});
afterAll(async () => {
  await r.stop();
});

describe('authentication', () => {
  const routes: [string, string][] = [
    ['GET', '/Users'],
    ['POST', '/Users'],
    ['POST', '/Users/.search'],
    ['GET', '/Users/some-id'],
    ['PUT', '/Users/some-id'],
    ['PATCH', '/Users/some-id'],
    ['DELETE', '/Users/some-id'],
    ['GET', '/Groups'],
    ['POST', '/Groups'],
    ['GET', '/Groups/some-id'],
    ['PUT', '/Groups/some-id'],
    ['PATCH', '/Groups/some-id'],
    ['DELETE', '/Groups/some-id'],
    ['GET', '/ServiceProviderConfig'],
    ['GET', '/ResourceTypes'],
    ['GET', '/Schemas'],
    ['GET', `/Schemas/${USER_URN}`],
    ['POST', '/Bulk'],
    ['GET', '/NoSuchEndpoint'],
  ];

  const bodyFor = (method: string) => (method === 'GET' || method === 'DELETE' ? {} : { body: oktaUser('intruder@example.com') });

  it.each(routes)('%s %s refuses a missing token with 401', async (method, path) => {
    expectScimError(await r.request(method, path, { token: null, ...bodyFor(method) }), 401);
  });

  it.each(routes)('%s %s refuses a wrong token with 401', async (method, path) => {
    expectScimError(await r.request(method, path, { token: `${TOKEN}x`, ...bodyFor(method) }), 401);
  });

  it('says the same thing for every kind of failure (no detail leaked)', async () => {
    const details = new Set<string>();
    for (const authorization of ['Bearer wrong', 'Basic dXNlcjpwYXNz', 'Bearer', '', `Bearer ${TOKEN} extra`]) {
      const response = await r.get('/Users', { token: null, headers: authorization ? { authorization } : {} });
      expect(response.status).toBe(401);
      details.add(response.body.detail);
    }
    expect(details.size).toBe(1);
  });

  it('accepts the scheme case-insensitively and a bare token (Header Auth test app quirk)', async () => {
    expect((await r.get('/Users', { token: null, headers: { authorization: `bearer ${TOKEN}` } })).status).toBe(200);
    expect((await r.get('/Users', { token: null, headers: { authorization: TOKEN } })).status).toBe(200);
  });
});

describe('request bodies', () => {
  it.each([
    ['POST', '/Users'],
    ['PUT', '/Users/ID'],
    ['PATCH', '/Users/ID'],
    ['POST', '/Groups'],
    ['PUT', '/Groups/GID'],
    ['PATCH', '/Groups/GID'],
  ])('malformed JSON on %s %s → 400 invalidSyntax', async (method, path) => {
    const response = await r.request(method, path.replace('GID', groupId).replace('ID', userId), { raw: '{"schemas": [' });
    expectScimError(response, 400, 'invalidSyntax');
  });

  it('parses application/json and application/scim+json, with or without charset', async () => {
    for (const [i, type] of ['application/json', 'application/json; charset=utf-8', 'application/scim+json', 'application/scim+json;charset=UTF-8'].entries()) {
      const response = await r.post('/Users', oktaUser(`ctype.${i}@example.com`), { headers: { 'content-type': type } });
      expect(response.status).toBe(201);
    }
  });

  it('refuses other media types with 415 and a SCIM body', async () => {
    expectScimError(await r.post('/Users', 'userName=x', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415);
  });

  it.each([
    ['no schemas', { userName: 'a@example.com' }, /schemas/],
    ['schemas not an array', { schemas: USER_URN, userName: 'a@example.com' }, /schemas/],
    ['group schema on /Users', { schemas: [GROUP_URN], displayName: 'x' }, /schemas/],
    ['missing userName', { schemas: [USER_URN], name: { givenName: 'A' } }, /userName/],
    ['empty userName', { schemas: [USER_URN], userName: '' }, /userName/],
    ['userName not a string', { schemas: [USER_URN], userName: 42 }, /userName/],
    ['active not a boolean', { schemas: [USER_URN], userName: 'a@example.com', active: 'maybe' }, /active/],
    ['emails not complex', { schemas: [USER_URN], userName: 'a@example.com', emails: ['a@example.com'] }, /emails\[0\]/],
    ['name not an object', { schemas: [USER_URN], userName: 'a@example.com', name: 'Ada' }, /name/],
    ['title is an array', { schemas: [USER_URN], userName: 'a@example.com', title: ['x'] }, /title/],
    ['primary not a boolean', { schemas: [USER_URN], userName: 'a@example.com', emails: [{ value: 'x', primary: 'yes' }] }, /emails\[0\]\.primary/],
    ['enterprise not an object', { schemas: [USER_URN], userName: 'a@example.com', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': 'x' }, /enterprise/],
  ])('POST /Users with %s → 400 invalidValue naming the problem', async (_name, body, detail) => {
    const response = await r.post('/Users', body);
    expectScimError(response, 400, 'invalidValue');
    expect(response.body.detail).toMatch(detail);
  });

  it.each([
    ['an array', []],
    ['a string', 'user'],
    ['null', null],
  ])('POST /Users with %s as body → 400 invalidSyntax', async (_name, body) => {
    expectScimError(await r.request('POST', '/Users', { raw: JSON.stringify(body) }), 400, 'invalidSyntax');
  });

  it('POST /Users with no body at all → 400 invalidSyntax', async () => {
    expectScimError(await r.request('POST', '/Users', { headers: { 'content-type': 'application/scim+json' }, raw: '' }), 400, 'invalidSyntax');
  });

  it('PUT of an unknown user is 404 and creates nothing', async () => {
    expectScimError(await r.put('/Users/unknown-id', oktaUser('ghost@example.com')), 404);
    expect((await r.get(`/Users?filter=${encodeURIComponent('userName eq "ghost@example.com"')}`)).body.totalResults).toBe(0);
  });

  it('rejects an If-Match that names no version with 412', async () => {
    expectScimError(await r.patch(`/Users/${userId}`, patchOp({ op: 'replace', path: 'title', value: 'x' }), { headers: { 'if-match': 'garbage' } }), 412);
  });

  it('answers Bulk and /Me with 501 and unknown endpoints with 404', async () => {
    expectScimError(await r.post('/Bulk', {}), 501);
    expectScimError(await r.get('/Me'), 501);
    expectScimError(await r.get('/Widgets'), 404);
    expectScimError(await r.get('/ResourceTypes/Widget'), 404);
    expectScimError(await r.get('/Schemas/urn:nope'), 404);
    expectScimError(await r.request('GET', `${r.receiver.url}/nothing-here`), 404);
  });
});

describe('duplicate creates in parallel', () => {
  it('creates exactly one user when 20 case-variant POSTs race', async () => {
    const variants = Array.from({ length: 20 }, (_, i) => (i % 2 ? 'Race.Condition@Example.com' : 'race.condition@example.com'));
    const responses = await Promise.all(variants.map((name) => r.post('/Users', oktaUser(name))));
    const statuses = responses.map((x) => x.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    for (const response of responses.filter((x) => x.status === 409)) expectScimError(response, 409, 'uniqueness');
    const found = await r.get(`/Users?filter=${encodeURIComponent('userName eq "RACE.CONDITION@EXAMPLE.COM"')}`);
    expect(found.body.totalResults).toBe(1);
  });
});

describe('limits', () => {
  it('answers 413 for a body over the configured limit, and accepts one under it', async () => {
    const local = await TestReceiver.start({ BODY_LIMIT_BYTES: '2048' });
    try {
      const big = oktaUser('big@example.com', { title: 'x'.repeat(4096) });
      const response = await local.post('/Users', big);
      expectScimError(response, 413);
      expect(response.body.detail).toContain('2048');
      expect((await local.post('/Users', oktaUser('small@example.com'))).status).toBe(201);
    } finally {
      await local.stop();
    }
  });

  it('answers 413 above the default limit of 1 MiB', async () => {
    const response = await r.post('/Users', oktaUser('huge@example.com', { title: 'x'.repeat(1024 * 1024 + 1) }));
    expectScimError(response, 413);
  });

  it('rate-limits per token with 429 and an integer Retry-After', async () => {
    const local = await TestReceiver.start({ RATE_LIMIT_PER_MINUTE: '3' });
    try {
      for (let i = 0; i < 3; i++) expect((await local.get('/Users')).status).toBe(200);
      const limited = await local.get('/Users');
      expectScimError(limited, 429);
      const retryAfter = limited.headers.get('retry-after');
      expect(retryAfter).toMatch(/^\d+$/);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    } finally {
      await local.stop();
    }
  });
});

describe('a database locked by another process', () => {
  sqliteOnly('SQLITE_BUSY is a file lock; PostgreSQL has the row/table-lock counterpart below')('answers 503 with Retry-After instead of 500, and recovers when the lock goes', async () => {
    const local = await TestReceiver.start({ SQLITE_BUSY_TIMEOUT_MS: '50' });
    const Database = (await import('better-sqlite3')).default;
    const other = new Database(`${local.dir}/receiver.db`);
    try {
      other.exec('BEGIN IMMEDIATE'); // e.g. a backup tool, or a second receiver on the same file
      const busy = await local.post('/Users', oktaUser('locked.out@example.com'));
      expectScimError(busy, 503);
      expect(busy.headers.get('retry-after')).toBe('1');
      const admin = await local.api('PUT', '/settings', { autoInvite: true });
      expect(admin.status).toBe(503);
      expect((await local.get('/Users')).status).toBe(200); // readers are not blocked in WAL mode
      other.exec('ROLLBACK');
      expect((await local.post('/Users', oktaUser('locked.out@example.com'))).status).toBe(201);
    } finally {
      other.close();
      await local.stop();
    }
  });

  (onPostgres ? it : it.skip)('on PostgreSQL: a lock held past the statement timeout answers 503 with Retry-After, and writes resume when it goes', async () => {
    const local = await TestReceiver.start({ DATABASE_STATEMENT_TIMEOUT_MS: '200' });
    const other = new Client({ connectionString: local.databaseUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      // e.g. a migration or a maintenance script in another session; plain reads are not blocked by it.
      await other.query('LOCK TABLE scim_users, settings IN EXCLUSIVE MODE');
      const busy = await local.post('/Users', oktaUser('locked.out@example.com'));
      expectScimError(busy, 503);
      expect(busy.headers.get('retry-after')).toBe('1');
      const admin = await local.api('PUT', '/settings', { autoInvite: true });
      expect(admin.status).toBe(503);
      expect(admin.headers.get('retry-after')).toBe('1');
      expect((await local.get('/Users')).status).toBe(200);
      await other.query('ROLLBACK');
      expect((await local.post('/Users', oktaUser('locked.out@example.com'))).status).toBe(201);
    } finally {
      await other.end();
      await local.stop();
    }
  });
});

describe('faults and observability', () => {
  it('answers a real fault with 500, a request id and no stack trace; /readyz turns 503', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    const local = await TestReceiver.start({}, { logger: pino({ level: 'info' }, sink) });
    try {
      expect((await local.request('GET', `${local.receiver.url}/readyz`, { token: null })).status).toBe(200);
      await local.store.close(); // the database goes away under a running server
      const response = await local.get('/Users');
      expectScimError(response, 500);
      const requestId = response.headers.get('x-request-id');
      expect(requestId).toBeTruthy();
      expect(response.body.detail).toContain(requestId);
      expect(response.text).not.toMatch(/at \w+ \(|\.ts:\d+/);
      expect(lines.some((l) => l.includes(requestId!) && l.includes('"level":50'))).toBe(true);
      const ready = await local.request('GET', `${local.receiver.url}/readyz`, { token: null });
      expect(ready.status).toBe(503);
    } finally {
      await local.receiver.app.close();
    }
  });

  it('never logs tokens or passwords, even at trace level', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(String(chunk));
        callback();
      },
    });
    const local = await TestReceiver.start({}, { logger: pino({ level: 'trace' }, sink) });
    try {
      await local.post('/Users', oktaUser('logged@example.com', { password: 'Sup3r-Secret-Pw' }));
      await local.get('/Users', { token: 'wrong-token-value-123' });
      const log = lines.join('');
      expect(log.length).toBeGreaterThan(0);
      expect(log).not.toContain(TOKEN);
      expect(log).not.toContain('wrong-token-value-123');
      expect(log).not.toContain('Sup3r-Secret-Pw');
    } finally {
      await local.stop();
    }
  });

  it('serves /healthz and /readyz without credentials and /metrics only with one', async () => {
    const base = r.receiver.url;
    await r.get('/Users/no-such-user');
    expect((await r.request('GET', `${base}/healthz`, { token: null })).body).toEqual({ status: 'ok' });
    expect((await r.request('GET', `${base}/readyz`, { token: null })).body).toEqual({ status: 'ready' });
    expect((await r.request('GET', `${base}/metrics`, { token: null })).status).toBe(401);
    expect((await r.request('GET', `${base}/metrics`, { token: 'nope' })).status).toBe(401);
    const metrics = await r.request('GET', `${base}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/scim_http_requests_total\{method="GET",route="\/scim\/v2\/Users",status="200"\} \d+/);
    expect(metrics.text).toMatch(/scim_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/scim\/v2\/Users\/:id",status="404"\}/);
  });

  it('accepts a dedicated metrics token given by hash', async () => {
    const { sha256Hex } = await import('../../receiver/src/auth/tokens');
    const local = await TestReceiver.start({ METRICS_TOKEN_SHA256: sha256Hex('metrics-secret') });
    try {
      expect((await local.request('GET', `${local.receiver.url}/metrics`, { token: 'metrics-secret' })).status).toBe(200);
      expectScimError(await local.get('/Users', { token: 'metrics-secret' }), 401);
    } finally {
      await local.stop();
    }
  });
});
