/**
 * The review's replacement and consequence rules on synthesized stacks of the example environments,
 * changed the way a configuration or construct change would change them (one synthesis, then JSON edits).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironments } from '../../config/environments';
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

/** The resource of `type` whose attributes satisfy `match` (by what it is, never by its position). */
const find = (type: string, stack: any, match: (attributes: any) => boolean): [string, any] => {
  const found = Object.entries<any>(stack.resource[type] ?? {}).find(([, a]) => match(a));
  if (!found) throw new Error(`no matching ${type}`);
  return found;
};

function review(name: string, change: (stack: any) => void) {
  const after = clone(stacks);
  change(after[name]);
  const plans = planStacks(stacks, after);
  const plan = plans.find((p) => p.stack === name)!;
  return { plan, plans, lines: consequencesOf(plan, plans).map((c) => `${c.severity}: ${c.text}`) };
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
  const [name] = find('okta_push_group', before['okta-prod'], (p) => p.target_group_name === 'Engineering');
  before['okta-prod'].resource.okta_push_group[name].delete_target_group_on_destroy = true;
  const after = clone(before);
  delete after['okta-prod'].resource.okta_push_group[name];
  const plan = planStacks(before, after).find((p) => p.stack === 'okta-prod')!;
  // The push's address comes from its group key, not its position in the list.
  expect(name).toMatch(/^GroupPush_engineering_/);
  expect(plan.resources.map((r) => [r.action, r.address])).toEqual([['delete', `okta_push_group.${name}`]]);
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
  // okta-staging: dev's assignments wait for provisioning.confirmed, so it has none yet.
  const { plan, lines } = review('okta-staging', (s) => {
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
    'review: Namespace "okta-scim-prod" is replaced (metadata.name: "okta-scim-prod" → "okta-scim-production"): everything in it goes, including the persistent volume claim that holds the receiver\'s SQLite database. lifecycle.prevent_destroy is set: the plan stops until the protection is lifted for this change.',
  );
});

it('a renamed Docker volume loses the database; a replaced container does not', () => {
  const { lines } = review('receiver-dev', (s) => (only('docker_volume', s)[1].name = 'okta-scim-receiver-dev-data2'));
  expect(lines).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^review: The receiver's data volume "okta-scim-receiver-dev-data" is replaced .*: the SQLite database .* is lost\. lifecycle\.prevent_destroy is set: the plan stops until the protection is lifted for this change\.$/),
      expect.stringMatching(/^note: The receiver container "okta-scim-receiver-dev" is re-created/),
    ]),
  );
});

/** The scim-token-dev stack's slot resource (`token-a` / `token-b`), found by its construct path. */
const slot = (s: any, name: 'token-a' | 'token-b'): any => find('random_password', s, (p) => p['//'].metadata.path.endsWith(`/${name}`))[1];

it('a rotation that regenerates only the slot Okta does not hold keeps the held token accepted', () => {
  // generation 1 → 2, synthesized: slot b's keepers change; slot a (handed to Okta at generation 1) keeps its value.
  const environments = loadEnvironments().map((e) =>
    e.name === 'dev' && e.receiver.deploy ? { ...e, receiver: { ...e.receiver, deploy: { ...e.receiver.deploy, token: { ...e.receiver.deploy.token, generation: 2 } } } } : e,
  );
  const outdir = mkdtempSync(join(tmpdir(), 'review-rotation-'));
  buildApp(outdir, environments).synth();
  const after = readStacks(outdir);
  rmSync(outdir, { recursive: true, force: true });
  const plans = planStacks(stacks, after);
  const lines = (stack: string) => consequencesOf(plans.find((p) => p.stack === stack)!, plans).map((c) => `${c.severity}: ${c.text}`);
  expect(plans.filter((p) => p.status !== 'unchanged').map((p) => p.stack)).toEqual(['okta-dev', 'receiver-dev', 'scim-token-dev']);
  expect(lines('scim-token-dev')).toEqual([
    expect.stringMatching(
      /^review: SCIM token rotation: 1 new token value\(s\) generated \(random_password\.ScimToken_token-b_\w+ \(slot token-b\)\)\. random_password\.ScimToken_token-a_\w+ \(slot token-a\), the token Okta holds, keeps its value and stays accepted by the receiver: Okta keeps working until it is given the new token\. Apply scim-token-dev → receiver-dev → okta-dev in this order\.$/,
    ),
  ]);
  // The receiver accepts both hashes, which come across stacks: the new one is known after apply, so the container rolls.
  expect(lines('receiver-dev')).toEqual([expect.stringMatching(/^note: The receiver container "okta-scim-receiver-dev" is re-created \(env\[\d+\] \(known after apply\)/)]);
  expect(lines('okta-dev')).toEqual([expect.stringMatching(/^review: The SCIM token handed to Okta changes \(output Provisioning_scim_token_\w+\): in console mode, paste the new value/)]);
});

it('a rotation that regenerates the slot Okta holds says Okta gets 401', () => {
  const { lines } = review('scim-token-dev', (s) => (slot(s, 'token-a').keepers.generation = '3'));
  expect(lines).toEqual([
    expect.stringMatching(/^review: SCIM token rotation: 1 new token value\(s\) generated \(random_password\.ScimToken_token-a_\w+ \(slot token-a\)\)\. The token Okta holds \(random_password\.ScimToken_token-a_\w+ \(slot token-a\)\) does not keep its value: Okta gets 401/),
  ]);
});

it('a rotation that regenerates both slots says Okta gets 401', () => {
  const { lines } = review('scim-token-dev', (s) => {
    slot(s, 'token-a').keepers.generation = '3';
    slot(s, 'token-b').keepers.generation = '2';
  });
  expect(lines).toEqual([expect.stringMatching(/^review: SCIM token rotation: 2 new token value\(s\) generated .* does not keep its value: Okta gets 401/)]);
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
