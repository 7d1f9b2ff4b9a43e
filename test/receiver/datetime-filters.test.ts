/**
 * RFC 7643 §2.3.5 / RFC 7644 §3.4.2.2: a dateTime compares by instant. A custom dateTime attribute
 * written with an offset, with or without milliseconds, or without an offset (UTC), is found by any
 * spelling of the same instant, and ordering and sorting follow instants, not texts. A stored value that
 * does not parse (an attribute declared as a string before it became a dateTime) matches nothing and
 * never fails the list. The postgres jest project runs this file against PostgreSQL too.
 */
import { CUSTOM_URN, TestReceiver, USER_URN, expectScimError } from './support/harness';

const HIRED = `${CUSTOM_URN}:hired`;

/** userName → stored `hired`; the instant in UTC on the right. */
const PEOPLE: [string, string | undefined][] = [
  ['zulu@example.com', '2024-05-01T12:00:00Z'], // 12:00:00.000Z
  ['offset@example.com', '2024-05-01T14:00:00+02:00'], // 12:00:00.000Z
  ['millis@example.com', '2024-05-01T12:00:00.000Z'], // 12:00:00.000Z
  ['local@example.com', '2024-05-01T12:00:00'], // no offset: UTC, 12:00:00.000Z
  ['early@example.com', '2024-05-01T13:30:00+02:00'], // 11:30:00.000Z: after 12:00 as text, before it in time
  ['late@example.com', '2024-05-01T12:00:00.5-00:30'], // 12:30:00.500Z: before 12:00:00Z as text (".5-" < "Z")
  ['newyear@example.com', '2023-12-31T23:59:59.250-01:00'], // 2024-01-01T00:59:59.250Z
  ['nobody@example.com', undefined],
];
const NOON = ['local@example.com', 'millis@example.com', 'offset@example.com', 'zulu@example.com'];
/** Stored directly, past write validation: the text of an attribute that used to be a string. */
const UNPARSABLE = 'unparsable@example.com';

let r: TestReceiver;

beforeAll(async () => {
  r = await TestReceiver.start();
  expect((await r.api('POST', '/attributes', { name: 'hired', type: 'dateTime' })).status).toBe(201);
  for (const [userName, hired] of PEOPLE) {
    const user = await r.createUser(userName, hired === undefined ? {} : { schemas: [USER_URN, CUSTOM_URN], [CUSTOM_URN]: { hired } });
    expect(user[CUSTOM_URN]?.hired).toBe(hired);
  }
  const odd = await r.createUser(UNPARSABLE);
  const updated = await r.store.users.update(odd.id, (current) => ({ ...current.data, [CUSTOM_URN]: { hired: 'next Tuesday' } }), { groups: false });
  expect(updated).toBeDefined();
});
afterAll(async () => {
  await r.stop();
});

async function names(filter: string, extra = ''): Promise<string[]> {
  const response = await r.get(`/Users?count=100&filter=${encodeURIComponent(filter)}${extra}`);
  if (response.status !== 200) throw new Error(`${filter}: ${response.status} ${response.text}`);
  return response.body.Resources.map((u: { userName: string }) => u.userName);
}

