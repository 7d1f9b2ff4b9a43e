/** Issue 10, defects 2–4: every limit at its documented value — just under passes, just over is refused by name. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GROUP_URN, TestReceiver, expectScimError, oktaUser, patchOp } from './support/harness';

let r: TestReceiver;
beforeAll(async () => {
  r = await TestReceiver.start();
});
afterAll(async () => {
  await r.stop();
});

const list = (filter: string) => r.get(`/Users?filter=${encodeURIComponent(filter)}`);
const search = (path: string, filter: string, on: TestReceiver = r) => on.post(`${path}/.search`, { filter });

describe('filter cost limits (defaults)', () => {
  const terms = (n: number) => Array.from({ length: n }, (_, i) => `userName eq "t${i}@example.com"`).join(' or ');
  const parens = (n: number) => `${'('.repeat(n)}userName pr${')'.repeat(n)}`;
  const nots = (n: number) => `${'not ('.repeat(n)}userName pr${')'.repeat(n)}`;
  const valuePaths = (n: number) => Array.from({ length: n }, (_, i) => `emails[value eq "v${i}"]`).join(' or ');

  it.each([
    ['SCIM_FILTER_MAX_LENGTH', 'length', 4096, (n: number) => `userName eq "${'x'.repeat(n - 14)}"`],
    ['SCIM_FILTER_MAX_TERMS', 'terms', 32, terms],
    ['SCIM_FILTER_MAX_DEPTH', 'parentheses', 8, parens],
    ['SCIM_FILTER_MAX_DEPTH', 'nested not', 8, nots],
    ['SCIM_FILTER_MAX_VALUE_PATHS', 'value paths', 4, valuePaths],
  ])('%s (%s): %d passes, one more is 400 invalidFilter naming it', async (setting, _what, limit, build) => {
    const at = build(limit);
    if (setting === 'SCIM_FILTER_MAX_LENGTH') expect(at).toHaveLength(limit);
    expect((await list(at)).status).toBe(200);
    const over = await list(build(limit + 1));
    expectScimError(over, 400, 'invalidFilter');
    expect(over.body.detail).toContain(`${setting} (${limit})`);
  });

  it("Okta's lookups are far inside the limits", async () => {
    expect((await list('userName eq "someone@example.com"')).status).toBe(200);
    expect((await r.get(`/Groups?filter=${encodeURIComponent('displayName eq "Engineering"')}`)).status).toBe(200);
  });

  it.each([
    ['999 ORed presence tests', Array.from({ length: 999 }, () => 'id pr').join(' or ')],
    ['not ( nested 998 deep', nots(998)],
    ['987 ANDed value paths', Array.from({ length: 987 }, () => 'emails[value co "x"]').join(' and ')],
    ['300 ANDed value paths (the 12 s freeze)', Array.from({ length: 300 }, () => 'emails[value co "x"]').join(' and ')],
  ])('the reproduction "%s" is 400 invalidFilter on GET and POST /.search, never 5xx (defects 2, 4)', async (_name, filter) => {
    // A GET URL over Node's 16 KiB header limit is refused earlier, still as a SCIM error (431).
    if (encodeURIComponent(filter).length < 15_000) expectScimError(await list(filter), 400, 'invalidFilter');
    else expectScimError(await list(filter), 431);
    expectScimError(await search('/Users', filter), 400, 'invalidFilter');
  });

  it('~5,800 nested not on /Groups/.search is 400 invalidFilter, not a stack overflow (defect 4)', async () => {
    expectScimError(await search('/Groups', `${'not '.repeat(5800)}displayName pr`), 400, 'invalidFilter');
    expectScimError(await search('/Groups', nots(5800)), 400, 'invalidFilter');
  });

  it('PATCH value-filter paths obey the same limits', async () => {
    const user = await r.createUser('patch.limits@example.com');
    const path = `emails[${terms(33).replace(/userName/g, 'value')}].type`;
    expectScimError(await r.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path, value: 'work' })), 400, 'invalidFilter');
  });
});

describe('with every filter limit raised to its maximum, the same shapes are still refused before SQL', () => {
  let wide: TestReceiver;
  beforeAll(async () => {
    wide = await TestReceiver.start({ SCIM_FILTER_MAX_LENGTH: '65536', SCIM_FILTER_MAX_TERMS: '500', SCIM_FILTER_MAX_DEPTH: '50', SCIM_FILTER_MAX_VALUE_PATHS: '100' });
  });
  afterAll(async () => {
    await wide.stop();
  });

  it.each([
    ['999 ORed presence tests', 'SCIM_FILTER_MAX_TERMS', Array.from({ length: 999 }, () => 'id pr').join(' or ')],
    ['not ( nested 998 deep', 'SCIM_FILTER_MAX_DEPTH', `${'not ('.repeat(998)}id pr${')'.repeat(998)}`],
    ['987 ANDed value paths', 'SCIM_FILTER_MAX_TERMS', Array.from({ length: 987 }, () => 'emails[value co "x"]').join(' and ')],
    ['5,800 bare nested not', 'SCIM_FILTER_MAX_TERMS', `${'not '.repeat(5800)}displayName pr`],
    ['101 value paths', 'SCIM_FILTER_MAX_VALUE_PATHS', Array.from({ length: 101 }, () => 'emails[value pr]').join(' or ')],
  ])('%s → 400 naming %s', async (_name, setting, filter) => {
    const response = await search('/Users', filter, wide);
    expectScimError(response, 400, 'invalidFilter');
    expect(response.body.detail).toContain(setting);
  });

  it('the largest admitted filters parse and run (500 terms, depth 50)', async () => {
    expect((await search('/Users', Array.from({ length: 500 }, (_, i) => `userName eq "u${i}"`).join(' or '), wide)).status).toBe(200);
    expect((await search('/Users', `${'not ('.repeat(49)}userName pr${')'.repeat(49)}`, wide)).status).toBe(200);
    expect((await search('/Users', Array.from({ length: 250 }, (_, i) => `userName eq "u${i}" and title pr`).join(' or '), wide)).status).toBe(200);
  });
});

describe('value size limits (defect 3)', () => {
  it.each([
    ['userName', 'SCIM_MAX_IDENTIFIER_LENGTH', 256, (n: number) => oktaUser(`${'u'.repeat(n - 12)}@example.com`, { emails: undefined })],
    ['emails[0].value', 'SCIM_MAX_IDENTIFIER_LENGTH', 256, (n: number) => oktaUser(`mail.${n}@example.com`, { emails: [{ value: `${'m'.repeat(n - 12)}@example.com` }] })],
    ['externalId', 'SCIM_MAX_IDENTIFIER_LENGTH', 256, (n: number) => oktaUser(`ext.${n}@example.com`, { externalId: 'e'.repeat(n) })],
    ['nickName', 'SCIM_MAX_STRING_LENGTH', 4096, (n: number) => oktaUser(`nick.${n}@example.com`, { nickName: 'n'.repeat(n) })],
    ['name.givenName', 'SCIM_MAX_STRING_LENGTH', 4096, (n: number) => oktaUser(`given.${n}@example.com`, { name: { givenName: 'g'.repeat(n) } })],
    [
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
      'SCIM_MAX_STRING_LENGTH',
      4096,
      (n: number) => oktaUser(`dept.${n}@example.com`, { 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'd'.repeat(n) } }),
    ],
  ])('%s: %s (%d) passes, one more is 400 invalidValue naming the attribute and the limit', async (attribute, setting, limit, body) => {
    // (the body builder is the fourth column; jest prints only the first three)
    expect((await r.post('/Users', body(limit))).status).toBe(201);
    const over = await r.post('/Users', body(limit + 1));
    expectScimError(over, 400, 'invalidValue');
    expect(over.body.detail).toContain(`'${attribute}'`);
    expect(over.body.detail).toContain(`${limit} (${setting})`);
  });

  it('the reproduction: a 1,000,000-character nickName is refused, not stored', async () => {
    const response = await r.post('/Users', oktaUser('huge.nick@example.com', { nickName: 'x'.repeat(1_000_000) }));
    expectScimError(response, 400, 'invalidValue');
    expect(response.body.detail).toMatch(/nickName.*SCIM_MAX_STRING_LENGTH/);
  });

  it('SCIM_MAX_VALUES (100) per multi-valued attribute, also when PATCH grows it', async () => {
    const emails = (n: number) => Array.from({ length: n }, (_, i) => ({ value: `e${i}@example.com`, type: 'other' }));
    const user = await r.post('/Users', oktaUser('many.mails@example.com', { emails: emails(100) }));
    expect(user.status).toBe(201);
    const over = await r.post('/Users', oktaUser('too.many.mails@example.com', { emails: emails(101) }));
    expectScimError(over, 400, 'invalidValue');
    expect(over.body.detail).toContain("'emails' has 101 values; the limit is 100 (SCIM_MAX_VALUES)");
    const grown = await r.patch(`/Users/${user.body.id}`, patchOp({ op: 'add', path: 'emails', value: [{ value: 'one.more@example.com' }] }));
    expectScimError(grown, 400, 'invalidValue');
    expect((await r.get(`/Users/${user.body.id}`)).body.emails).toHaveLength(100);
  });

  it('SCIM_MAX_RESOURCE_BYTES (65536) per resource; group displayName is an identifier', async () => {
    const enterprise = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    const big = { nickName: 'n'.repeat(4000), title: 't'.repeat(4000), [enterprise]: Object.fromEntries(['employeeNumber', 'costCenter', 'organization', 'division', 'department'].map((k) => [k, 'v'.repeat(4000)])) };
    const addresses = Array.from({ length: 12 }, () => ({ streetAddress: 's'.repeat(4000) }));
    expect((await r.post('/Users', oktaUser('big.but.fits@example.com', big))).status).toBe(201);
    const over = await r.post('/Users', oktaUser('too.big@example.com', { ...big, addresses }));
    expectScimError(over, 400, 'invalidValue');
    expect(over.body.detail).toMatch(/The User is \d+ bytes once stored; the limit is 65536 \(SCIM_MAX_RESOURCE_BYTES\)/);
    expect((await r.post('/Groups', { schemas: [GROUP_URN], displayName: 'g'.repeat(256) })).status).toBe(201);
    const group = await r.post('/Groups', { schemas: [GROUP_URN], displayName: 'g'.repeat(257) });
    expectScimError(group, 400, 'invalidValue');
    expect(group.body.detail).toContain('SCIM_MAX_IDENTIFIER_LENGTH');
  });
});

describe('list responses are bounded in bytes (defect 3)', () => {
  it('stops a page at SCIM_MAX_RESPONSE_BYTES, says so in itemsPerPage, and paging on that visits every user once', async () => {
    const local = await TestReceiver.start({ SCIM_MAX_RESPONSE_BYTES: '16384' });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) ids.push((await local.createUser(`wide.${i}@example.com`, { nickName: 'n'.repeat(4000) })).id);
      const first = await local.get('/Users?startIndex=1&count=10');
      expect(first.body.totalResults).toBe(10);
      expect(first.body.itemsPerPage).toBe(first.body.Resources.length);
      expect(first.body.itemsPerPage).toBeLessThan(10);
      expect(first.text.length).toBeLessThan(16384 + 8192);
      const seen: string[] = [];
      for (let start = 1; start <= 10; ) {
        const page = await local.get(`/Users?startIndex=${start}&count=10`);
        expect(page.body.totalResults).toBe(10);
        expect(page.body.itemsPerPage).toBeGreaterThan(0);
        seen.push(...page.body.Resources.map((u: { id: string }) => u.id));
        start += page.body.itemsPerPage;
      }
      expect(seen).toEqual(ids);
    } finally {
      await local.stop();
    }
  });
});

describe('query time limit (no request holds the event loop past SCIM_QUERY_TIME_LIMIT_MS)', () => {
  it('aborts an expensive admitted filter with 400 tooMany and keeps serving', async () => {
    const local = await TestReceiver.start({ SCIM_QUERY_TIME_LIMIT_MS: '10', SQLITE_SYNCHRONOUS: 'NORMAL' });
    try {
      for (let i = 0; i < 5_000; i++) {
        await local.store.users.create({ userName: `slow.${i}@example.com`, title: `Title ${i}`, nickName: `Nick ${i}`, emails: [{ value: `slow.${i}@example.com` }], active: true });
      }
      // 31 terms and one value path: inside every default filter limit, but a full scan of 5,000 rows (~250 ms).
      const terms = Array.from({ length: 30 }, (_, i) => [`title co "zz${i}"`, `nickName ew "zz${i}"`, `displayName sw "zz${i}"`][i % 3]);
      const response = await local.get(`/Users?filter=${encodeURIComponent([...terms, 'emails[value co "zz"]'].join(' or '))}`);
      expectScimError(response, 400, 'tooMany');
      expect(response.body.detail).toContain('SCIM_QUERY_TIME_LIMIT_MS');
      expect((await local.get(`/Users?filter=${encodeURIComponent('userName eq "slow.4999@example.com"')}`)).body.totalResults).toBe(1);
      expect((await local.request('GET', `${local.receiver.url}/healthz`, { token: null })).status).toBe(200);
    } finally {
      await local.stop();
    }
  }, 120_000);
});

it('refuses invalid limit settings at start, naming each, with exit code 2', async () => {
  const root = resolve(__dirname, '../..');
  const dir = mkdtempSync(join(tmpdir(), 'scim-limits-'));
  try {
    const child = spawn(process.execPath, [join(root, 'receiver/dist/main.js')], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dir, SCIM_FILTER_MAX_TERMS: '0', SCIM_QUERY_TIME_LIMIT_MS: 'soon', SCIM_MAX_VALUES: '-1', SCIM_MAX_RESPONSE_BYTES: '10' },
    });
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect(code).toBe(2);
    for (const name of ['SCIM_FILTER_MAX_TERMS', 'SCIM_QUERY_TIME_LIMIT_MS', 'SCIM_MAX_VALUES', 'SCIM_MAX_RESPONSE_BYTES']) expect(err).toContain(`${name}: expected an integer`);

    const inconsistent = spawn(process.execPath, [join(root, 'receiver/dist/main.js')], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dir, SCIM_MAX_IDENTIFIER_LENGTH: '5000' },
    });
    let err2 = '';
    inconsistent.stderr.on('data', (d) => (err2 += String(d)));
    expect(await new Promise<number | null>((done) => inconsistent.on('exit', done))).toBe(2);
    expect(err2).toContain('SCIM_MAX_IDENTIFIER_LENGTH: must not exceed SCIM_MAX_STRING_LENGTH (4096)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
