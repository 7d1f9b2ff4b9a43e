/** Environment configuration: the examples validate; every mistake is named with its path, all at once. */
import { loadEnvironments } from '../../config/environments';
import { dev } from '../../config/environments/dev';
import type { EnvironmentInput } from '../../config/schema';
import { ConfigError, parseEnvironment, parseEnvironments } from '../../config/schema';

function problemsOf(config: unknown): string[] {
  try {
    parseEnvironment(config);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

const base = (): EnvironmentInput => JSON.parse(JSON.stringify(dev)) as EnvironmentInput;

it('validates the example environments and applies defaults', () => {
  const environments = loadEnvironments();
  expect(environments.map((e) => e.name)).toEqual(['dev', 'staging', 'prod']);
  const d = environments[0]!;
  expect(d.app.catalogName).toBe('scim2testapp');
  expect(d.provisioning).toEqual({ mode: 'console', confirmed: false, create: true, update: true, deactivate: true });
  expect(d.attributes[0]).toMatchObject({ namespace: 'custom', type: 'string', required: false });
  expect(d.groupPush[0]).toMatchObject({ deleteDownstreamOnDestroy: false });
});

it.each<[string, (c: any) => void, RegExp]>([
  ['a bad environment name', (c) => (c.name = 'Dev Env'), /^name: expected a lower-case identifier/],
  ['an unknown Okta domain', (c) => (c.okta.baseUrl = 'example.com'), /^okta\.baseUrl: /],
  ['a bad org name', (c) => (c.okta.orgName = 'acme corp'), /^okta\.orgName: expected the org name/],
  ['an unknown catalog app', (c) => (c.app.catalogName = 'scim2basic'), /^app\.catalogName: /],
  ['a malformed existing app id', (c) => (c.app.existingAppId = '12345'), /^app\.existingAppId: expected an Okta app id/],
  ['an unknown key', (c) => (c.app.colour = 'blue'), /^app: .*colour/],
  ['an invalid attribute identifier', (c) => (c.attributes[0].name = 'cost band'), /^attributes\[0\]\.name: expected a Profile Editor variable name/],
  ['duplicate attribute names', (c) => (c.attributes[1].name = 'COSTBAND'), /^attributes\[1\]\.name: duplicates attributes\[0\]\.name/],
  ['an attribute named groups', (c) => (c.attributes[1].name = 'groups'), /^attributes\[1\]\.name: "groups" collides/],
  ['an unknown attribute type', (c) => (c.attributes[0].type = 'date'), /^attributes\[0\]\.type: /],
  ['an assignment of an undeclared group', (c) => c.assignments.groups.push('ops'), /^assignments\.groups\[1\]: "ops" is not a key in groups/],
  ['a pushed group that is not declared', (c) => c.groupPush.push({ group: 'ops' }), /^groupPush\[1\]\.group: "ops" is not a key in groups/],
  ['a pushed group that is not assigned', (c) => ((c.assignments.groups = []), undefined), /^groupPush\[0\]\.group: "engineering" is pushed but not assigned/],
  ['duplicate group keys', (c) => c.groups.push({ key: 'engineering', name: 'Other' }), /^groups\[1\]\.key: duplicates groups\[0\]\.key/],
  ['a created group without the environment name', (c) => c.groups.push({ key: 'ops', name: 'Operations', source: 'create' }), /^groups\[1\]\.name: a group this stack creates must contain the environment name "dev"/],
  ['a label without the environment name', (c) => (c.app.label = 'Device Portal'), /^app\.label: must contain the environment name "dev"/],
  ['api mode before provisioning is confirmed', (c) => (c.provisioning.mode = 'api'), /^provisioning\.confirmed: api mode/],
  ['an http receiver URL', (c) => (c.receiver.scimBaseUrl = 'http://scim.example.com/scim/v2'), /^receiver\.scimBaseUrl: expected an https URL/],
  ['an underscore in the receiver host', (c) => (c.receiver.scimBaseUrl = 'https://scim_dev.example.com/scim/v2'), /^receiver\.scimBaseUrl: Okta refuses base URLs/],
  ['a login that is not an e-mail', (c) => c.assignments.people.push('ada'), /^assignments\.people\[1\]: expected an Okta login/],
  ['a bad extension URN', (c) => (c.scimExtensionUrn = 'urn:acme:User'), /^scimExtensionUrn: expected urn:ietf:params:scim:schemas:extension:<vendor>:2\.0:User/],
  ['an S3 backend without a bucket', (c) => (c.backend = { type: 's3', key: 'k', region: 'eu-west-1' }), /^backend\.bucket: /],
  ['an Okta API token in config', (c) => (c.app.label = 'dev 00abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN'), /^app\.label: looks like an Okta API token; credentials belong in environment variables/],
  ['a private key in config', (c) => (c.attributes[0].description = '-----BEGIN PRIVATE KEY----- abc'), /^attributes\[0\]\.description: looks like a private key/],
])('refuses %s, naming the path', (_name, mutate, expected) => {
  const config = base();
  mutate(config);
  const problems = problemsOf(config);
  expect(problems.some((p) => expected.test(p))).toBe(true);
});

it('reports every problem at once, across environments, with the file they come from', () => {
  const broken: any = base();
  broken.attributes[1].name = 'costBand';
  broken.assignments.groups = ['engineering', 'ops'];
  broken.app.label = 'Portal';
  let error: unknown;
  try {
    parseEnvironments([
      { source: 'config/environments/dev.ts', config: broken },
      { source: 'config/environments/other.ts', config: { ...base(), okta: { orgName: 'x y' } } },
      { source: 'config/environments/dup.ts', config: base() },
    ]);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const problems = (error as ConfigError).problems;
  expect(problems).toEqual(
    expect.arrayContaining([
      'config/environments/dev.ts: attributes[1].name: duplicates attributes[0].name ("costBand")',
      'config/environments/dev.ts: assignments.groups[1]: "ops" is not a key in groups',
      'config/environments/dev.ts: app.label: must contain the environment name "dev" so that every Okta object says which environment owns it',
      expect.stringMatching(/^config\/environments\/other\.ts: okta\.orgName: /),
    ]),
  );
  expect((error as ConfigError).message).toMatch(/^Invalid environment configuration:\n {2}- /);
});

it('refuses two environments with the same name', () => {
  expect(() =>
    parseEnvironments([
      { source: 'a.ts', config: base() },
      { source: 'b.ts', config: base() },
    ]),
  ).toThrow(/b\.ts: name: "dev" is also the name of a\.ts/);
});
