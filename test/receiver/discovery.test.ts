/** RFC 7644 §4 discovery: what the receiver says it supports is what it supports. */
import { ENTERPRISE_URN, GROUP_URN, LIST_URN, TestReceiver, USER_URN, expectScimError } from './support/harness';

let r: TestReceiver;
beforeAll(async () => {
  r = await TestReceiver.start();
});
afterAll(async () => {
  await r.stop();
});

it('ServiceProviderConfig describes patch, filter, sort, etag, no bulk, bearer tokens', async () => {
  const response = await r.get('/ServiceProviderConfig');
  expect(response.status).toBe(200);
  expect(response.body).toMatchObject({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    patch: { supported: true },
    bulk: { supported: false },
    filter: { supported: true, maxResults: 1000 },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: [expect.objectContaining({ type: 'oauthbearertoken', primary: true })],
  });
});

it('ResourceTypes lists User (with the enterprise extension) and Group', async () => {
  const response = await r.get('/ResourceTypes');
  expect(response.body.schemas).toEqual([LIST_URN]);
  expect(response.body.Resources).toEqual([
    expect.objectContaining({
      id: 'User',
      endpoint: '/Users',
      schema: USER_URN,
      schemaExtensions: [
        { schema: ENTERPRISE_URN, required: false },
        { schema: 'urn:ietf:params:scim:schemas:extension:custom:2.0:User', required: false },
      ],
    }),
    expect.objectContaining({ id: 'Group', endpoint: '/Groups', schema: GROUP_URN, schemaExtensions: [] }),
  ]);
  expect((await r.get('/ResourceTypes/User')).body.id).toBe('User');
});

it('Schemas publishes every attribute with its characteristics', async () => {
  const response = await r.get('/Schemas');
  expect(response.body.Resources.map((s: { id: string }) => s.id)).toEqual([
    USER_URN,
    ENTERPRISE_URN,
    'urn:ietf:params:scim:schemas:extension:custom:2.0:User',
    GROUP_URN,
  ]);
  const user = (await r.get(`/Schemas/${USER_URN}`)).body;
  const names = user.attributes.map((a: { name: string }) => a.name);
  for (const name of ['id', 'externalId', 'userName', 'name', 'displayName', 'nickName', 'profileUrl', 'title', 'userType', 'preferredLanguage', 'locale', 'timezone', 'active', 'password', 'emails', 'phoneNumbers', 'ims', 'photos', 'addresses', 'groups', 'entitlements', 'roles', 'x509Certificates']) {
    expect(names).toContain(name);
  }
  const userName = user.attributes.find((a: { name: string }) => a.name === 'userName');
  expect(userName).toMatchObject({ type: 'string', required: true, caseExact: false, uniqueness: 'server' });
  expect(user.attributes.find((a: { name: string }) => a.name === 'password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
  expect(user.attributes.find((a: { name: string }) => a.name === 'groups')).toMatchObject({ mutability: 'readOnly' });
  const enterprise = (await r.get(`/Schemas/${ENTERPRISE_URN}`)).body;
  expect(enterprise.attributes.map((a: { name: string }) => a.name)).toEqual(['employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager']);
  expect(enterprise.attributes[5].subAttributes.map((a: { name: string }) => a.name)).toEqual(['value', '$ref', 'displayName']);
  expectScimError(await r.get('/Schemas/urn:ietf:params:scim:schemas:core:2.0:Nothing'), 404);
});
