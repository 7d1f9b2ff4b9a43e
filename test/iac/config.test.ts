/** Environment configuration: the examples validate; every mistake is named with its file and path, all at once. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { environmentFiles, loadEnvironments } from '../../config/environments';
import { dev } from '../../config/environments/dev';
import { staging } from '../../config/environments/staging';
import type { EnvironmentInput } from '../../config/schema';
import { ConfigError, parseEnvironment, parseEnvironments } from '../../config/schema';
import { ReceiverConfigError, parseReceiverConfig } from '../../receiver/src/admin/receiver-config';

function problemsOf(config: unknown): string[] {
  try {
    parseEnvironment(config);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

const copy = <T>(value: T): any => JSON.parse(JSON.stringify(value));
const base = (): EnvironmentInput => copy(dev);
/** A confirmed environment with pushes, people and mapped attributes. */
const full = (): any => copy(staging);

it('every file of config/environments/ is an environment, validated, with defaults applied', () => {
  const environments = loadEnvironments();
  expect(environments.map((e) => `config/environments/${e.name}.ts`)).toEqual(environmentFiles().map((f) => f.slice(resolve('.').length + 1)));
  const d = environments.find((e) => e.name === 'dev')!;
  expect(d.app.catalogName).toBe('scim2testapp');
  expect(d.provisioning).toEqual({ mode: 'console', confirmed: false, create: true, update: true, deactivate: true });
  expect(d.attributes[0]).toMatchObject({ namespace: 'custom', type: 'string', required: false, permission: 'READ_WRITE' });
  expect(d.groupPush[0]).toMatchObject({ deleteDownstreamOnDestroy: false });
  expect(d.destroyProtection).toBe(true);
  expect(d.okta.credentials).toEqual({ type: 'apiToken' });
});

