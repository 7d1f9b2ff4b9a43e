/** Group push (docs/okta-scim-behavior.md §11): PATCH from catalog apps, full-membership PUT from AIW apps, lookup, delete. */
import { GROUP_URN, TestReceiver, expectScimError, patchOp } from './support/harness';

let r: TestReceiver;
const users: { id: string; userName: string }[] = [];

beforeAll(async () => {
  r = await TestReceiver.start();
  for (let i = 0; i < 6; i++) users.push(await r.createUser(`member.${i}@example.com`));
});
afterAll(async () => {
  await r.stop();
});

const ids = (group: { members?: { value: string }[] }) => (group.members ?? []).map((m) => m.value).sort();
const member = (u: { id: string; userName: string }) => ({ value: u.id, display: u.userName });

describe('lookup and create (docs/okta-scim-behavior.md §11.1)', () => {
  it('finds no group, creates it, and finds it by displayName case-insensitively', async () => {
    const lookup = `/Groups?filter=${encodeURIComponent('displayName eq "Test SCIMv2"')}&startIndex=1&count=100`;
    expect((await r.get(lookup)).body.totalResults).toBe(0);
    const created = await r.post('/Groups', { schemas: [GROUP_URN], displayName: 'Test SCIMv2', members: [] });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${r.baseUrl}/Groups/${created.body.id}`);
    expect(created.body).toMatchObject({ schemas: [GROUP_URN], displayName: 'Test SCIMv2', members: [] });
    expect(created.body.meta).toMatchObject({ resourceType: 'Group', version: 'W/"1"' });
    const found = await r.get(`/Groups?filter=${encodeURIComponent('displayname EQ "test scimv2"')}`);
    expect(found.body.Resources.map((g: { id: string }) => g.id)).toEqual([created.body.id]);
  });

  it('creates a group with its full member list (the Flask-blog capture) and rejects a duplicate name', async () => {
    const created = await r.post('/Groups', { schemas: [GROUP_URN], displayName: 'Engineering', members: users.slice(0, 2).map(member) });
    expect(created.status).toBe(201);
    expect(ids(created.body)).toEqual(users.slice(0, 2).map((u) => u.id).sort());
    expect(created.body.members[0]).toEqual({
      value: users[0]!.id,
      $ref: `${r.baseUrl}/Users/${users[0]!.id}`,
      display: users[0]!.userName.split('@')[0]!.replace('.', ' '),
      type: 'User',
    });
    expectScimError(await r.post('/Groups', { schemas: [GROUP_URN], displayName: 'ENGINEERING' }), 409, 'uniqueness');
  });

  it('rejects members that are not users, naming them, and creates nothing', async () => {
    const response = await r.post('/Groups', { schemas: [GROUP_URN], displayName: 'Ghosts', members: [{ value: 'no-such-user' }] });
    expectScimError(response, 400, 'invalidValue');
    expect(response.body.detail).toContain('no-such-user');
    expect((await r.get(`/Groups?filter=${encodeURIComponent('displayName eq "Ghosts"')}`)).body.totalResults).toBe(0);
  });

  it('tolerates Okta\'s SCIM 1.1 group extension in the body and in schemas', async () => {
    const response = await r.post('/Groups', {
      schemas: [GROUP_URN, 'urn:okta:custom:group:1.0'],
      displayName: 'With description',
      'urn:okta:custom:group:1.0': { description: 'pushed from Okta' },
    });
    expect(response.status).toBe(201);
  });
});

describe('membership by PATCH (catalog apps, docs/okta-scim-behavior.md §11.3–§11.4)', () => {
  let groupId = '';
  beforeAll(async () => {
    groupId = (await r.createGroup('Patch Target')).id;
  });

  it('adds members with an array of {value, display}; repeating the add is idempotent', async () => {
    const body = patchOp({ op: 'add', path: 'members', value: users.slice(0, 3).map(member) });
    const first = await r.patch(`/Groups/${groupId}`, body);
    expect(first.status).toBe(200);
    expect(ids(first.body)).toEqual(users.slice(0, 3).map((u) => u.id).sort());
    const again = await r.patch(`/Groups/${groupId}`, body);
    expect(ids(again.body)).toEqual(ids(first.body));
    expect(again.body.meta.version).toBe(first.body.meta.version); // nothing changed
  });

  it('removes one member per operation by members[value eq "id"] and adds in the same request', async () => {
    const response = await r.patch(
      `/Groups/${groupId}`,
      patchOp(
        { op: 'remove', path: `members[value eq "${users[0]!.id}"]` },
        { op: 'remove', path: `members[value eq "${users[1]!.id}"]` },
        { op: 'add', path: 'members', value: [member(users[3]!)] },
      ),
    );
    expect(ids(response.body)).toEqual([users[2]!.id, users[3]!.id].sort());
  });

  it('touches the group with a path-less replace carrying its id and name (no change, no new version)', async () => {
    const before = (await r.get(`/Groups/${groupId}`)).body;
    const response = await r.patch(`/Groups/${groupId}`, patchOp({ op: 'replace', value: { id: groupId, displayName: 'Patch Target' } }));
    expect(response.status).toBe(200);
    expect(response.body.meta.version).toBe(before.meta.version);
    expect(ids(response.body)).toEqual(ids(before));
  });

  it('renames with a path-less replace and keeps the members', async () => {
    const response = await r.patch(`/Groups/${groupId}`, patchOp({ op: 'replace', value: { id: 'ignored-id-in-body', displayName: 'Patch Renamed' } }));
    expect(response.body.displayName).toBe('Patch Renamed');
    expect(response.body.id).toBe(groupId);
    expect(ids(response.body)).toEqual([users[2]!.id, users[3]!.id].sort());
  });

  it('replaces the whole member list ("Push Now") and empties it with []', async () => {
    const replaced = await r.patch(`/Groups/${groupId}`, patchOp({ op: 'replace', path: 'members', value: [member(users[4]!), member(users[5]!)] }));
    expect(ids(replaced.body)).toEqual([users[4]!.id, users[5]!.id].sort());
    const emptied = await r.patch(`/Groups/${groupId}`, patchOp({ op: 'replace', path: 'members', value: [] }));
    expect(emptied.body.members).toEqual([]);
  });

  it('tolerates a path-less replace whose value carries members (KC-100)', async () => {
    const response = await r.patch(`/Groups/${groupId}`, patchOp({ op: 'replace', value: { members: [member(users[0]!)] } }));
    expect(ids(response.body)).toEqual([users[0]!.id]);
  });

  it('removes several members with an or-filter, and all members with a bare remove', async () => {
    await r.patch(`/Groups/${groupId}`, patchOp({ op: 'add', path: 'members', value: users.slice(1, 4).map(member) }));
    const some = await r.patch(
      `/Groups/${groupId}`,
      patchOp({ op: 'remove', path: `members[value eq "${users[1]!.id}" or value eq "${users[2]!.id}"]` }),
    );
    expect(ids(some.body)).toEqual([users[0]!.id, users[3]!.id].sort());
    const all = await r.patch(`/Groups/${groupId}`, patchOp({ op: 'remove', path: 'members' }));
    expect(all.body.members).toEqual([]);
  });

  it('removing a member that is not there is a no-op', async () => {
    const response = await r.patch(`/Groups/${groupId}`, patchOp({ op: 'remove', path: 'members[value eq "not-a-member"]' }));
    expect(response.status).toBe(200);
  });

  it('fails an add naming an unknown user atomically (nothing from the request is applied)', async () => {
    const response = await r.patch(
      `/Groups/${groupId}`,
      patchOp({ op: 'replace', path: 'displayName', value: 'Should Not Stick' }, { op: 'add', path: 'members', value: [{ value: 'ghost' }] }),
    );
    expectScimError(response, 400, 'invalidValue');
    expect((await r.get(`/Groups/${groupId}`)).body.displayName).toBe('Patch Renamed');
  });

  it('rejects member filters that do not select by value', async () => {
    expectScimError(await r.patch(`/Groups/${groupId}`, patchOp({ op: 'remove', path: 'members[display eq "x"]' })), 400, 'invalidFilter');
  });

  it('answers 404 for PATCH on an unknown group', async () => {
    expectScimError(await r.patch('/Groups/unknown', patchOp({ op: 'add', path: 'members', value: [] })), 404);
  });
});

describe('membership by PUT (AIW apps, docs/okta-scim-behavior.md §11.5)', () => {
  it('applies the full desired membership as a difference', async () => {
    const group = await r.createGroup('Put Target', [users[0]!.id, users[1]!.id, users[2]!.id]);
    const response = await r.put(`/Groups/${group.id}`, {
      schemas: [GROUP_URN],
      id: group.id,
      displayName: 'Put Target',
      members: [member(users[1]!), member(users[2]!), member(users[4]!)],
    });
    expect(response.status).toBe(200);
    expect(ids(response.body)).toEqual([users[1]!.id, users[2]!.id, users[4]!.id].sort());
    const empty = await r.put(`/Groups/${group.id}`, { schemas: [GROUP_URN], displayName: 'Put Target', members: [] });
    expect(empty.body.members).toEqual([]);
  });

  it('renames through PUT and refuses a PUT without displayName', async () => {
    const group = await r.createGroup('Put Rename');
    expect((await r.put(`/Groups/${group.id}`, { schemas: [GROUP_URN], displayName: 'Put Renamed' })).body.displayName).toBe('Put Renamed');
    expectScimError(await r.put(`/Groups/${group.id}`, { schemas: [GROUP_URN], members: [] }), 400, 'invalidValue');
  });
});

describe('reading groups (docs/okta-scim-behavior.md §11.2)', () => {
  it('excludedAttributes=members and attributes=displayName leave members out', async () => {
    const group = await r.createGroup('Projection', [users[0]!.id]);
    const excluded = await r.get(`/Groups/${group.id}?excludedAttributes=members`);
    expect(excluded.body).not.toHaveProperty('members');
    expect(excluded.body.displayName).toBe('Projection');
    const list = await r.get(`/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "Projection"')}`);
    expect(list.body.Resources[0]).not.toHaveProperty('members');
    const only = await r.get(`/Groups/${group.id}?attributes=displayName`);
    expect(Object.keys(only.body).sort()).toEqual(['displayName', 'id', 'schemas']);
  });

  it('filters groups by member and users by group', async () => {
    const group = await r.createGroup('Filterable', [users[5]!.id]);
    const byMember = await r.get(`/Groups?filter=${encodeURIComponent(`members[value eq "${users[5]!.id}"] and displayName sw "Filter"`)}`);
    expect(byMember.body.Resources.map((g: { id: string }) => g.id)).toEqual([group.id]);
    const byGroup = await r.get(`/Users?filter=${encodeURIComponent(`groups.value eq "${group.id}"`)}`);
    expect(byGroup.body.Resources.map((u: { id: string }) => u.id)).toEqual([users[5]!.id]);
  });

  it("computes each user's read-only groups from memberships", async () => {
    const solo = await r.createUser('groups.view@example.com');
    const a = await r.createGroup('View A', [solo.id]);
    const b = await r.createGroup('View B', [solo.id]);
    const user = (await r.get(`/Users/${solo.id}`)).body;
    expect(user.groups).toEqual([
      { value: a.id, $ref: `${r.baseUrl}/Groups/${a.id}`, display: 'View A', type: 'direct' },
      { value: b.id, $ref: `${r.baseUrl}/Groups/${b.id}`, display: 'View B', type: 'direct' },
    ]);
  });
});