describe('a custom dateTime attribute compares by instant', () => {
  it.each([
    [`${HIRED} eq "2024-05-01T12:00:00Z"`, NOON],
    [`${HIRED} eq "2024-05-01T12:00:00.000Z"`, NOON],
    [`${HIRED} eq "2024-05-01T14:00:00+02:00"`, NOON],
    [`${HIRED} eq "2024-05-01T07:00:00-05:00"`, NOON],
    [`${HIRED} eq "2024-05-01T12:00:00"`, NOON],
    [`${HIRED} eq "2024-05-01T13:30:00+02:00"`, ['early@example.com']],
    [`${HIRED} eq "2024-05-01T11:30:00Z"`, ['early@example.com']],
    [`${HIRED} eq "2024-05-01T12:30:00.500Z"`, ['late@example.com']],
    [`${HIRED} eq "2024-05-01T12:30:00.5Z"`, ['late@example.com']],
    [`${HIRED} eq "2024-05-01T12:30:00Z"`, []],
    [`${HIRED} ne "2024-05-01T12:00:00Z"`, ['early@example.com', 'late@example.com', 'newyear@example.com', 'nobody@example.com', UNPARSABLE]],
    [`not (${HIRED} eq "2024-05-01T14:00:00+02:00")`, ['early@example.com', 'late@example.com', 'newyear@example.com', 'nobody@example.com', UNPARSABLE]],
    [`${HIRED} gt "2024-05-01T12:00:00Z"`, ['late@example.com']],
    [`${HIRED} ge "2024-05-01T14:00:00+02:00"`, [...NOON, 'late@example.com']],
    [`${HIRED} lt "2024-05-01T12:00:00Z"`, ['early@example.com', 'newyear@example.com']],
    [`${HIRED} le "2024-05-01T12:00:00Z"`, [...NOON, 'early@example.com', 'newyear@example.com']],
    [`${HIRED} lt "2024-01-01T01:00:00+00:00"`, ['newyear@example.com']],
    [`${HIRED} gt "2024-01-01T00:59:59.250Z"`, [...NOON, 'early@example.com', 'late@example.com']],
    [`${HIRED} gt "0000-01-01T00:00:00Z"`, [...NOON, 'early@example.com', 'late@example.com', 'newyear@example.com']],
    [`${HIRED} pr`, [...NOON, 'early@example.com', 'late@example.com', 'newyear@example.com', UNPARSABLE]],
    [`${HIRED} pr and not (${HIRED} le "9999-12-31T23:59:59Z")`, [UNPARSABLE]],
  ])('%s', async (filter, expected) => {
    expect((await names(filter)).sort()).toEqual([...expected].sort());
  });

  it('sorts by instant both ways, whatever the offset or precision of the stored text', async () => {
    const noon = (n: string) => (NOON.includes(n) ? 'noon' : n);
    const filter = `${HIRED} gt "2000-01-01T00:00:00Z"`;
    // The four spellings of noon tie; only their place among the others is fixed.
    const byInstant = ['newyear@example.com', 'early@example.com', 'noon', 'noon', 'noon', 'noon', 'late@example.com'];
    expect((await names(filter, `&sortBy=${encodeURIComponent(HIRED)}`)).map(noon)).toEqual(byInstant);
    expect((await names(filter, `&sortBy=${encodeURIComponent(HIRED)}&sortOrder=descending`)).map(noon)).toEqual([...byInstant].reverse());
  });

  it('a sort over a value that does not parse still answers', async () => {
    const response = await r.get(`/Users?count=100&sortBy=${encodeURIComponent(HIRED)}&filter=${encodeURIComponent(`${HIRED} pr`)}`);
    expect(response.status).toBe(200);
    expect(response.body.totalResults).toBe(8);
  });

  it.each([
    `${HIRED} eq "2024-05-01"`,
    `${HIRED} gt "yesterday"`,
    `${HIRED} eq "2024-02-30T00:00:00Z"`,
    `${HIRED} eq "2024-05-01T12:00Z"`,
    `${HIRED} lt "2024-05-01t12:00:00z"`,
    `${HIRED} eq 20240501`,
    `${HIRED} sw "2024"`,
    `meta.created gt "2024-05-01T25:00:00Z"`,
  ])('rejects %s with 400 invalidFilter', async (filter) => {
    const response = await r.get(`/Users?filter=${encodeURIComponent(filter)}`);
    expectScimError(response, 400, 'invalidFilter');
  });
});

describe('meta.created and meta.lastModified (the store\'s own timestamps)', () => {
  it('compare by instant, with an offset or without milliseconds', async () => {
    const zulu = (await r.get(`/Users?filter=${encodeURIComponent('userName eq "zulu@example.com"')}`)).body.Resources[0];
    const created: string = zulu.meta.created;
    const instant = Date.parse(created);
    const shifted = new Date(instant + 2 * 3_600_000).toISOString().replace('Z', '+02:00');
    expect(await names(`meta.created eq "${created}"`)).toContain('zulu@example.com');
    expect(await names(`meta.created eq "${shifted}"`)).toContain('zulu@example.com');
    expect(await names(`meta.created ge "${shifted}" and meta.created le "${created}" and userName eq "zulu@example.com"`)).toEqual(['zulu@example.com']);
    const wholeSecond = new Date(Math.floor(instant / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    expect(await names(`meta.created ge "${wholeSecond}" and userName eq "zulu@example.com"`)).toEqual(['zulu@example.com']);
    expect(await names(`meta.lastModified lt "${wholeSecond}" and userName eq "zulu@example.com"`)).toEqual([]);
  });

  it('compare with instants outside four-digit years in UTC (their ISO text has six digits and a sign)', async () => {
    const everyone = PEOPLE.length + 1;
    expect(await names('meta.created lt "9999-12-31T23:00:00-23:00"')).toHaveLength(everyone);
    expect(await names('meta.created gt "9999-12-31T23:00:00-23:00"')).toEqual([]);
    expect(await names('meta.lastModified gt "0000-01-01T00:00:00+23:59"')).toHaveLength(everyone);
    expect(await names('meta.lastModified le "0000-01-01T00:00:00+23:59"')).toEqual([]);
  });
});

describe('writes follow the same dateTime rule', () => {
  it.each(['2023-02-30T00:00:00Z', '2024-05-01', '2024-05-01T12:00Z', '2024-05-01 12:00:00Z', 'next Tuesday'])(
    'refuses %s for a dateTime attribute (a value it stores is a value filters can find)',
    async (hired) => {
      const response = await r.request('POST', '/Users', {
        body: { schemas: [USER_URN, CUSTOM_URN], userName: `refused.${hired.length}.${Date.parse('2024-01-01')}@example.com`, [CUSTOM_URN]: { hired } },
      });
      expect(response.status).toBe(400);
      expect(response.body.scimType).toBe('invalidValue');
    },
  );

  it('accepts an offset and no milliseconds, and finds the user by the same instant in UTC', async () => {
    const created = await r.request('POST', '/Users', {
      body: { schemas: [USER_URN, CUSTOM_URN], userName: 'written.offset@example.com', [CUSTOM_URN]: { hired: '2030-01-01T02:00:00+02:00' } },
    });
    expect(created.status).toBe(201);
    const found = await r.request('GET', `/Users?filter=${encodeURIComponent(`${HIRED} eq "2030-01-01T00:00:00.000Z"`)}`);
    expect(found.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(['written.offset@example.com']);
  });
});
