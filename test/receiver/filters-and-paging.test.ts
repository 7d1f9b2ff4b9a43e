/** RFC 7644 §3.4.2: filters compiled to SQL, sorting, pagination, attribute projection. */
import { ENTERPRISE_URN, TestReceiver, expectScimError } from './support/harness';

let r: TestReceiver;
const byName: Record<string, string> = {};

beforeAll(async () => {
  r = await TestReceiver.start();
  const people = [
    { userName: 'alice@example.com', title: 'Engineer', emails: [{ value: 'alice@work.example', type: 'work', primary: true }, { value: 'alice@home.example', type: 'home' }], [ENTERPRISE_URN]: { costCenter: 'CC-1', department: 'R&D' } },
    { userName: 'bob@example.com', title: 'Manager', emails: [{ value: 'bob@work.example', type: 'work' }], [ENTERPRISE_URN]: { costCenter: 'CC-2' } },
    { userName: 'carol@example.org', emails: [{ value: 'carol@home.example', type: 'home' }], nickName: 'Caz' },
    { userName: 'dave@example.org', title: 'engineer', active: false },
    { userName: 'Émile@example.com', title: 'Designer' },
  ];
  for (const { userName, ...rest } of people) {
    const user = await r.createUser(userName, { emails: undefined, ...rest });
    byName[userName] = user.id;
  }
});
afterAll(async () => {
  await r.stop();
});

async function names(filter: string, extra = ''): Promise<string[]> {
  const response = await r.get(`/Users?filter=${encodeURIComponent(filter)}${extra}`);
  if (response.status !== 200) throw new Error(`${filter}: ${response.status} ${response.text}`);
  return response.body.Resources.map((u: { userName: string }) => u.userName).sort();
}

