/**
 * Every environment file synthesized as `npx cdktf synth` would: a snapshot per stack, every okta_*
 * resource checked against the provider 6.12 schema, and the behaviour each example promises. The
 * environment list comes from config/environments/ itself: a new file is covered without editing
 * this test (`npx jest -u` records its snapshots).
 */
import { tmpdir } from 'node:os';
import { loadEnvironments } from '../../config/environments';
import { OKTA_PROVIDER_VERSION } from '../../constructs/okta/bindings';
import { REPOSITORY_ROOT } from '../../constructs/receiver/docker-receiver';
import { checkOktaResources } from '../../scripts/okta-schema-check';
import { oktaCredentialVariables } from '../../stacks/okta-stack';
import { synthesize } from './support/synth';

const environments = loadEnvironments();
const stackNames = environments.flatMap((e) => [`okta-${e.name}`, ...(e.receiver.deploy ? [`scim-token-${e.name}`, `receiver-${e.name}`] : [])]).sort();
const oktaStacks = environments.map((e) => `okta-${e.name}`);

let stacks: Record<string, any>;
let manifest: any;

beforeAll(() => {
  ({ stacks, manifest } = synthesize());
  for (const name of Object.keys(stacks)) {
    // The image's content hash changes with every receiver source change; test/deploy checks its value.
    stacks[name] = JSON.parse(JSON.stringify(stacks[name]).replace(/"source_sha256":"[0-9a-f]{64}"/g, '"source_sha256":"<sha256 of the receiver sources>"'));
  }
});

const resources = (stack: string, type: string) => Object.values(stacks[stack].resource?.[type] ?? {}) as any[];

it('synthesizes okta-<env> per environment, and scim-token-<env> and receiver-<env> where the receiver is deployed', () => {
  expect(Object.keys(stacks).sort()).toEqual(stackNames);
});

it.each(oktaStacks)('%s passes the provider 6.12 schema check with 0 errors and no pin warning', (name) => {
  const result = checkOktaResources(stacks[name]);
  expect(result.problems).toEqual([]);
  expect(result.warnings).toEqual([]);
  expect(result.unchecked).toEqual([]);
  expect(result.checked).toBeGreaterThan(0);
});

it.each(stackNames)('%s matches its snapshot', (name) => {
  expect(stacks[name]).toMatchSnapshot();
});

it.each(oktaStacks)('%s pins the Okta provider to >= 6.12.0, != 6.14.0, < 7.0.0', (name) => {
  expect(stacks[name].terraform.required_providers.okta).toEqual({ source: 'okta/okta', version: '>= 6.12.0, != 6.14.0, < 7.0.0' });
  expect(OKTA_PROVIDER_VERSION).toBe('>= 6.12.0, != 6.14.0, < 7.0.0');
});

it.each(environments.map((e) => [e.name, e] as const))('okta-%s signs in to its own org with its own sensitive variables, never a literal', (name, env) => {
  const provider = stacks[`okta-${name}`].provider.okta[0];
  const variables = oktaCredentialVariables(name);
  expect(provider).toMatchObject({ org_name: env.okta.orgName, base_url: env.okta.baseUrl });
  if (env.okta.credentials.type === 'apiToken') {
    expect(provider.api_token).toBe(`\${var.${variables.apiToken}}`);
    expect(stacks[`okta-${name}`].variable[variables.apiToken]).toMatchObject({ sensitive: true, type: 'string' });
  } else {
    expect(provider).toMatchObject({ client_id: env.okta.credentials.clientId, private_key: `\${var.${variables.privateKey}}`, scopes: `\${var.${variables.scopes}}` });
    expect(stacks[`okta-${name}`].variable[variables.privateKey]).toMatchObject({ sensitive: true });
    expect(stacks[`okta-${name}`].variable[variables.scopes].default).toEqual(['okta.apps.manage', 'okta.groups.manage', 'okta.schemas.manage', 'okta.profileMappings.manage', 'okta.users.read']);
  }
});

