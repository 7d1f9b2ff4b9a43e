/** RFC 7644 §3.5.2 PATCH on users, with the client variants seen in the wild (docs/okta-scim-behavior.md §7, §13). */
import { ENTERPRISE_URN, PATCH_URN, TestReceiver, expectScimError, patchOp } from './support/harness';

let r: TestReceiver;
beforeAll(async () => {
  r = await TestReceiver.start();
});
afterAll(async () => {
  await r.stop();
});

let seq = 0;
async function freshUser(extra: Record<string, unknown> = {}) {
  seq += 1;
  return r.createUser(`patch.${seq}@example.com`, {
    emails: [
      { value: `work.${seq}@example.com`, type: 'work', primary: true },
      { value: `home.${seq}@example.com`, type: 'home' },
    ],
    ...extra,
  });
}

async function patched(id: string, ...operations: Record<string, unknown>[]) {
  const response = await r.patch(`/Users/${id}`, patchOp(...operations));
  if (response.status !== 200) throw new Error(`${response.status} ${response.text}`);
  return response.body;
}

describe('operations with a path', () => {
  it('replaces simple and sub-attributes', async () => {
    const user = await freshUser();
    const body = await patched(user.id, { op: 'replace', path: 'title', value: 'CTO' }, { op: 'replace', path: 'name.givenName', value: 'Grace' });
    expect(body.title).toBe('CTO');
    expect(body.name).toEqual({ givenName: 'Grace', familyName: user.name.familyName });
  });

  it('adds to multi-valued attributes without duplicating, and keeps a single primary', async () => {
    const user = await freshUser();
    const phone = { value: '+1 555 0100', type: 'mobile', primary: true };
    let body = await patched(user.id, { op: 'add', path: 'phoneNumbers', value: [phone] });
    body = await patched(user.id, { op: 'add', path: 'phoneNumbers', value: [phone] });
    expect(body.phoneNumbers).toEqual([phone]);
    body = await patched(user.id, { op: 'add', path: 'emails', value: [{ value: 'new@example.com', type: 'other', primary: true }] });
    expect(body.emails.filter((e: { primary?: boolean }) => e.primary === true)).toEqual([{ value: 'new@example.com', type: 'other', primary: true }]);
    expect(body.emails).toHaveLength(3);
  });

  it('replaces a whole multi-valued attribute', async () => {
    const user = await freshUser();
    const body = await patched(user.id, { op: 'replace', path: 'emails', value: [{ value: 'only@example.com', type: 'work' }] });
    expect(body.emails).toEqual([{ value: 'only@example.com', type: 'work' }]);
  });

  it('uses value-filter paths to replace, add and remove', async () => {
    const user = await freshUser();
    let body = await patched(user.id, { op: 'replace', path: 'emails[type eq "work"].value', value: 'changed@example.com' });
    expect(body.emails[0]).toEqual({ value: 'changed@example.com', type: 'work', primary: true });
    body = await patched(user.id, { op: 'replace', path: 'emails[type eq "home"]', value: { value: 'h2@example.com', type: 'home' } });
    expect(body.emails[1]).toEqual({ value: 'h2@example.com', type: 'home' });
    body = await patched(user.id, { op: 'remove', path: 'emails[type eq "home"]' });
    expect(body.emails.map((e: { type: string }) => e.type)).toEqual(['work']);
    // Entra-style: a filtered add for an element that does not exist yet creates it.
    body = await patched(user.id, { op: 'add', path: 'phoneNumbers[type eq "work"].value', value: '+1 555 0199' });
    expect(body.phoneNumbers).toEqual([{ type: 'work', value: '+1 555 0199' }]);
    body = await patched(user.id, { op: 'remove', path: 'emails[type eq "work"].primary' });
    expect(body.emails[0]).toEqual({ value: 'changed@example.com', type: 'work' });
  });

  it('answers noTarget when a replace filter matches nothing it could create', async () => {
    const user = await freshUser();
    expectScimError(await r.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'emails[value co "nobody"].type', value: 'x' })), 400, 'noTarget');
  });

  it('sets, changes and removes extension attributes by URN-prefixed path', async () => {
    const user = await freshUser();
    let body = await patched(user.id, { op: 'add', path: `${ENTERPRISE_URN}:department`, value: 'Sales' });
    expect(body[ENTERPRISE_URN]).toEqual({ department: 'Sales' });
    expect(body.schemas).toContain(ENTERPRISE_URN);
    body = await patched(user.id, { op: 'replace', path: `${ENTERPRISE_URN}:manager.value`, value: 'mgr-1' });
    expect(body[ENTERPRISE_URN]).toEqual({ department: 'Sales', manager: { value: 'mgr-1' } });
    body = await patched(user.id, { op: 'remove', path: `${ENTERPRISE_URN}:department` }, { op: 'remove', path: `${ENTERPRISE_URN}:manager` });
    expect(body).not.toHaveProperty([ENTERPRISE_URN]);
    expect(body.schemas).not.toContain(ENTERPRISE_URN);
  });

  it('accepts a core-URN-prefixed path', async () => {
    const user = await freshUser();
    const body = await patched(user.id, { op: 'replace', path: 'urn:ietf:params:scim:schemas:core:2.0:User:nickName', value: 'Nick' });
    expect(body.nickName).toBe('Nick');
  });

  it('removes attributes; removing an absent attribute is a no-op', async () => {
    const user = await freshUser({ title: 'T' });
    const body = await patched(user.id, { op: 'remove', path: 'title' }, { op: 'remove', path: 'nickName' });
    expect(body).not.toHaveProperty('title');
  });
});