describe('filter grammar', () => {
  it.each([
    ['userName eq "ALICE@example.com"', ['alice@example.com']],
    ['USERNAME Eq "bob@example.com"', ['bob@example.com']],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bob@example.com"', ['bob@example.com']],
    ['userName ne "alice@example.com"', ['bob@example.com', 'carol@example.org', 'dave@example.org', 'Émile@example.com']],
    ['userName co "EXAMPLE.ORG"', ['carol@example.org', 'dave@example.org']],
    ['userName sw "a"', ['alice@example.com']],
    ['userName ew ".org"', ['carol@example.org', 'dave@example.org']],
    ['userName gt "c"', ['carol@example.org', 'dave@example.org', 'Émile@example.com']],
    ['userName le "bob@example.com"', ['alice@example.com', 'bob@example.com']],
    ['title eq "engineer"', ['alice@example.com', 'dave@example.org']],
    ['title pr', ['alice@example.com', 'bob@example.com', 'dave@example.org', 'Émile@example.com']],
    ['not (title pr)', ['carol@example.org']],
    ['nickName pr and not (active eq false)', ['carol@example.org']],
    ['active eq false', ['dave@example.org']],
    ['active eq "False"', ['dave@example.org']],
    ['title eq "Engineer" and active eq true', ['alice@example.com']],
    ['title eq "Manager" or nickName eq "caz"', ['bob@example.com', 'carol@example.org']],
    ['(title eq "Manager" or nickName eq "caz") and userName ew ".org"', ['carol@example.org']],
    ['title eq "Manager" or nickName eq "caz" and userName ew ".org"', ['bob@example.com', 'carol@example.org']],
    ['emails[type eq "work"]', ['alice@example.com', 'bob@example.com']],
    ['emails[type eq "home" and value co "alice"]', ['alice@example.com']],
    ['emails.value eq "carol@home.example"', ['carol@example.org']],
    ['emails eq "bob@work.example"', ['bob@example.com']],
    ['emails.type eq "home"', ['alice@example.com', 'carol@example.org']],
    ['emails pr', ['alice@example.com', 'bob@example.com', 'carol@example.org']],
    [`${ENTERPRISE_URN}:costCenter eq "cc-2"`, ['bob@example.com']],
    [`${ENTERPRISE_URN}:department pr`, ['alice@example.com']],
    ['userName eq "émile@example.com"', ['Émile@example.com']],
    ['meta.created gt "2000-01-01T00:00:00Z"', ['alice@example.com', 'bob@example.com', 'carol@example.org', 'dave@example.org', 'Émile@example.com']],
    ['meta.lastModified lt "2000-01-01T00:00:00Z"', []],
    ['meta.resourceType eq "User"', ['alice@example.com', 'bob@example.com', 'carol@example.org', 'dave@example.org', 'Émile@example.com']],
    ['title eq null', ['carol@example.org']],
    ['userName eq "o\'brien@example.com"', []],
  ])('%s', async (filter, expected) => {
    expect(await names(filter)).toEqual([...expected].sort());
  });

  it('filters on externalId (case-exact) and id', async () => {
    const alice = (await r.get(`/Users/${byName['alice@example.com']}`)).body;
    expect(await names(`externalId eq "${alice.externalId}"`)).toEqual(['alice@example.com']);
    expect(await names(`externalId eq "${alice.externalId.toUpperCase()}"`)).toEqual([]);
    expect(await names(`id eq "${alice.id}"`)).toEqual(['alice@example.com']);
  });

  it.each([
    ['userName eq', /Invalid filter/],
    ['userName xx "a"', /Invalid filter/],
    ['noSuchAttribute eq "a"', /Unknown attribute/],
    ['emails[type eq "work"', /Invalid filter/],
    ['name eq "x"', /complex/],
    ['active gt true', /not defined for boolean/],
    ['userName gt null', /null/],
    ['title[value eq "x"]', /not a multi-valued/],
    ['password eq "x"', /cannot be used/],
    ['emails[nope eq "x"]', /not a sub-attribute/],
    ['meta.created gt "yesterday"', /dateTime/],
    ['urn:example:unknown:User:foo eq "1"', /Unknown attribute/],
  ])('rejects %s with 400 invalidFilter', async (filter, detail) => {
    const response = await r.get(`/Users?filter=${encodeURIComponent(filter)}`);
    expectScimError(response, 400, 'invalidFilter');
    expect(response.body.detail).toMatch(detail);
  });

  it('searches with POST /.search', async () => {
    const response = await r.post('/Users/.search', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: 'title pr',
      startIndex: 1,
      count: 2,
      attributes: ['userName'],
      sortBy: 'userName',
    });
    expect(response.status).toBe(200);
    expect(response.body.totalResults).toBe(4);
    expect(response.body.Resources).toEqual([
      { schemas: expect.any(Array), id: byName['alice@example.com'], userName: 'alice@example.com' },
      { schemas: expect.any(Array), id: byName['bob@example.com'], userName: 'bob@example.com' },
    ]);
  });
});