it('gives each environment different credential variables, so one `cdktf deploy` can span several orgs', () => {
  const names = environments.map((e) => Object.values(oktaCredentialVariables(e.name)).join(','));
  expect(new Set(names).size).toBe(environments.length);
});

it.each(stackNames)('%s carries no absolute path of the machine that synthesized it', (name) => {
  const text = JSON.stringify(stacks[name]);
  expect(text).not.toContain(process.cwd());
  expect(text).not.toContain(REPOSITORY_ROOT);
  // synthesize() writes into a fresh directory under the temporary directory: nothing of it may leak.
  expect(text).not.toContain(`${tmpdir()}/cdktf-out-`);
});

it.each(oktaStacks)('%s reads nothing of the receiver stack: only the token stack, and can be planned before receiver-<env> exists', (name) => {
  const env = name.slice('okta-'.length);
  const remote = Object.keys(stacks[name].data?.terraform_remote_state ?? {});
  expect(remote.every((r) => r === `cross-stack-reference-input-scim-token-${env}`)).toBe(true);
  expect(manifest.stacks[name].dependencies).toEqual(stacks[`scim-token-${env}`] ? [`scim-token-${env}`] : []);
});

it('dev (console mode, not confirmed): the app and a runbook; attributes, mappings, assignments and push wait', () => {
  expect(resources('okta-dev', 'okta_app_saml')).toEqual([expect.objectContaining({ label: 'Device Portal (dev)', preconfigured_app: 'scim2testapp' })]);
  for (const type of ['okta_app_connection', 'okta_app_features', 'okta_app_user_schema_property', 'okta_profile_mapping', 'okta_push_group', 'okta_app_group_assignment', 'okta_app_user']) {
    expect({ type, declared: resources('okta-dev', type) }).toEqual({ type, declared: [] });
  }
  // The Okta user-profile attribute that the mapping will read exists from the first apply.
  expect(resources('okta-dev', 'okta_user_schema_property')).toEqual([expect.objectContaining({ index: 'costBand', type: 'string', lifecycle: { prevent_destroy: true } })]);
  const outputs = stacks['okta-dev'].output;
  const token = Object.entries(outputs).find(([k]) => k.includes('scim_token'))![1] as any;
  // The token comes from the token stack's state (a sensitive cross-stack output), not from a person.
  expect(token).toEqual(expect.objectContaining({ sensitive: true, value: expect.stringMatching(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-scim-token-dev\.outputs\./) }));
  const runbook = Object.entries(outputs).find(([k]) => k.includes('provisioning_runbook'))![1] as any;
  expect(runbook.value).toContain('https://scim.dev.acme.example/scim/v2');
  expect(stacks['okta-dev'].terraform.backend.local.path).toBe('../../../terraform.okta-dev.tfstate');
});

it('staging (console mode, confirmed): attributes with external namespaces and permissions, mappings, assignments by key, push by key', () => {
  const attributes = resources('okta-staging', 'okta_app_user_schema_property');
  expect(attributes.map((a) => [a.index, a.external_namespace, a.permissions, a.lifecycle.prevent_destroy]).sort()).toEqual([
    ['badgeNumber', 'urn:ietf:params:scim:schemas:extension:acme:2.0:User', 'READ_WRITE', true],
    ['costBand', 'urn:ietf:params:scim:schemas:extension:acme:2.0:User', 'READ_WRITE', true],
    ['department', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', 'READ_WRITE', true],
    ['employeeNumber', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', 'READ_WRITE', true],
  ]);
  const mapping = resources('okta-staging', 'okta_profile_mapping')[0];
  expect(mapping.mappings).toHaveLength(4);
  expect(mapping.lifecycle).toEqual({ prevent_destroy: true });
  // After the app attributes (targets) and the Okta user attributes (sources) exist.
  expect(mapping.depends_on.filter((d: string) => d.startsWith('okta_app_user_schema_property.'))).toHaveLength(4);
  expect(mapping.depends_on.filter((d: string) => d.startsWith('okta_user_schema_property.'))).toHaveLength(2);
  expect(resources('okta-staging', 'okta_group')).toEqual([expect.objectContaining({ name: 'Device Admins (staging)' })]);
  const assignments = stacks['okta-staging'].resource.okta_app_group_assignment;
  expect(Object.keys(assignments).map((k) => k.replace(/_[0-9A-F]{8}$/, '')).sort()).toEqual(['Assignments_group-device-admins', 'Assignments_group-engineering']);
  const pushes = stacks['okta-staging'].resource.okta_push_group;
  expect(Object.entries(pushes).map(([k, p]: [string, any]) => [k.replace(/_[0-9A-F]{8}$/, ''), p.target_group_name, p.delete_target_group_on_destroy]).sort()).toEqual([
    ['GroupPush_device-admins', 'Device Admins', false],
    ['GroupPush_engineering', 'Engineering', false],
  ]);
  for (const push of Object.values(pushes) as any[]) expect(push.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^okta_app_group_assignment\./)]));
  expect(resources('okta-staging', 'okta_app_user')).toEqual([expect.objectContaining({ username: 'qa.robot@acme.example' })]);
  expect(resources('okta-staging', 'okta_app_connection')).toEqual([]);
});

