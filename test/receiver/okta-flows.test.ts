/**
 * Okta's own traffic, as recorded in docs/okta-scim-behavior.md §3–§11 and its published
 * Runscope suites (docs/okta-scim-behavior.md §14): every request here has the shape Okta sends.
 */
import { ENTERPRISE_USER_SCHEMA as ENTERPRISE } from '../../receiver/src/schema/urns';
import { ERROR_URN, LIST_URN, TestReceiver, USER_URN, expectScimError, oktaUser, patchOp } from './support/harness';

let r: TestReceiver;
beforeAll(async () => {
  r = await TestReceiver.start();
});
afterAll(async () => {
  await r.stop();
});

describe('connection test (docs/okta-scim-behavior.md §3)', () => {
  it('answers GET /Users?startIndex=1&count=2 with a complete ListResponse on an empty store', async () => {
    const response = await r.get('/Users?startIndex=1&count=2', { headers: { 'user-agent': 'Okta SCIM Client 1.0.0' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/scim+json; charset=utf-8');
    expect(response.body).toEqual({ schemas: [LIST_URN], totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
  });

  it('fails the test with a wrong token: 401 with a SCIM error body', async () => {
    const response = await r.get('/Users?startIndex=1&count=2', { token: 'not-the-token' });
    expectScimError(response, 401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('answers the group probe GET /Groups?startIndex=1&count=100', async () => {
    const response = await r.get('/Groups?startIndex=1&count=100');
    expect(response.status).toBe(200);
    expect(response.body.Resources).toEqual([]);
  });
});

describe('Okta SCIM 2.0 SPEC test (docs/okta-scim-behavior.md §14.1)', () => {
  const given = 'Runscope123';
  const family = 'Qwerty';
  const randomEmail = `${given}${family}@atko.com`;
  let seededId = '';
  let idUserOne = '';

  beforeAll(async () => {
    seededId = (await r.createUser('seeded.user@atko.com')).id;
  });

  it('1. lists users with numeric paging fields and complete resources', async () => {
    const response = await r.get('/Users?count=1&startIndex=1');
    expect(response.status).toBe(200);
    expect(response.body.schemas).toContain(LIST_URN);
    for (const key of ['itemsPerPage', 'startIndex', 'totalResults']) expect(typeof response.body[key]).toBe('number');
    const user = response.body.Resources[0];
    expect(user.id).toBeTruthy();
    expect(user.name.familyName).toBeTruthy();
    expect(user.name.givenName).toBeTruthy();
    expect(user.userName).toBeTruthy();
    expect(user.active).toBe(true);
    expect(user.emails[0].value).toBeTruthy();
  });

  it('2. reads a user by id', async () => {
    const response = await r.get(`/Users/${seededId}`);
    expect(response.status).toBe(200);
    expect(response.body.id).toBe(seededId);
  });

  it('3 and 5. finds no user for an unknown userName: 200 with totalResults 0', async () => {
    for (const name of ['abcdefgh@atko.com', randomEmail]) {
      const response = await r.get(`/Users?filter=${encodeURIComponent(`userName eq "${name}"`)}`);
      expect(response.status).toBe(200);
      expect(response.body.schemas).toContain(LIST_URN);
      expect(response.body.totalResults).toBe(0);
    }
  });

  it('4 and 12. answers 404 with a SCIM error for unknown ids', async () => {
    for (const id of ['010101001010101011001010101011', '00919288221112222']) {
      const response = await r.get(`/Users/${id}`);
      expectScimError(response, 404);
      expect(response.body.schemas).toEqual([ERROR_URN]);
    }
  });

  it('6. creates a user posted as application/json', async () => {
    const response = await r.post(
      '/Users',
      {
        schemas: [USER_URN],
        userName: randomEmail,
        name: { familyName: family, givenName: given },
        emails: [{ primary: true, value: randomEmail, type: 'work' }],
        displayName: `${given} ${family}`,
        active: true,
      },
      { headers: { 'content-type': 'application/json' } },
    );
    expect(response.status).toBe(201);
    expect(response.body.active).toBe(true);
    expect(response.body.id).toBeTruthy();
    expect(response.body.name).toEqual({ familyName: family, givenName: given });
    expect(response.body.userName).toBe(randomEmail);
    expect(response.body.schemas).toContain(USER_URN);
    expect(response.headers.get('location')).toBe(`${r.baseUrl}/Users/${response.body.id}`);
    expect(response.body.meta.location).toBe(response.headers.get('location'));
    idUserOne = response.body.id;
  });

  it('7. reads the created user back', async () => {
    const response = await r.get(`/Users/${idUserOne}`);
    expect(response.body).toMatchObject({ userName: randomEmail, name: { familyName: family, givenName: given } });
  });

  it('8. refuses to create the same user again: 409 uniqueness', async () => {
    const response = await r.post('/Users', { schemas: [USER_URN], userName: randomEmail, active: true });
    expectScimError(response, 409, 'uniqueness');
  });

  it('9. finds the user by its upper-cased userName (case-insensitive lookup)', async () => {
    const response = await r.get(`/Users?filter=${encodeURIComponent(`userName eq "${randomEmail.toUpperCase()}"`)}`);
    expect(response.status).toBe(200);
    expect(response.body.totalResults).toBe(1);
    expect(response.body.Resources[0].id).toBe(idUserOne);
  });

  it('9b. refuses a case-variant duplicate with 409, consistent with the lookup', async () => {
    const response = await r.post('/Users', { schemas: [USER_URN], userName: randomEmail.toLowerCase() });
    expectScimError(response, 409, 'uniqueness');
  });

  it('10. lists groups without paging parameters', async () => {
    const response = await r.get('/Groups');
    expect(response.status).toBe(200);
    expect(Array.isArray(response.body.Resources)).toBe(true);
    expect(response.body.startIndex).toBe(1);
  });
});

describe('user lifecycle as Okta drives it (docs/okta-scim-behavior.md §4–§8, §14.2: the CRUD suite)', () => {
  it('looks up with a +-encoded filter, creates, and later finds the user the same way', async () => {
    const userName = 'jane.doe@example.com';
    const lookup = `/Users?filter=userName+eq+%22jane.doe%40example.com%22&startIndex=1&count=100`;
    expect((await r.get(lookup)).body.totalResults).toBe(0);
    const created = await r.post('/Users', oktaUser(userName));
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('password');
    expect(created.text).not.toContain('x7#Qp2!z');
    const found = await r.get(lookup);
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0].id).toBe(created.body.id);
  });

  it('accepts a read-modify-write PUT that echoes id, meta, groups, password and server fields', async () => {
    const user = await r.createUser('echo.put@example.com');
    const read = (await r.get(`/Users/${user.id}`)).body;
    const body = { ...read, name: { ...read.name, givenName: 'Echoed', formatted: 'Echoed Put' }, title: 'Engineer', password: 'secret!' };
    const response = await r.put(`/Users/${user.id}`, body);
    expect(response.status).toBe(200);
    expect(response.body.id).toBe(user.id);
    expect(response.body.name.givenName).toBe('Echoed');
    expect(response.body.title).toBe('Engineer');
    expect(response.body.meta.version).toBe('W/"2"');
    expect(response.text).not.toContain('secret!');
  });

  it('never reads a PUT without active as a deactivation', async () => {
    const user = await r.createUser('no.active@example.com');
    const { active: _ignored, ...withoutActive } = oktaUser('no.active@example.com', { title: 'Lead' });
    const response = await r.put(`/Users/${user.id}`, withoutActive);
    expect(response.status).toBe(200);
    expect(response.body.active).toBe(true);
  });

  it('PUT replaces writable attributes fully: attributes Okta stopped sending are cleared', async () => {
    const user = await r.createUser('full.replace@example.com', { title: 'Old title', nickName: 'Nick' });
    const response = await r.put(`/Users/${user.id}`, oktaUser('full.replace@example.com', { title: '' }));
    expect(response.status).toBe(200);
    expect(response.body.title).toBeUndefined();
    expect(response.body.nickName).toBeUndefined();
  });

  it('deactivates and reactivates with path-less PATCH, keeping the same id; the user stays readable and findable', async () => {
    const user = await r.createUser('cycle.user@example.com');
    const deactivated = await r.patch(`/Users/${user.id}`, patchOp({ op: 'replace', value: { active: false } }));
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);

    const read = await r.get(`/Users/${user.id}`);
    expect(read.status).toBe(200);
    expect(read.body.active).toBe(false);
    const found = await r.get(`/Users?filter=${encodeURIComponent('userName eq "cycle.user@example.com"')}`);
    expect(found.body.Resources[0]).toMatchObject({ id: user.id, active: false });

    const reactivated = await r.patch(`/Users/${user.id}`, patchOp({ op: 'replace', value: { active: true } }));
    expect(reactivated.body).toMatchObject({ id: user.id, active: true, userName: 'cycle.user@example.com' });
    expect(reactivated.body.emails).toEqual(user.emails);
  });

  it('deactivates the AIW way (GET then PUT with active flipped)', async () => {
    const user = await r.createUser('aiw.user@example.com');
    const read = (await r.get(`/Users/${user.id}`)).body;
    const response = await r.put(`/Users/${user.id}`, { ...read, active: false });
    expect(response.body.active).toBe(false);
  });

  it('accepts password-sync PATCH without storing or returning the password', async () => {
    const user = await r.createUser('pw.sync@example.com');
    const response = await r.patch(`/Users/${user.id}`, patchOp({ op: 'replace', value: { password: 'N3w-Secret!' } }));
    expect(response.status).toBe(200);
    expect(response.text).not.toContain('N3w-Secret!');
    expect(response.body.meta.version).toBe(user.meta.version); // nothing stored changed
  });

  it('stores enterprise extension values under their URN key and returns them', async () => {
    const ext = { employeeNumber: 'E-1001', department: 'Research', costCenter: 'CC-7', manager: { value: 'boss@example.com' } };
    // The URN is present as a key but missing from `schemas` (docs/okta-scim-behavior.md §9: accept both ways).
    const created = await r.post('/Users', oktaUser('ada.ext@example.com', { [ENTERPRISE]: ext }));
    expect(created.status).toBe(201);
    expect(created.body[ENTERPRISE]).toEqual(ext);
    expect(created.body.schemas).toEqual([USER_URN, ENTERPRISE]);
    const read = await r.get(`/Users/${created.body.id}`);
    expect(read.body[ENTERPRISE]).toEqual(ext);

    const updated = await r.put(`/Users/${created.body.id}`, { ...read.body, [ENTERPRISE]: { ...ext, department: 'Engineering' } });
    expect(updated.body[ENTERPRISE].department).toBe('Engineering');
    const filtered = await r.get(`/Users?filter=${encodeURIComponent(`${ENTERPRISE}:department eq "engineering"`)}`);
    expect(filtered.body.Resources.map((u: { id: string }) => u.id)).toEqual([created.body.id]);
  });

  it('tolerates locale en_US, groups: [] and unknown top-level extension keys', async () => {
    const response = await r.post(
      '/Users',
      oktaUser('quirks@example.com', { locale: 'en_US', 'urn:okta:custom:group:1.0': { description: 'x' }, unknownField: 1 }),
    );
    expect(response.status).toBe(201);
    expect(response.body.locale).toBe('en_US');
    expect(response.body).not.toHaveProperty('unknownField');
  });

  it('treats emptied values ("", null, omitted) as cleared (QA case C9337)', async () => {
    const user = await r.createUser('emptied@example.com', { title: 'T', nickName: 'N', userType: 'Employee' });
    const read = (await r.get(`/Users/${user.id}`)).body;
    const response = await r.put(`/Users/${user.id}`, { ...read, title: '', nickName: null, userType: undefined });
    expect(response.status).toBe(200);
    expect(response.body).not.toHaveProperty('title');
    expect(response.body).not.toHaveProperty('nickName');
    expect(response.body).not.toHaveProperty('userType');
  });
});

describe('import (docs/okta-scim-behavior.md §10)', () => {
  it('pages through every user with count=100 in a stable order, integers everywhere', async () => {
    const local = await TestReceiver.start();
    try {
      const names: string[] = [];
      for (let i = 0; i < 250; i++) names.push(`import.${String(i).padStart(3, '0')}@example.com`);
      for (const name of names) await local.createUser(name);
      const seen: string[] = [];
      let startIndex = 1;
      let total = Infinity;
      while (seen.length < total) {
        const page = await local.get(`/Users?startIndex=${startIndex}&count=100`);
        expect(page.status).toBe(200);
        total = page.body.totalResults;
        expect(Number.isInteger(page.body.itemsPerPage)).toBe(true);
        expect(page.body.startIndex).toBe(startIndex);
        seen.push(...page.body.Resources.map((u: { userName: string }) => u.userName));
        startIndex += page.body.itemsPerPage;
        if (page.body.itemsPerPage === 0) break;
      }
      expect(seen).toEqual(names);
      // the same page twice is the same page
      const a = await local.get('/Users?startIndex=101&count=100');
      const b = await local.get('/Users?startIndex=101&count=100');
      expect(a.body.Resources.map((u: { id: string }) => u.id)).toEqual(b.body.Resources.map((u: { id: string }) => u.id));
    } finally {
      await local.stop();
    }
  });
});
