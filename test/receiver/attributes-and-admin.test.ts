/**
 * Custom attributes (the portal's "IDP" attributes), the admin API, templates, settings, tokens and the
 * activity log, through HTTP against a real SQLite file.
 */
import { TOKEN, ADMIN_KEY, CUSTOM_URN, ENTERPRISE_URN, TestReceiver, USER_URN, expectScimError, oktaUser, patchOp } from './support/harness';
import { TestClock } from './support/test-clock';

let r: TestReceiver;
beforeAll(async () => {
  r = await TestReceiver.start();
});
afterAll(async () => {
  await r.stop();
});

describe('admin API authentication', () => {
  it.each([
    ['GET', '/users'],
    ['GET', '/settings'],
    ['PUT', '/settings'],
    ['POST', '/attributes'],
    ['DELETE', '/attributes/x'],
    ['GET', '/tokens'],
    ['POST', '/tokens'],
    ['GET', '/activity'],
    ['GET', '/diagnostics'],
    ['GET', '/nothing'],
  ])('%s /api%s refuses missing, wrong and SCIM credentials', async (method, path) => {
    for (const token of [null, 'wrong', TOKEN]) {
      const response = await r.api(method, path, method === 'GET' || method === 'DELETE' ? undefined : {}, { token });
      expect(response.status).toBe(401);
      expect(response.body.error.message).toMatch(/admin API key/);
    }
  });

  it('does not accept the admin key on the SCIM API', async () => {
    expectScimError(await r.get('/Users', { token: ADMIN_KEY }), 401);
  });
});