describe('operations without a path', () => {
  it('replaces several attributes, including extension values keyed by URN', async () => {
    const user = await freshUser();
    const body = await patched(user.id, {
      op: 'replace',
      value: { title: 'VP', 'name.familyName': 'Hopper', [ENTERPRISE_URN]: { costCenter: 'CC-9' } },
    });
    expect(body.title).toBe('VP');
    expect(body.name.familyName).toBe('Hopper');
    expect(body[ENTERPRISE_URN]).toEqual({ costCenter: 'CC-9' });
  });

  it('merges complex attributes on replace (unspecified sub-attributes stay)', async () => {
    const user = await freshUser();
    const body = await patched(user.id, { op: 'replace', value: { name: { middleName: 'M' } } });
    expect(body.name).toEqual({ ...user.name, middleName: 'M' });
  });

  it('ignores read-only attributes echoed in the value', async () => {
    const user = await freshUser();
    const body = await patched(user.id, { op: 'replace', value: { id: 'other', meta: { version: 'x' }, groups: [], active: false } });
    expect(body.id).toBe(user.id);
    expect(body.active).toBe(false);
  });
});

describe('client variants', () => {
  it('accepts capitalised op names, lower-case operations and string booleans', async () => {
    const user = await freshUser();
    let response = await r.patch(`/Users/${user.id}`, { schemas: [PATCH_URN], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(response.body.active).toBe(false);
    response = await r.patch(`/Users/${user.id}`, { schemas: [PATCH_URN], operations: [{ Op: 'REPLACE', value: { active: 'True' } }] });
    expect(response.body.active).toBe(true);
  });

  it('honours If-Match and answers 412 on a stale version', async () => {
    const user = await freshUser();
    const ok = await r.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'title', value: 'A' }), { headers: { 'if-match': 'W/"1"' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('etag')).toBe('W/"2"');
    const stale = await r.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'title', value: 'B' }), { headers: { 'if-match': 'W/"1"' } });
    expectScimError(stale, 412);
    expect((await r.get(`/Users/${user.id}`)).body.title).toBe('A');
    const notModified = await r.get(`/Users/${user.id}`, { headers: { 'if-none-match': 'W/"2"' } });
    expect(notModified.status).toBe(304);
  });
});

describe('invalid PATCH requests', () => {
  let id = '';
  beforeAll(async () => {
    id = (await freshUser()).id;
  });

  it.each([
    ['unknown op', patchOp({ op: 'merge', path: 'title', value: 'x' }), 'invalidSyntax'],
    ['missing Operations', { schemas: [PATCH_URN] }, 'invalidSyntax'],
    ['empty Operations', { schemas: [PATCH_URN], Operations: [] }, 'invalidSyntax'],
    ['missing PatchOp schema', { schemas: ['urn:x'], Operations: [{ op: 'add', path: 'title', value: 'x' }] }, 'invalidValue'],
    ['remove without path', patchOp({ op: 'remove' }), 'noTarget'],
    ['add without value', patchOp({ op: 'add', path: 'title' }), 'invalidValue'],
    ['unknown path', patchOp({ op: 'replace', path: 'favouriteColour', value: 'x' }), 'invalidPath'],
    ['read-only path', patchOp({ op: 'replace', path: 'groups', value: [] }), 'mutability'],
    ['wrong type', patchOp({ op: 'replace', path: 'active', value: 'maybe' }), 'invalidValue'],
    ['object for a string', patchOp({ op: 'replace', path: 'title', value: { a: 1 } }), 'invalidValue'],
    ['removing userName (RFC 7644 §3.5.2.2)', patchOp({ op: 'remove', path: 'userName' }), 'mutability'],
    ['bad value filter', patchOp({ op: 'replace', path: 'emails[type eq]', value: 'x' }), 'invalidFilter'],
    ['path-less non-object', patchOp({ op: 'replace', value: 'x' }), 'invalidValue'],
    ['body is an array', [], 'invalidSyntax'],
  ])('%s → 400 %s, nothing changed', async (_name, body, scimType) => {
    const before = (await r.get(`/Users/${id}`)).body;
    expectScimError(await r.patch(`/Users/${id}`, body), 400, scimType);
    expect((await r.get(`/Users/${id}`)).body).toEqual(before);
  });

  it('a failing operation rolls back the earlier ones in the same request', async () => {
    const before = (await r.get(`/Users/${id}`)).body;
    const response = await r.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'title', value: 'Changed' }, { op: 'replace', path: 'active', value: 42 }));
    expectScimError(response, 400, 'invalidValue');
    expect((await r.get(`/Users/${id}`)).body).toEqual(before);
  });

  it('changing userName to a taken one is 409, and PATCH of an unknown id is 404', async () => {
    const other = await freshUser();
    expectScimError(await r.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'userName', value: other.userName.toUpperCase() })), 409, 'uniqueness');
    expectScimError(await r.patch('/Users/nope', patchOp({ op: 'replace', path: 'title', value: 'x' })), 404);
  });
});
