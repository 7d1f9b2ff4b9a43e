/**
 * The review's replacement and consequence rules on synthesized stacks of the example environments,
 * changed the way a configuration or construct change would change them (one synthesis, then JSON edits).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../main';
import { consequencesOf } from '../../scripts/review/consequences';
import { forcesReplacement } from '../../scripts/review/force-new';
import { planStacks } from '../../scripts/review/plan';
import { readStacks } from '../../scripts/lib/synth';

let stacks: Record<string, any>;

beforeAll(() => {
  const outdir = mkdtempSync(join(tmpdir(), 'review-rules-'));
  buildApp(outdir).synth();
  stacks = readStacks(outdir);
  rmSync(outdir, { recursive: true, force: true });
});

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const only = (type: string, stack: any): [string, any] => {
  const entries = Object.entries(stack.resource[type] ?? {});
  if (entries.length === 0) throw new Error(`no ${type}`);
  return entries[0] as [string, any];
};

function review(name: string, change: (stack: any) => void) {
  const after = clone(stacks);
  change(after[name]);
  const plan = planStacks(stacks, after).find((p) => p.stack === name)!;
  return { plan, lines: consequencesOf(plan).map((c) => `${c.severity}: ${c.text}`) };
}

it('decides replacement from the provider schema and the documented table', () => {
  expect(forcesReplacement('okta_app_user_schema_property', ['type'])).toBe(true);
  expect(forcesReplacement('okta_app_user_schema_property', ['title'])).toBe(false);
  expect(forcesReplacement('okta_push_group', ['target_group_name'])).toBe(true);
  expect(forcesReplacement('okta_push_group', ['status'])).toBe(false);
  expect(forcesReplacement('random_password', ['keepers', 'generation'])).toBe(true);
  expect(forcesReplacement('docker_container', ['env', 3])).toBe(true);
  expect(forcesReplacement('docker_container', ['restart'])).toBe(false);
  expect(forcesReplacement('kubernetes_namespace_v1', ['metadata', 'name'])).toBe(true);
  expect(forcesReplacement('kubernetes_stateful_set_v1', ['spec', 'replicas'])).toBe(false);
  expect(forcesReplacement('kubernetes_stateful_set_v1', ['spec', 'volume_claim_template', 0, 'spec', 'resources', 'requests', 'storage'])).toBe(true);
});

it('an unchanged synthesis plans nothing', () => {
  for (const plan of planStacks(stacks, clone(stacks))) expect([plan.stack, plan.status, plan.resources]).toEqual([plan.stack, 'unchanged', []]);
});

it('destroying a push that deletes downstream says the group is deleted', () => {
  const before = clone(stacks);
  const [name] = only('okta_push_group', before['okta-prod']);
  before['okta-prod'].resource.okta_push_group[name].delete_target_group_on_destroy = true;
  const after = clone(before);
  delete after['okta-prod'].resource.okta_push_group[name];
  const plan = planStacks(before, after).find((p) => p.stack === 'okta-prod')!;
  expect(consequencesOf(plan).map((c) => c.text)).toEqual([
    'Group push "Engineering" is removed and the group "Engineering" in the application is deleted (DELETE /Groups/{id}, delete_target_group_on_destroy); its members keep their accounts.',
  ]);
});

it('a replacement cascades through references: a group looked up under another name re-targets its push', () => {
  const { plan, lines } = review('okta-prod', (s) => {
    Object.values<any>(s.data.okta_group).find((g) => g.name === 'Sales').name = 'Sales EMEA';
  });
  const push = plan.resources.find((r) => r.type === 'okta_push_group')!;
  expect(push.action).toBe('replace');
  expect(push.forcedBy).toEqual(['source_group_id']);
  expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^review: Group push "Sales" is replaced \(source_group_id \(known after apply\)\): Okta unlinks it and pushes again.* It now pushes "Sales EMEA" instead of "Sales"\.$/)]));
  expect(lines).toEqual(expect.arrayContaining(['review: Members of "Sales" lose the app: the receiver gets deactivate requests for them (PATCH active=false), unless they are also assigned directly or through another group.']));
});

it('destroying the profile mapping nulls every mapped attribute', () => {
  const { lines } = review('okta-prod', (s) => delete s.resource.okta_profile_mapping);
  expect(lines).toContain('review: The profile mapping to the app is destroyed: every mapped attribute (costBand, badgeNumber, department and employeeNumber) becomes null on every app user (provider issue #1341), and Okta pushes those nulls to the receiver.');
});

it('replacing the app replaces what hangs on its id', () => {
  const { plan, lines } = review('okta-prod', (s) => (only('okta_app_saml', s)[1].preconfigured_app = 'scim2headerauth'));
  expect(plan.resources.find((r) => r.type === 'okta_app_saml')?.action).toBe('replace');
  expect(plan.resources.filter((r) => r.type === 'okta_push_group').map((r) => r.action)).toEqual(['replace', 'replace', 'replace']);
  expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^review: The Okta app "Device Portal \(prod\)" is replaced \(preconfigured_app: "scim2testapp" → "scim2headerauth"\): re-created with a new id/)]));
});

it('a prevent_destroy on a replaced attribute says the plan stops', () => {
  const { lines } = review('okta-staging', (s) => {
    const [, property] = only('okta_app_user_schema_property', s);
    property.type = 'number';
    property.lifecycle = { prevent_destroy: true };
  });
  expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/has lifecycle\.prevent_destroy: the plan stops/)]));
});

it('a moved block keeps the resource: no destroy, no loss of access', () => {
  const { plan, lines } = review('okta-dev', (s) => {
    const [name, assignment] = only('okta_app_user', s);
    delete s.resource.okta_app_user[name];
    s.resource.okta_app_user.by_login = assignment;
    s.moved = [{ from: `okta_app_user.${name}`, to: 'okta_app_user.by_login' }];
  });
  expect(plan.resources.map((r) => [r.action, r.address])).toEqual([['move', 'okta_app_user.by_login']]);
  expect(lines).toEqual([]);
});

it('a renamed Kubernetes namespace takes the SQLite volume with it', () => {
  const { lines } = review('receiver-prod', (s) => (only('kubernetes_namespace_v1', s)[1].metadata.name = 'okta-scim-production'));
  expect(lines[0]).toBe(
    'review: Namespace "okta-scim-prod" is replaced (metadata.name: "okta-scim-prod" → "okta-scim-production"): everything in it goes, including the persistent volume claim that holds the receiver\'s SQLite database.',
  );
});

it('a renamed Docker volume loses the database; a replaced container does not', () => {
  const { lines } = review('receiver-dev', (s) => (only('docker_volume', s)[1].name = 'okta-scim-receiver-dev-data2'));
  expect(lines).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^review: The receiver's data volume "okta-scim-receiver-dev-data" is replaced .*: the SQLite database .* is lost\.$/),
      expect.stringMatching(/^note: The receiver container "okta-scim-receiver-dev" is re-created/),
    ]),
  );
});

it('a rotation that keeps the held token says so', () => {
  const { lines } = review('receiver-dev', (s) => {
    s.resource.random_password.NextToken = { length: 48, special: false, keepers: { generation: '2' } };
    const [, container] = only('docker_container', s);
    container.env = container.env.map((e: string) =>
      e.startsWith('SCIM_TOKEN_SHA256=') ? `${e.replace(/\}$/, '')},\${sha256(random_password.NextToken.result)}` : e,
    );
  });
  expect(lines).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^review: SCIM token rotation: 1 new token value\(s\) generated \(random_password\.NextToken\)\. random_password\.Credentials_ScimToken_\w+ keeps its value and stays accepted/),
    ]),
  );
});

it('a rotation that regenerates the only token says Okta gets 401', () => {
  const { lines } = review('receiver-dev', (s) => (s.resource.random_password[Object.keys(s.resource.random_password).find((k) => k.includes('Scim'))!].keepers.generation = '2'));
  expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/None of the tokens the receiver accepts today keeps its value: .* Okta gets 401/)]));
});

it('a receiver attribute whose type changes needs review; a new one is a note', () => {
  const { lines } = review('receiver-prod', (s) => {
    const [, map] = only('kubernetes_config_map_v1', s);
    const config = JSON.parse(map.data['config.json']);
    config.attributes[0].type = 'integer';
    config.attributes.push({ name: 'shoeSize', displayName: 'Shoe size', type: 'integer', description: '' });
    map.data['config.json'] = JSON.stringify(config);
  });
  expect(lines).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^review: The receiver's attribute "costBand" changes type string → integer/),
      'note: The receiver declares "shoeSize" (integer).',
    ]),
  );
});