describe('custom attributes', () => {
  it('declares an attribute that appears in /Schemas at once, is accepted under the URN, shown and filterable', async () => {
    const created = await r.api('POST', '/attributes', { name: 'costBand', displayName: 'Cost band', type: 'string', description: 'Pay band' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'costBand', origin: 'idp', scimPath: `${CUSTOM_URN}:costBand`, variable: '${costBand}' });

    const schema = await r.get(`/Schemas/${CUSTOM_URN}`);
    expect(schema.body.attributes).toEqual([expect.objectContaining({ name: 'costBand', type: 'string', multiValued: false, description: 'Pay band' })]);

    const user = await r.post('/Users', oktaUser('band.user@example.com', { schemas: [USER_URN, CUSTOM_URN], [CUSTOM_URN]: { costBand: 'B3' } }));
    expect(user.status).toBe(201);
    expect(user.body[CUSTOM_URN]).toEqual({ costBand: 'B3' });
    expect(user.body.schemas).toEqual([USER_URN, CUSTOM_URN]);

    const detail = await r.api('GET', `/users/${user.body.id}`);
    expect(detail.body.attributes.custom).toEqual([
      { name: 'costBand', displayName: 'Cost band', type: 'string', multiValued: false, origin: 'idp', label: 'IDP', value: 'B3' },
    ]);

    const filtered = await r.get(`/Users?filter=${encodeURIComponent(`${CUSTOM_URN}:costBand eq "b3"`)}`);
    expect(filtered.body.Resources.map((u: { id: string }) => u.id)).toEqual([user.body.id]);

    const patched = await r.patch(`/Users/${user.body.id}`, patchOp({ op: 'replace', path: `${CUSTOM_URN}:costBand`, value: 'B4' }));
    expect(patched.body[CUSTOM_URN]).toEqual({ costBand: 'B4' });
  });

  it('type-checks values: a wrong type is 400 invalidValue naming the attribute', async () => {
    await r.api('POST', '/attributes', { name: 'seniority', type: 'integer' });
    await r.api('POST', '/attributes', { name: 'contractor', type: 'boolean' });
    const response = await r.post('/Users', oktaUser('typed@example.com', { [CUSTOM_URN]: { seniority: 'senior' } }));
    expectScimError(response, 400, 'invalidValue');
    expect(response.body.detail).toContain(`${CUSTOM_URN}.seniority`);
    const ok = await r.post('/Users', oktaUser('typed@example.com', { [CUSTOM_URN]: { seniority: 7, contractor: 'False' } }));
    expect(ok.body[CUSTOM_URN]).toEqual({ seniority: 7, contractor: false });
    const greater = await r.get(`/Users?filter=${encodeURIComponent(`${CUSTOM_URN}:seniority gt 5`)}`);
    expect(greater.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(['typed@example.com']);
  });

  it('keeps a user whose undeclared attribute Okta sends, and makes the mismatch visible', async () => {
    const response = await r.post('/Users', oktaUser('undeclared@example.com', { [CUSTOM_URN]: { costBand: 'A1', mysteryField: 'x' } }));
    expect(response.status).toBe(201);
    expect(response.body[CUSTOM_URN]).toEqual({ costBand: 'A1' });
    const patched = await r.patch(`/Users/${response.body.id}`, patchOp({ op: 'replace', path: `${CUSTOM_URN}:otherMystery`, value: 'y' }));
    expect(patched.status).toBe(200);

    // Recorded after the response (best effort, off the request path): wait for both.
    let diagnostics = await r.api('GET', '/diagnostics');
    for (let i = 0; i < 100 && diagnostics.body.undeclaredAttributes.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      diagnostics = await r.api('GET', '/diagnostics');
    }
    const names = diagnostics.body.undeclaredAttributes.map((u: { name: string }) => u.name).sort();
    expect(names).toEqual(['mysteryField', 'otherMystery']);
    expect(diagnostics.body.undeclaredAttributes[0]).toMatchObject({ urn: CUSTOM_URN, lastUser: 'undeclared@example.com', occurrences: 1 });
    expect(diagnostics.body.undeclaredAttributes[0].hint).toMatch(/POST \/api\/attributes/);
    let activity = await r.api('GET', '/activity?action=user.undeclared');
    for (let i = 0; i < 100 && activity.body.items.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      activity = await r.api('GET', '/activity?action=user.undeclared');
    }
    expect(activity.body.items[0].summary).toMatch(/undeclared attribute\(s\) (mysteryField|otherMystery)/);

    // Declaring it clears the diagnostic.
    await r.api('POST', '/attributes', { name: 'mysteryField' });
    const after = await r.api('GET', '/diagnostics');
    expect(after.body.undeclaredAttributes.map((u: { name: string }) => u.name)).toEqual(['otherMystery']);
  });

  it.each([
    [{ name: '9lives' }, 'name', /must start with a letter/],
    [{ name: 'title' }, 'name', /collides with the standard attribute "title"/],
    [{ name: 'Department' }, 'name', /collides with the standard attribute "department"/],
    [{ name: 'groups' }, 'name', /collides/],
    [{ name: 'ok', type: 'color' }, 'type', /Invalid option|expected one of/],
    [{ name: 'ok', extra: true }, '(body)', /Unrecognized key|unrecognized/i],
    [{}, 'name', /expected string|Invalid input/],
  ])('refuses %j with 400 naming %s', async (body, field, message) => {
    const response = await r.api('POST', '/attributes', body);
    expect(response.status).toBe(400);
    expect(response.body.error.field).toBe(field);
    expect(response.body.error.message).toMatch(message);
  });

  it('refuses a duplicate declaration (case-insensitively) with 409', async () => {
    await r.api('POST', '/attributes', { name: 'region2' });
    const response = await r.api('POST', '/attributes', { name: 'REGION2' });
    expect(response.status).toBe(409);
  });

  it('deletes an attribute with its values; the schema changes without restart', async () => {
    await r.api('POST', '/attributes', { name: 'temporary' });
    const user = await r.createUser('temporary.user@example.com', { [CUSTOM_URN]: { temporary: 'x', costBand: 'C1' } });
    const removed = await r.api('DELETE', '/attributes/temporary');
    expect(removed.status).toBe(200);
    expect(removed.body.removedValues).toBe(1);
    expect((await r.get(`/Users/${user.id}`)).body[CUSTOM_URN]).toEqual({ costBand: 'C1' });
    const schema = await r.get(`/Schemas/${CUSTOM_URN}`);
    expect(schema.body.attributes.map((a: { name: string }) => a.name)).not.toContain('temporary');
    expect((await r.api('DELETE', '/attributes/temporary')).status).toBe(404);
  });
});

describe('templates', () => {
  let templateId = '';

  it('refuses a template with unknown variables, listing them', async () => {
    const response = await r.api('POST', '/templates', { name: 'Device', fields: { owner: '${userName} ${nope}', tag: '${alsoNope}-${costBand}' } });
    expect(response.status).toBe(400);
    expect(response.body.error.field).toBe('fields');
    expect(response.body.error.unknownVariables).toEqual(['nope', 'alsoNope']);
  });

  it('saves a template and renders it per user, naming variables without a value', async () => {
    const created = await r.api('POST', '/templates', {
      name: 'Device profile',
      fields: {
        owner: '${displayName} <${emails}>',
        asset: '${name.givenName}-${costBand}',
        dept: '${department} / ${urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter}',
        title: '${title}',
      },
    });
    expect(created.status).toBe(201);
    templateId = created.body.id;
    const user = await r.createUser('ada.render@example.com', {
      displayName: 'Ada Render',
      emails: [{ value: 'home@example.com', type: 'home' }, { value: 'ada@work.example', type: 'work', primary: true }],
      [CUSTOM_URN]: { costBand: 'B7' },
      [ENTERPRISE_URN]: { department: 'Research' },
    });
    const rendered = await r.api('GET', `/users/${user.id}/templates/${templateId}`);
    expect(rendered.status).toBe(200);
    expect(rendered.body.fields).toEqual({ owner: 'Ada Render <ada@work.example>', asset: 'ada-B7', dept: 'Research / ', title: '' });
    expect(rendered.body.missing).toEqual(['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter', 'title']);
  });

  it('refuses to delete a referenced attribute unless forced, naming the templates', async () => {
    const refused = await r.api('DELETE', '/attributes/costBand');
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('"Device profile"');
    expect(refused.body.error.templates).toEqual([{ id: templateId, name: 'Device profile' }]);
    const forced = await r.api('DELETE', '/attributes/costBand?force=true');
    expect(forced.status).toBe(200);
    const user = (await r.api('GET', `/users?search=ada.render`)).body.items[0];
    const rendered = await r.api('GET', `/users/${user.id}/templates/${templateId}`);
    expect(rendered.body.fields.asset).toBe('ada-');
    expect(rendered.body.missing).toContain('costBand');
  });

  it('lists, updates, deletes; duplicate names are 409', async () => {
    expect((await r.api('GET', '/templates')).body.items.map((t: { name: string }) => t.name)).toEqual(['Device profile']);
    expect((await r.api('POST', '/templates', { name: 'device PROFILE', fields: { a: 'b' } })).status).toBe(409);
    const updated = await r.api('PUT', `/templates/${templateId}`, { name: 'Renamed', fields: { a: '${userName}' } });
    expect(updated.body).toMatchObject({ name: 'Renamed', fields: { a: '${userName}' } });
    expect((await r.api('DELETE', `/templates/${templateId}`)).status).toBe(204);
    expect((await r.api('GET', `/templates/${templateId}`)).status).toBe(404);
    expect((await r.api('POST', '/templates', { name: 'x', fields: {} })).body.error.field).toBe('fields');
  });
});

describe('settings', () => {
  it('reads and changes autoInvite (default off), refusing bad values', async () => {
    expect((await r.api('GET', '/settings')).body).toEqual({ autoInvite: { value: false, managed: false } });
    const changed = await r.api('PUT', '/settings', { autoInvite: true });
    expect(changed.body.autoInvite).toMatchObject({ value: true, managed: false });
    const bad = await r.api('PUT', '/settings', { autoInvite: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('autoInvite');
    expect((await r.api('PUT', '/settings', { unknown: 1 })).status).toBe(400);
    await r.api('PUT', '/settings', { autoInvite: false });
  });
});

describe('tokens', () => {
  it('lists the SCIM_TOKEN_SHA256 token as managed and refuses to change it', async () => {
    const list = await r.api('GET', '/tokens');
    expect(list.body.items).toEqual([{ id: 'env-1', label: 'SCIM_TOKEN_SHA256 #1', status: 'active', managed: true }]);
    expect((await r.api('PATCH', '/tokens/env-1', { status: 'inactive' })).status).toBe(409);
    expect((await r.api('DELETE', '/tokens/env-1')).status).toBe(409);
  });

  it('generates at most 2, deactivation is a 401 at once, renew replaces the secret, remove revokes', async () => {
    const first = await r.api('POST', '/tokens', { label: 'okta-prod' });
    expect(first.status).toBe(201);
    expect(first.body.token).toMatch(/^scim_[A-Za-z0-9_-]{43}$/);
    const second = await r.api('POST', '/tokens', { label: 'rotation' });
    expect(second.status).toBe(201);
    const third = await r.api('POST', '/tokens', { label: 'one too many' });
    expect(third.status).toBe(409);
    expect(third.body.error.message).toMatch(/At most 2/);

    expect((await r.get('/Users', { token: first.body.token })).status).toBe(200);
    const listed = (await r.api('GET', '/tokens')).body.items.find((t: { id: string }) => t.id === first.body.id);
    expect(listed).toMatchObject({ label: 'okta-prod', status: 'active', managed: false });
    expect(listed).not.toHaveProperty('token');
    expect(JSON.stringify((await r.api('GET', '/tokens')).body)).not.toContain(first.body.token);

    expect((await r.api('PATCH', `/tokens/${first.body.id}`, { status: 'inactive' })).body.status).toBe('inactive');
    expectScimError(await r.get('/Users', { token: first.body.token }), 401);
    await r.api('PATCH', `/tokens/${first.body.id}`, { status: 'active' });
    expect((await r.get('/Users', { token: first.body.token })).status).toBe(200);

    const renewed = await r.api('POST', `/tokens/${first.body.id}/renew`);
    expect(renewed.body.id).toBe(first.body.id);
    expectScimError(await r.get('/Users', { token: first.body.token }), 401);
    expect((await r.get('/Users', { token: renewed.body.token })).status).toBe(200);

    expect((await r.api('DELETE', `/tokens/${second.body.id}`)).status).toBe(204);
    expectScimError(await r.get('/Users', { token: second.body.token }), 401);
    expect((await r.api('POST', '/tokens', { label: 'slot freed' })).status).toBe(201);

    const trail = (await r.api('GET', '/activity?action=token.')).body.items.map((a: { action: string }) => a.action);
    expect(trail).toEqual(['token.create', 'token.delete', 'token.renew', 'token.activate', 'token.deactivate', 'token.create', 'token.create']);
  });
});

describe('users, groups and activity through the admin API', () => {
  it('lists users with search and status, shows detail with groups, and pages group members', async () => {
    const a = await r.createUser('list.alpha@example.com');
    const b = await r.createUser('list.beta@example.com');
    await r.patch(`/Users/${b.id}`, patchOp({ op: 'replace', value: { active: false } }));
    const group = await r.createGroup('Admin View', [a.id, b.id]);

    const search = await r.api('GET', '/users?search=list.&count=10');
    expect(search.body.items.map((u: { userName: string }) => u.userName)).toEqual(['list.alpha@example.com', 'list.beta@example.com']);
    expect(search.body.items[0]).toMatchObject({ email: 'list.alpha@example.com', active: true, enrolled: false, source: { credentialId: 'env-1', label: 'SCIM_TOKEN_SHA256 #1' } });
    const inactive = await r.api('GET', '/users?search=list.&status=inactive');
    expect(inactive.body.items.map((u: { userName: string }) => u.userName)).toEqual(['list.beta@example.com']);
    expect((await r.api('GET', '/users?source=env-1&search=list.')).body.totalResults).toBe(2);
    expect((await r.api('GET', '/users?source=someone-else&search=list.')).body.totalResults).toBe(0);
    expect((await r.api('GET', '/users?status=maybe')).status).toBe(400);

    const detail = await r.api('GET', `/users/${a.id}`);
    expect(detail.body.groups).toEqual([{ value: group.id, display: 'Admin View' }]);
    expect(detail.body.attributes.core.userName).toBe('list.alpha@example.com');

    const groups = await r.api('GET', '/groups?search=Admin View');
    expect(groups.body.items).toEqual([expect.objectContaining({ id: group.id, displayName: 'Admin View', memberCount: 2 })]);
    const members = await r.api('GET', `/groups/${group.id}/members?count=1&startIndex=2`);
    expect(members.body).toEqual({ totalResults: 2, startIndex: 2, items: [{ id: b.id, display: 'list beta' }] });
    expect((await r.api('GET', '/users/nope')).status).toBe(404);
    expect((await r.api('GET', '/groups/nope/members')).status).toBe(404);
  });

  it('records every SCIM write with the token, operation, resource and a summary', async () => {
    const user = await r.createUser('audited@example.com');
    await r.put(`/Users/${user.id}`, { ...(await r.get(`/Users/${user.id}`)).body, title: 'Auditor' });
    await r.patch(`/Users/${user.id}`, patchOp({ op: 'replace', value: { active: false } }));
    const group = await r.createGroup('Audited', [user.id]);
    await r.patch(`/Groups/${group.id}`, patchOp({ op: 'remove', path: `members[value eq "${user.id}"]` }));
    await r.delete(`/Groups/${group.id}`);
    const forUser = (await r.api('GET', `/activity?resourceId=${user.id}`)).body.items;
    expect(forUser.map((a: { action: string; summary: string; actor: string }) => [a.action, a.summary, a.actor])).toEqual([
      ['user.patch', 'audited@example.com: Deactivated', 'env-1'],
      ['user.replace', 'audited@example.com: Changed title', 'env-1'],
      ['user.create', 'Created audited@example.com', 'env-1'],
    ]);
    const forGroup = (await r.api('GET', `/activity?resourceId=${group.id}`)).body.items;
    expect(forGroup.map((a: { action: string; summary: string }) => [a.action, a.summary])).toEqual([
      ['group.delete', `Deleted group ${group.id}`],
      ['group.patch', 'Audited: 1 member(s) removed'],
      ['group.create', 'Created group "Audited" with 1 member(s)'],
    ]);
    const page = await r.api('GET', '/activity?limit=2');
    expect(page.body.items).toHaveLength(2);
    const next = await r.api('GET', `/activity?limit=2&before=${page.body.next}`);
    expect(next.body.items[0].seq).toBeLessThan(page.body.items[1].seq);
  });

  it('answers malformed admin JSON with 400 naming the body', async () => {
    const response = await r.request('PUT', `${r.receiver.url}/api/settings`, { token: ADMIN_KEY, raw: '{', headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(400);
    expect(response.body.error.field).toBe('(body)');
  });
});

describe('activity retention', () => {
  it('prunes entries older than the cut and keeps the newer ones', async () => {
    const clock = new TestClock();
    const local = await TestReceiver.start({ ACTIVITY_RETENTION_DAYS: '30' }, { clock });
    try {
      await local.createUser('old.entry@example.com');
      const cut = clock.iso(5);
      clock.advance(10);
      await local.createUser('new.entry@example.com');
      expect(await local.store.activity.prune(new Date(0).toISOString())).toBe(0);
      expect(await local.store.activity.prune(cut)).toBeGreaterThanOrEqual(1);
      const summaries = (await local.api('GET', '/activity')).body.items.map((a: { summary: string }) => a.summary);
      expect(summaries).toEqual(['Created new.entry@example.com']);
      expect(await local.store.activity.prune(clock.iso(60_000))).toBe(1);
      expect((await local.api('GET', '/activity')).body.items).toEqual([]);
    } finally {
      await local.stop();
    }
  });
});