describe('delete (docs/okta-scim-behavior.md §11.6)', () => {
  it('deletes the group with 204 and never its users', async () => {
    const group = await r.createGroup('Doomed', [users[0]!.id]);
    // Okta's 2019 sample sends a Content-Type with no body.
    const response = await r.request('DELETE', `/Groups/${group.id}`, { headers: { 'content-type': 'application/scim+json; charset=utf-8' } });
    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expectScimError(await r.get(`/Groups/${group.id}`), 404);
    expect((await r.get(`/Users/${users[0]!.id}`)).status).toBe(200);
    expectScimError(await r.delete(`/Groups/${group.id}`), 404);
  });

  it('deleting a user removes it from its groups', async () => {
    const user = await r.createUser('leaver@example.com');
    const group = await r.createGroup('Leavers', [user.id, users[0]!.id]);
    expect((await r.delete(`/Users/${user.id}`)).status).toBe(204);
    expect(ids((await r.get(`/Groups/${group.id}`)).body)).toEqual([users[0]!.id]);
    expectScimError(await r.get(`/Users/${user.id}`), 404);
  });
});

describe('concurrency', () => {
  it('parallel membership adds and removes on one group lose nothing', async () => {
    const group = await r.createGroup('Parallel');
    const more: string[] = [];
    for (let i = 0; i < 40; i++) more.push((await r.createUser(`parallel.${i}@example.com`)).id);
    await Promise.all(more.map((id) => r.patch(`/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: id }] }))));
    expect(ids((await r.get(`/Groups/${group.id}`)).body)).toEqual([...more].sort());
    const leaving = more.slice(0, 20);
    await Promise.all(leaving.map((id) => r.patch(`/Groups/${group.id}`, patchOp({ op: 'remove', path: `members[value eq "${id}"]` }))));
    expect(ids((await r.get(`/Groups/${group.id}`)).body)).toEqual(more.slice(20).sort());
  });
});