describe('sorting', () => {
  it('sorts by userName case-insensitively, both ways', async () => {
    const asc = await r.get('/Users?sortBy=userName');
    expect(asc.body.Resources.map((u: { userName: string }) => u.userName)).toEqual([
      'alice@example.com',
      'bob@example.com',
      'carol@example.org',
      'dave@example.org',
      'Émile@example.com',
    ]);
    const desc = await r.get('/Users?sortBy=userName&sortOrder=descending');
    expect(desc.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(
      asc.body.Resources.map((u: { userName: string }) => u.userName).reverse(),
    );
  });

  it('sorts by a JSON attribute and by an extension attribute', async () => {
    const byTitle = await r.get(`/Users?sortBy=title&filter=${encodeURIComponent('title pr')}`);
    expect(byTitle.body.Resources.map((u: { title: string }) => u.title.toLowerCase())).toEqual(['designer', 'engineer', 'engineer', 'manager']);
    const byCost = await r.get(`/Users?sortBy=${ENTERPRISE_URN}:costCenter&sortOrder=descending&filter=${encodeURIComponent(`${ENTERPRISE_URN}:costCenter pr`)}`);
    expect(byCost.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(['bob@example.com', 'alice@example.com']);
  });

  it('rejects unknown sort attributes and orders', async () => {
    expectScimError(await r.get('/Users?sortBy=nope'), 400, 'invalidValue');
    expectScimError(await r.get('/Users?sortBy=userName&sortOrder=sideways'), 400, 'invalidValue');
  });
});

describe('pagination', () => {
  it('treats startIndex < 1 as 1 and count=0 as totals only', async () => {
    const zero = await r.get('/Users?startIndex=0&count=2');
    expect(zero.body.startIndex).toBe(1);
    expect(zero.body.itemsPerPage).toBe(2);
    const totals = await r.get('/Users?count=0');
    expect(totals.body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
    const negative = await r.get('/Users?count=-5');
    expect(negative.body.itemsPerPage).toBe(0);
  });

  it('returns an empty page past the end, with the total', async () => {
    const response = await r.get('/Users?startIndex=50&count=10');
    expect(response.body).toMatchObject({ totalResults: 5, startIndex: 50, itemsPerPage: 0, Resources: [] });
  });

  it('rejects non-integer paging values', async () => {
    expectScimError(await r.get('/Users?count=ten'), 400, 'invalidValue');
    expectScimError(await r.get('/Users?startIndex=1.5'), 400, 'invalidValue');
  });

  it('sequential pages neither skip nor repeat rows when earlier rows are deleted in between', async () => {
    const local = await TestReceiver.start();
    try {
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) ids.push((await local.createUser(`seq.${i}@example.com`)).id);
      const first = await local.get('/Users?startIndex=1&count=10');
      await local.delete(`/Users/${ids[2]}`);
      const second = await local.get('/Users?startIndex=11&count=10');
      const third = await local.get('/Users?startIndex=21&count=10');
      const seen = [...first.body.Resources, ...second.body.Resources, ...third.body.Resources].map((u: { id: string }) => u.id);
      expect(seen).toEqual(ids);
      expect(third.body.totalResults).toBe(29);
      // a filtered listing pages independently of the unfiltered one
      const filtered = await local.get(`/Users?startIndex=11&count=10&filter=${encodeURIComponent('userName sw "seq.1"')}`);
      expect(filtered.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(['seq.19@example.com']);
      expect(filtered.body.totalResults).toBe(11);
    } finally {
      await local.stop();
    }
  });

  it('honours count up to 1000 and caps above the maximum', async () => {
    const local = await TestReceiver.start({ SCIM_MAX_PAGE_SIZE: '1000' });
    try {
      for (let i = 0; i < 1005; i++) await local.store.users.create({ userName: `bulk.${i}@example.com`, active: true });
      const page = await local.get('/Users?count=1000');
      expect(page.body.itemsPerPage).toBe(1000);
      expect(page.body.totalResults).toBe(1005);
      const capped = await local.get('/Users?count=5000');
      expect(capped.body.itemsPerPage).toBe(1000);
      const config = await local.get('/ServiceProviderConfig');
      expect(config.body.filter).toEqual({ supported: true, maxResults: 1000 });
    } finally {
      await local.stop();
    }
  });
});

describe('attributes and excludedAttributes', () => {
  it('returns only the requested attributes (plus id and schemas), sub-attributes included', async () => {
    const id = byName['alice@example.com'];
    const response = await r.get(`/Users/${id}?attributes=userName,emails.value,name.givenName,${ENTERPRISE_URN}:costCenter`);
    expect(response.body).toEqual({
      schemas: expect.any(Array),
      id,
      userName: 'alice@example.com',
      emails: [{ value: 'alice@work.example' }, { value: 'alice@home.example' }],
      name: { givenName: 'alice' },
      [ENTERPRISE_URN]: { costCenter: 'CC-1' },
    });
  });

  it('excludes attributes but never id', async () => {
    const id = byName['alice@example.com'];
    const response = await r.get(`/Users/${id}?excludedAttributes=emails,groups,meta,id,${ENTERPRISE_URN}`);
    expect(response.body.id).toBe(id);
    for (const key of ['emails', 'groups', 'meta', ENTERPRISE_URN]) expect(response.body).not.toHaveProperty([key]);
    expect(response.body.userName).toBe('alice@example.com');
  });

  it('applies to lists too', async () => {
    const response = await r.get(`/Users?attributes=userName&filter=${encodeURIComponent('userName sw "bob"')}`);
    expect(response.body.Resources).toEqual([{ schemas: expect.any(Array), id: byName['bob@example.com'], userName: 'bob@example.com' }]);
  });
});