it('staging (receiver run elsewhere): URL from config, token from the sensitive variable scim_token', () => {
  expect(stacks['okta-staging'].variable.scim_token).toMatchObject({ sensitive: true, type: 'string' });
  const token = Object.entries(stacks['okta-staging'].output).find(([k]) => k.includes('scim_token'))![1] as any;
  expect(token).toEqual(expect.objectContaining({ sensitive: true, value: '${var.scim_token}' }));
});

it('prod (console mode, confirmed, the receiver deployed): the runbook carries the public URL, the token comes from scim-token-prod', () => {
  expect(resources('okta-prod', 'okta_app_connection')).toEqual([]);
  expect(resources('okta-prod', 'okta_app_features')).toEqual([]);
  const outputs = stacks['okta-prod'].output;
  const token = Object.entries(outputs).find(([k]) => k.includes('scim_token'))![1] as any;
  expect(token).toMatchObject({ sensitive: true, value: expect.stringMatching(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-scim-token-prod\.outputs\./) });
  expect(stacks['okta-prod'].terraform.backend.s3).toMatchObject({ bucket: 'acme-terraform-state', encrypt: true });
  expect(resources('okta-prod', 'okta_app_user_schema_property').find((a) => a.index === 'badgeNumber').permissions).toBe('READ_ONLY');
});

it('writes no secret anywhere in the synthesized output', () => {
  const text = Object.values(stacks).map((s) => JSON.stringify(s)).join('');
  expect(text).not.toMatch(/\b00[A-Za-z0-9_-]{40}\b|scim_[A-Za-z0-9_-]{40,}|PRIVATE KEY/);
});

it('the schema check warns about a provider pin outside the tested one, and fails one that excludes 6.12', () => {
  const withPin = (version: string) => checkOktaResources({ ...stacks['okta-staging'], terraform: { required_providers: { okta: { source: 'okta/okta', version } } } });
  expect(withPin('>= 6.12.0, != 6.14.0, < 7.0.0')).toMatchObject({ problems: [], warnings: [] });
  expect(withPin('~> 6.12').warnings).toEqual([expect.stringMatching(/"~> 6\.12" admits 6\.14\.0, which Okta asks users not to install/)]);
  expect(withPin('>= 6.12').warnings).toEqual([expect.stringMatching(/admits 6\.14\.0/), expect.stringMatching(/admits 7\.x or later/)]);
  expect(withPin('>= 6.0').warnings).toEqual(expect.arrayContaining([expect.stringMatching(/admits versions before 6\.12/)]));
  expect(withPin('4.20.0').problems).toEqual([expect.objectContaining({ path: 'required_providers.okta.version', message: expect.stringMatching(/does not admit 6\.12\.0/) })]);
  expect(withPin('~> 6.12.0')).toMatchObject({ problems: [], warnings: [] });
});