it.each<[string, (c: any) => void, RegExp]>([
  ['a bad environment name', (c) => (c.name = 'Dev Env'), /^name: expected a lower-case identifier/],
  ['an unknown Okta domain', (c) => (c.okta.baseUrl = 'example.com'), /^okta\.baseUrl: /],
  ['a bad org name', (c) => (c.okta.orgName = 'acme corp'), /^okta\.orgName: expected the org name/],
  ['a bad service app id', (c) => (c.okta.credentials = { type: 'privateKey', clientId: 'x' }), /^okta\.credentials\.clientId: expected the service app client id/],
  ['an unknown catalog app', (c) => (c.app.catalogName = 'scim2basic'), /^app\.catalogName: /],
  ['a malformed existing app id', (c) => (c.app.existingAppId = '12345'), /^app\.existingAppId: expected an Okta app id/],
  ['an unknown key', (c) => (c.app.colour = 'blue'), /^app: .*colour/],
  ['an invalid attribute identifier', (c) => (c.attributes[0].name = 'cost band'), /^attributes\[0\]\.name: expected a Profile Editor variable name/],
  ['duplicate attribute names', (c) => (c.attributes[1] = { ...c.attributes[0], name: 'COSTBAND' }), /^attributes\[1\]\.name: duplicates attributes\[0\]\.name/],
  ['an attribute named groups', (c) => (c.attributes[0].name = 'groups'), /^attributes\[0\]\.name: "groups" collides with the standard attribute "groups"/],
  ['an attribute named like a core attribute', (c) => (c.attributes[0].name = 'title'), /^attributes\[0\]\.name: "title" collides with the standard attribute "title" \(the receiver would refuse to start with it\)/],
  ['an attribute starting with _', (c) => (c.attributes[0].name = '_badge'), /^attributes\[0\]\.name: "_badge" must start with a letter/],
  ['a 70-character attribute name', (c) => (c.attributes[0].name = 'a'.repeat(70)), /^attributes\[0\]\.name: "a{70}" must start with a letter .*at most 64 characters/],
  ['an enterprise attribute RFC 7643 does not define', (c) => (c.attributes[2].name = 'site'), /^attributes\[2\]\.name: "site" is not an attribute of the enterprise extension \(RFC 7643 §4\.3: employeeNumber, costCenter, organization, division, department\)/],
  ['an enterprise attribute in the wrong case', (c) => (c.attributes[2].name = 'Department'), /did you mean "department"\?/],
  ['the complex enterprise manager', (c) => (c.attributes[2].name = 'manager'), /^attributes\[2\]\.name: "manager" is complex/],
  ['an unknown attribute type', (c) => (c.attributes[0].type = 'date'), /^attributes\[0\]\.type: /],
  ['an unknown user permission', (c) => (c.attributes[0].permission = 'WRITE'), /^attributes\[0\]\.permission: /],
  ['a ${} mapping expression', (c) => (c.attributes[0].source = '${user.costBand}'), /^attributes\[0\]\.source: Okta expressions use user\.<attribute>, not \$\{…\}/],
  ['an empty mapping expression', (c) => (c.attributes[0].source = ' '), /^attributes\[0\]\.source: must not be empty/],
  ['a mapping source the Okta profile lacks', (c) => (c.attributes[0].source = 'user.shoeSize'), /^attributes\[0\]\.source: "shoeSize" is not a base attribute of the Okta user profile; declare it in oktaUserAttributes/],
  ['a mapping source of another type', (c) => (c.oktaUserAttributes[0].type = 'integer'), /^attributes\[0\]\.source: user\.costBand is an integer, the attribute is a string: Okta refuses the mapping/],
  ['a base attribute declared as an Okta user attribute', (c) => c.oktaUserAttributes.push({ name: 'department', displayName: 'D' }), /^oktaUserAttributes\[2\]\.name: "department" is a base attribute/],
  ['an assignment of an undeclared group', (c) => c.assignments.groups.push('ops'), /^assignments\.groups\[1\]: "ops" is not a key in groups/],
  ['a pushed group that is not declared', (c) => c.groupPush.push({ group: 'ops' }), /^groupPush\[1\]\.group: "ops" is not a key in groups/],
  ['a pushed group that is not assigned', (c) => ((c.assignments.groups = []), undefined), /^groupPush\[0\]\.group: "engineering" is pushed but not assigned/],
  ['an empty push target name', (c) => (c.groupPush[0].targetName = ' '), /^groupPush\[0\]\.targetName: must not be empty/],
  ['duplicate group keys', (c) => c.groups.push({ key: 'engineering', name: 'Other' }), /^groups\[1\]\.key: duplicates groups\[0\]\.key/],
  ['a created group without the environment name', (c) => c.groups.push({ key: 'ops', name: 'Operations', source: 'create' }), /^groups\[1\]\.name: a group this stack creates must contain the environment name "dev"/],
  ['a label without the environment name', (c) => (c.app.label = 'Device Portal'), /^app\.label: must contain the environment name "dev"/],
  ['api mode before provisioning is confirmed', (c) => (c.provisioning = { mode: 'api', confirmed: false }), /^provisioning\.confirmed: api mode/],
  ['api mode on the SCIM test app', (c) => (c.provisioning = { mode: 'api', confirmed: true }), /^provisioning\.mode: Okta's Connections and Features APIs configure only a few OIN apps .*Use mode 'console' and follow the provisioning_runbook output/],
  ['api mode on the Header Auth test app', (c) => ((c.app.catalogName = 'scim2headerauth'), (c.provisioning = { mode: 'api', confirmed: true })), /^provisioning\.mode: .*SCIM test apps/],
  ['an http receiver URL', (c) => (delete c.receiver.deploy, (c.receiver.scimBaseUrl = 'http://scim.example.com/scim/v2')), /^receiver\.scimBaseUrl: expected an https URL/],
  ['an underscore in the receiver host', (c) => (delete c.receiver.deploy, (c.receiver.scimBaseUrl = 'https://scim_dev.example.com/scim/v2')), /^receiver\.scimBaseUrl: Okta refuses base URLs/],
  ['a login that is not an e-mail', (c) => c.assignments.people.push('ada'), /^assignments\.people\[1\]: expected an Okta login/],
  ['a duplicate person', (c) => c.assignments.people.push('Ada.Lovelace@acme.example'), /^assignments\.people\[1\]: duplicates assignments\.people\[0\]/],
  ['a bad extension URN', (c) => (c.scimExtensionUrn = 'urn:acme:User'), /^scimExtensionUrn: expected urn:ietf:params:scim:schemas:extension:<vendor>:2\.0:User/],
  ['an S3 backend without a bucket', (c) => (c.backend = { type: 's3', key: 'k', region: 'eu-west-1' }), /^backend\.bucket: /],
  ['an Okta API token in config', (c) => (c.app.label = 'dev 00abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN'), /^app\.label: looks like an Okta API token; credentials belong in sensitive variables/],
  ['a private key in config', (c) => (c.attributes[0].description = '-----BEGIN PRIVATE KEY----- abc'), /^attributes\[0\]\.description: looks like a private key/],
  ['a password in the public URL', (c) => (c.receiver.deploy.publicUrl = 'https://admin:hunter2@scim.dev.acme.example'), /^receiver\.deploy\.publicUrl: looks like a URL with a password/],
  ['an SMTP URL as the sender', (c) => ((c.receiver.deploy.smtp = true), (c.receiver.deploy.mailFrom = 'smtp://mailer:s3cret@mail.acme.example:587')), /^receiver\.deploy\.mailFrom: looks like a URL with a password/],
  ['a URL as the sender', (c) => ((c.receiver.deploy.smtp = true), (c.receiver.deploy.mailFrom = 'smtp://mail.acme.example')), /^receiver\.deploy\.mailFrom: expected a sender such as/],
  ['a password in a description', (c) => (c.attributes[0].description = 'password=correct-horse'), /^attributes\[0\]\.description: looks like a password/],
  ['a database URL with a password', (c) => (c.groups[0].name = 'postgres://scim:pw@db.internal/scim'), /^groups\[0\]\.name: looks like a URL with a password/],
  ['several replicas on SQLite', (c) => (c.receiver.deploy.replicas = 2), /^receiver\.deploy\.replicas: several replicas need PostgreSQL/],
  ['the removed previousGeneration', (c) => (c.receiver.deploy.token = { generation: 2, previousGeneration: 1 }), /^receiver\.deploy\.token\.previousGeneration: no longer used: .*increase token\.generation by one/],
  ['a latest image', (c) => (c.receiver.deploy.image = 'registry/x:latest'), /^receiver\.deploy\.image: pin a tag or digest/],
  ['an unpinned image', (c) => (c.receiver.deploy.image = 'registry/x'), /^receiver\.deploy\.image: expected a pinned reference/],
])('refuses %s, naming the path', (_name, mutate, expected) => {
  const config = full();
  config.name = 'dev';
  config.app.label = 'Device Portal (dev)';
  config.groups = [{ key: 'engineering', name: 'Engineering' }];
  config.assignments = { groups: ['engineering'], people: ['ada.lovelace@acme.example'] };
  config.groupPush = [{ group: 'engineering' }];
  config.receiver = copy(dev.receiver);
  mutate(config);
  const problems = problemsOf(config);
  expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
});

it('a name the receiver refuses is refused at synth, and one synth accepts the receiver starts with', () => {
  const names = ['title', 'emails', 'groups', 'userName', 'externalId', 'department', '_badge', 'a'.repeat(65), 'a'.repeat(64), 'costBand', 'site_code', 'x1'];
  for (const name of names) {
    const config = full();
    config.attributes = [{ name, displayName: 'X' }];
    const synthAccepts = problemsOf(config).length === 0;
    let receiverAccepts = true;
    try {
      parseReceiverConfig(JSON.stringify({ attributes: [{ name, displayName: 'X' }] }), 'RECEIVER_CONFIG_JSON');
    } catch (error) {
      if (!(error instanceof ReceiverConfigError)) throw error;
      receiverAccepts = false;
    }
    // Okta variable names exclude "-", so synth may be stricter, never looser.
    expect({ name, synthAccepts }).toEqual({ name, synthAccepts: synthAccepts && receiverAccepts });
    if (synthAccepts) expect({ name, receiverAccepts }).toEqual({ name, receiverAccepts: true });
  }
});

it('reports every problem of every file at once, schema and cross-field together, with the file they come from', () => {
  const broken: any = full();
  broken.okta.orgName = 'acme corp'; // schema
  broken.attributes[1].name = 'costBand'; // cross-field: duplicate
  broken.attributes[0].source = '${user.costBand}'; // construct-level rule
  broken.assignments.groups = ['engineering', 'ops']; // undeclared group
  broken.assignments.people = ['qa.robot@acme.example', 'QA.Robot@acme.example']; // duplicate person
  broken.groupPush.push({ group: 'nowhere' }); // undeclared push
  broken.app.label = 'Portal';
  broken.receiver.scimBaseUrl = 'https://admin:pw@scim.example.com/scim/v2';
  let error: unknown;
  try {
    parseEnvironments([
      { source: 'config/environments/staging.ts', config: broken },
      { source: 'config/environments/other.ts', config: { ...base(), name: 'dev', okta: { orgName: 'x y' } } },
      { source: 'config/environments/dup.ts', config: base() },
    ]);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const problems = (error as ConfigError).problems;
  expect(problems).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^config\/environments\/staging\.ts: okta\.orgName: expected the org name/),
      'config/environments/staging.ts: attributes[1].name: duplicates attributes[0].name ("costBand")',
      'config/environments/staging.ts: attributes[0].source: Okta expressions use user.<attribute>, not ${…}',
      'config/environments/staging.ts: assignments.groups[1]: "ops" is not a key in groups',
      'config/environments/staging.ts: assignments.people[1]: duplicates assignments.people[0]',
      'config/environments/staging.ts: groupPush[2].group: "nowhere" is not a key in groups',
      'config/environments/staging.ts: app.label: must contain the environment name "staging" so that every Okta object says which environment owns it',
      expect.stringMatching(/^config\/environments\/staging\.ts: receiver\.scimBaseUrl: looks like a URL with a password/),
      expect.stringMatching(/^config\/environments\/other\.ts: okta\.orgName: /),
      // The duplicate behind an invalid environment names the right files.
      'config/environments/dup.ts: name: "dev" is also the name of config/environments/other.ts',
    ]),
  );
  expect((error as ConfigError).message).toMatch(/^Invalid environment configuration:\n {2}- /);
});

