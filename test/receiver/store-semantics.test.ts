/**
 * Store behaviour both stores must share (this file runs in the sqlite and the postgres project):
 * literal co/sw/ew whatever the characters, numeric comparison of custom attributes, the
 * case-insensitive userName rule under concurrency, and read-modify-write writes that never lose an
 * update when they race.
 */
import { CUSTOM_URN, TestReceiver, USER_URN, oktaUser, patchOp } from './support/harness';

let r: TestReceiver;
beforeAll(async () => {
  r = await TestReceiver.start();
});
afterAll(async () => {
  await r.stop();
});

async function names(filter: string): Promise<string[]> {
  const response = await r.get(`/Users?filter=${encodeURIComponent(filter)}`);
  if (response.status !== 200) throw new Error(`${filter}: ${response.status} ${response.text}`);
  return response.body.Resources.map((u: { userName: string }) => u.userName).sort();
}

describe('co, sw and ew take every character literally (no LIKE wildcards or escapes)', () => {
  beforeAll(async () => {
    for (const [userName, title] of [
      ['pct@example.com', '100% sure'],
      ['pcx@example.com', '100x sure'],
      ['und@example.com', 'a_b'],
      ['unx@example.com', 'axb'],
      ['quo@example.com', "it's \"quoted\""],
    ] as const) {
      await r.createUser(userName, { title });
    }
  });

  it.each([
    ['title co "%"', ['pct@example.com']],
    ['title sw "100%"', ['pct@example.com']],
    ['title sw "a_"', ['und@example.com']],
    ['title ew "_b"', ['und@example.com']],
    ['title co "\'s \\"Q"', ['quo@example.com']],
  ])('%s', async (filter, expected) => {
    expect(await names(filter)).toEqual(expected);
  });
});

it('compares integer custom attributes as numbers, not as text', async () => {
  expect((await r.api('POST', '/attributes', { name: 'level', type: 'integer' })).status).toBe(201);
  for (const [userName, level] of [
    ['lvl5@example.com', 5],
    ['lvl10@example.com', 10],
    ['lvl40@example.com', 40],
  ] as const) {
    await r.createUser(userName, { schemas: [USER_URN, CUSTOM_URN], [CUSTOM_URN]: { level } });
  }
  expect(await names(`${CUSTOM_URN}:level gt 9`)).toEqual(['lvl10@example.com', 'lvl40@example.com']);
  expect(await names(`${CUSTOM_URN}:level le 10`)).toEqual(['lvl10@example.com', 'lvl5@example.com']);
  expect(await names(`${CUSTOM_URN}:level eq 40`)).toEqual(['lvl40@example.com']);
});

it('accepts exactly one of concurrent creates of case variants of one userName', async () => {
  const variants = ['race@example.com', 'RACE@example.com', 'Race@Example.com', 'race@EXAMPLE.COM', 'rAcE@example.com', 'RACE@EXAMPLE.COM'];
  const statuses = (await Promise.all(variants.map((v) => r.post('/Users', oktaUser(v))))).map((res) => res.status);
  expect(statuses.filter((s) => s === 201)).toHaveLength(1);
  expect(statuses.filter((s) => s === 409)).toHaveLength(variants.length - 1);
  expect((await r.get(`/Users?filter=${encodeURIComponent('userName eq "race@example.com"')}`)).body.totalResults).toBe(1);
});

it('loses no membership and no version when PATCHes of one group race', async () => {
  const members = await Promise.all(Array.from({ length: 12 }, (_, i) => r.createUser(`racer.${i}@example.com`)));
  const group = await r.createGroup('Racers');
  const results = await Promise.all(members.map((m) => r.patch(`/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: m.id }] }))));
  expect(results.map((res) => res.status)).toEqual(members.map(() => 200));
  const after = await r.get(`/Groups/${group.id}`);
  expect(after.body.members.map((m: { value: string }) => m.value).sort()).toEqual(members.map((m) => m.id).sort());
  expect(after.headers.get('etag')).toBe(`W/"${1 + members.length}"`);
});

it('loses no attribute when PATCHes of one user race', async () => {
  const user = await r.createUser('patched.concurrently@example.com');
  const fields = ['title', 'nickName', 'profileUrl', 'userType', 'preferredLanguage', 'timezone'] as const;
  const values: Record<string, string> = { title: 'T', nickName: 'N', profileUrl: 'https://example.com/p', userType: 'Employee', preferredLanguage: 'fr', timezone: 'Europe/Paris' };
  const results = await Promise.all(fields.map((f) => r.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: f, value: values[f] }))));
  expect(results.map((res) => res.status)).toEqual(fields.map(() => 200));
  const after = (await r.get(`/Users/${user.id}`)).body;
  for (const f of fields) expect(after[f]).toBe(values[f]);
  expect(after.meta.version).toBe(`W/"${1 + fields.length}"`);
});
