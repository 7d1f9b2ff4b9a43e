/**
 * The example environments synthesized as `npx cdktf synth` would: a snapshot per stack, every okta_*
 * resource checked against the provider 6.12 schema, and the behaviour each environment promises.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../main';
import { checkOktaResources } from '../../scripts/okta-schema-check';

let outdir: string;
const stacks: Record<string, any> = {};

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'cdktf-out-'));
  buildApp(outdir).synth();
  for (const name of readdirSync(join(outdir, 'stacks'))) {
    // Local state paths are absolute (the synth directory): normalize them for stable snapshots.
    // The image's content hash changes with every receiver source change; test/deploy checks its value.
    const text = readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')
      .split(process.cwd())
      .join('<project>')
      .replace(/"source_sha256": "[0-9a-f]{64}"/g, '"source_sha256": "<sha256 of the receiver sources>"');
    stacks[name] = JSON.parse(text);
  }
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const resources = (stack: string, type: string) => Object.values(stacks[stack].resource?.[type] ?? {}) as any[];

it('synthesizes an okta-<env> stack per environment and a receiver-<env> stack where the receiver is deployed', () => {
  expect(Object.keys(stacks).sort()).toEqual(['okta-dev', 'okta-prod', 'okta-staging', 'receiver-dev', 'receiver-prod']);
});

it.each(['okta-dev', 'okta-staging', 'okta-prod'])('%s passes the provider 6.12 schema check with 0 errors', (name) => {
  const result = checkOktaResources(stacks[name]);
  expect(result.problems).toEqual([]);
  expect(result.unchecked).toEqual([]);
  expect(result.checked).toBeGreaterThan(0);
});

it.each(['okta-dev', 'okta-staging', 'okta-prod', 'receiver-dev', 'receiver-prod'])('%s matches its snapshot', (name) => {
  expect(stacks[name]).toMatchSnapshot();
});

it('pins the Okta provider to 6.12 and configures no credential', () => {
  for (const stack of ['okta-dev', 'okta-staging', 'okta-prod'].map((name) => stacks[name])) {
    expect(stack.terraform.required_providers.okta).toEqual({ source: 'okta/okta', version: '~> 6.12' });
    expect(Object.keys(stack.provider.okta[0]).sort()).toEqual(['base_url', 'org_name']);
  }
});

it('dev (console mode, not confirmed): the app, assignments and a runbook; no attributes, mappings or push yet', () => {
  expect(resources('okta-dev', 'okta_app_saml')).toEqual([expect.objectContaining({ label: 'Device Portal (dev)', preconfigured_app: 'scim2testapp' })]);
  for (const type of ['okta_app_connection', 'okta_app_features', 'okta_app_user_schema_property', 'okta_profile_mapping', 'okta_push_group']) {
    expect(resources('okta-dev', type)).toEqual([]);
  }
  expect(resources('okta-dev', 'okta_app_group_assignments')).toHaveLength(1);
  expect(resources('okta-dev', 'okta_app_user')).toEqual([expect.objectContaining({ username: 'ada.lovelace@acme.example' })]);
  const outputs = stacks['okta-dev'].output;
  const token = Object.entries(outputs).find(([k]) => k.includes('scim_token'))![1] as any;
  // The token comes from the receiver stack's state (a sensitive cross-stack output), not from a person.
  expect(token).toEqual(expect.objectContaining({ sensitive: true, value: expect.stringMatching(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-receiver-dev\.outputs\./) }));
  expect(stacks['okta-dev'].variable).toBeUndefined();
  expect(stacks['okta-dev'].terraform.backend.local.path).toBe('<project>/terraform.okta-dev.tfstate');
});

it('staging (console mode, confirmed): attributes with external namespaces, mappings, created group, push', () => {
  const attributes = resources('okta-staging', 'okta_app_user_schema_property');
  expect(attributes.map((a) => [a.index, a.external_namespace]).sort()).toEqual([
    ['badgeNumber', 'urn:ietf:params:scim:schemas:extension:acme:2.0:User'],
    ['costBand', 'urn:ietf:params:scim:schemas:extension:acme:2.0:User'],
    ['department', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
    ['employeeNumber', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
  ]);
  const mapping = resources('okta-staging', 'okta_profile_mapping')[0];
  expect(mapping.mappings).toHaveLength(4);
  expect(mapping.depends_on).toHaveLength(4);
  expect(resources('okta-staging', 'okta_group')).toEqual([expect.objectContaining({ name: 'Device Admins (staging)' })]);
  const pushes = resources('okta-staging', 'okta_push_group');
  expect(pushes.map((p) => [p.target_group_name, p.delete_target_group_on_destroy])).toEqual([
    ['Engineering', false],
    ['Device Admins', false],
  ]);
  expect(pushes[0].depends_on).toEqual([expect.stringMatching(/^okta_app_group_assignments\./)]);
  expect(resources('okta-staging', 'okta_app_connection')).toEqual([]);
});

it('staging (receiver run elsewhere): URL from config, token from the sensitive variable scim_token', () => {
  expect(stacks['okta-staging'].variable.scim_token).toMatchObject({ sensitive: true, type: 'string' });
  const token = Object.entries(stacks['okta-staging'].output).find(([k]) => k.includes('scim_token'))![1] as any;
  expect(token).toEqual(expect.objectContaining({ sensitive: true, value: '${var.scim_token}' }));
});

it("prod (api mode): the connection carries the receiver stack's token by sensitive reference; features follow the config", () => {
  const connection = resources('okta-prod', 'okta_app_connection')[0];
  expect(connection).toMatchObject({
    action: 'activate',
    base_url: 'https://scim.acme.example/scim/v2',
    profile: { auth_scheme: 'TOKEN', token: expect.stringMatching(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-receiver-prod\.outputs\./) },
  });
  expect(resources('okta-prod', 'okta_app_features')[0]).toMatchObject({ name: 'USER_PROVISIONING', status: 'ENABLED' });
  expect(stacks['okta-prod'].terraform.backend.s3).toMatchObject({ bucket: 'acme-terraform-state', encrypt: true });
  expect(Object.keys(stacks['okta-prod'].output)).toEqual(['app_id']);
});

it('writes no secret anywhere in the synthesized output', () => {
  const text = Object.values(stacks).map((s) => JSON.stringify(s)).join('');
  expect(text).not.toMatch(/\b00[A-Za-z0-9_-]{40}\b|scim_[A-Za-z0-9_-]{40,}|PRIVATE KEY/);
});