it('refuses an environment whose name is not its file name', () => {
  expect(() => parseEnvironments([{ source: 'config/environments/qa.ts', config: base(), expectedName: 'qa' }])).toThrow(
    /config\/environments\/qa\.ts: name: "dev" must be "qa", the file's name/,
  );
});

describe('npm run synth with a broken environment file', () => {
  // Another directory (ENVIRONMENTS_DIR), so the suites running alongside keep reading the real one.
  const directory = mkdtempSync(join(tmpdir(), 'environments-'));
  const file = join(directory, 'zz-broken.ts');
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('prints every problem with file and path, no stack trace, and exits 2', () => {
    writeFileSync(
      file,
      `import type { EnvironmentInput } from '../schema';\nexport const broken: EnvironmentInput = ${JSON.stringify({
        ...copy(dev),
        name: 'zz-broken',
        app: { label: 'Portal (zz-broken)' },
        attributes: [{ name: 'emails', displayName: 'E', source: '${user.email}' }],
        groupPush: [{ group: 'missing' }],
      })};\n`,
    );
    const out = mkdtempSync(join(tmpdir(), 'synth-broken-'));
    try {
      const result = spawnSync(process.execPath, ['--require', 'tsx/cjs', 'main.ts'], { cwd: resolve(__dirname, '../..'), encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: out, ENVIRONMENTS_DIR: directory } });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain('zz-broken.ts: attributes[0].name: "emails" collides with the standard attribute "emails"');
      expect(result.stderr).toContain('zz-broken.ts: attributes[0].source: Okta expressions use user.<attribute>, not ${…}');
      expect(result.stderr).toContain('zz-broken.ts: groupPush[0].group: "missing" is not a key in groups');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
