/**
 * Changes proved as state transitions: two synths of one environment, before and after a change, and
 * what Terraform would do between them read from the addresses and the values that force replacement.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { prod } from '../../config/environments/prod';
import { staging } from '../../config/environments/staging';
import { dev } from '../../config/environments/dev';
import { logicalIdOf } from '../../constructs/framework';
import { ROLLOUT_ANNOTATION } from '../../constructs/receiver/kubernetes-receiver';
import { describeForceNewChange, forceNewChanges } from '../../scripts/force-new-changes';
import { addresses, resourcesOf, synthesize, variant } from './support/synth';

/** Staging with three groups, all assigned and pushed, and three people. */
const wide = (change: (c: any) => void = () => undefined) =>
  variant(staging, (c) => {
    c.groups = [
      { key: 'engineering', name: 'Engineering' },
      { key: 'sales', name: 'Sales' },
      { key: 'device-admins', name: 'Device Admins (staging)', source: 'create' },
    ];
    c.assignments = { groups: ['engineering', 'sales', 'device-admins'], people: ['ada@acme.example', 'grace@acme.example', 'alan@acme.example'] };
    c.groupPush = [{ group: 'engineering' }, { group: 'sales', deleteDownstreamOnDestroy: true }, { group: 'device-admins', targetName: 'Device Admins' }];
    change(c);
  });

const okta = (env: ReturnType<typeof wide>) => synthesize([env]).stacks[`okta-${env.name}`];

/** The attributes whose change forces replacement, per type (provider 6.12 schema `_force_new`). */
const FORCE_NEW: Record<string, string[]> = {
  okta_push_group: ['app_id', 'source_group_id', 'target_group_name', 'target_group_id'],
  okta_app_user: ['app_id', 'user_id'],
  okta_app_group_assignment: ['app_id', 'group_id'],
};

/** Addresses that change between two synths: created, destroyed, or replaced (a force-new attribute differs). */
function transition(before: any, after: any) {
  const a = new Set(addresses(before));
  const b = new Set(addresses(after));
  const replaced = [...a].filter((address) => {
    if (!b.has(address)) return false;
    const [type, name] = address.split('.') as [string, string];
    return (FORCE_NEW[type] ?? []).some((field) => JSON.stringify(before.resource[type][name][field]) !== JSON.stringify(after.resource[type][name][field]));
  });
  return { created: [...b].filter((x) => !a.has(x)), destroyed: [...a].filter((x) => !b.has(x)), replaced };
}

const short = (list: string[]) => list.map((x) => x.replace(/_[0-9A-F]{8}$/, ''));

describe('stable addresses', () => {
  const before = okta(wide());

  it('removing the first push destroys that push only; the others keep address and values', () => {
    const after = okta(wide((c) => (c.groupPush = c.groupPush.slice(1))));
    expect(short(transition(before, after).destroyed)).toEqual(['okta_push_group.GroupPush_engineering']);
    expect(transition(before, after)).toMatchObject({ created: [], replaced: [] });
  });

  it('reordering pushes, groups and people changes no address and replaces nothing', () => {
    const after = okta(
      wide((c) => {
        c.groupPush.reverse();
        c.groups.reverse();
        c.assignments.people.reverse();
      }),
    );
    expect(transition(before, after)).toEqual({ created: [], destroyed: [], replaced: [] });
  });

  it('removing the first person removes that person\'s assignment only (no other user is "updated" into it)', () => {
    const after = okta(wide((c) => c.assignments.people.shift()));
    expect(short(transition(before, after).destroyed)).toEqual(['okta_app_user.Assignments_adaacmeexample']);
    expect(transition(before, after)).toMatchObject({ created: [], replaced: [] });
  });

  it('removing the first assigned group removes its assignment and push only', () => {
    const after = okta(
      wide((c) => {
        c.assignments.groups.shift();
        c.groupPush.shift();
      }),
    );
    expect(short(transition(before, after).destroyed).sort()).toEqual(['okta_app_group_assignment.Assignments_group-engineering', 'okta_push_group.GroupPush_engineering']);
    expect(transition(before, after)).toMatchObject({ created: [], replaced: [] });
  });

  it('one-time migration from positional addresses: moved blocks from push-<i> and assignment-<i>, group assignments imported, the old one forgotten', () => {
    const migrated = okta(wide((c) => (c.migrateFromPositionalIds = true)));
    const moved = (migrated.moved as { from: string; to: string }[]).map((m) => [m.from, m.to.replace(/_[0-9A-F]{8}$/, '')]).sort();
    expect(moved).toEqual(
      [
        [`okta_push_group.${logicalIdOf(['GroupPush', 'push-0'])}`, 'okta_push_group.GroupPush_engineering'],
        [`okta_push_group.${logicalIdOf(['GroupPush', 'push-1'])}`, 'okta_push_group.GroupPush_sales'],
        [`okta_push_group.${logicalIdOf(['GroupPush', 'push-2'])}`, 'okta_push_group.GroupPush_device-admins'],
        [`okta_app_user.${logicalIdOf(['Assignments', 'assignment-0'])}`, 'okta_app_user.Assignments_adaacmeexample'],
        [`okta_app_user.${logicalIdOf(['Assignments', 'assignment-1'])}`, 'okta_app_user.Assignments_graceacmeexample'],
        [`okta_app_user.${logicalIdOf(['Assignments', 'assignment-2'])}`, 'okta_app_user.Assignments_alanacmeexample'],
      ].sort(),
    );
    // The old addresses are the ones earlier releases synthesized (test/iac snapshots of that release).
    expect(logicalIdOf(['GroupPush', 'push-0'])).toBe('GroupPush_push-0_F0A6F5C5');
    expect(logicalIdOf(['Assignments', 'assignment-0'])).toBe('Assignments_assignment-0_559B9604');
    expect(migrated.import.map((i: any) => i.to.replace(/_[0-9A-F]{8}$/, '')).sort()).toEqual([
      'okta_app_group_assignment.Assignments_group-device-admins',
      'okta_app_group_assignment.Assignments_group-engineering',
      'okta_app_group_assignment.Assignments_group-sales',
    ]);
    expect(migrated.import[0].id).toMatch(/^\$\{okta_app_saml\.App_\w+\.id\}\/\$\{/);
    expect(migrated.removed).toEqual([{ from: `okta_app_group_assignments.${logicalIdOf(['Assignments', 'Groups'])}`, lifecycle: { destroy: false } }]);
    // Without the flag: nothing of it.
    expect([before.moved, before.import, before.removed]).toEqual([undefined, undefined, undefined]);
  });
});

describe('token rotation without a 401', () => {
  const rotation = (generation: number) => synthesize([variant(prod, (c) => (c.receiver.deploy.token = { generation }))]).stacks;
  const slotOf = (reference: string) => /ScimToken_(token-[ab])_/.exec(reference)?.[1];
  const heldBy = (stacks: any) => slotOf((Object.entries(stacks['okta-prod'].output).find(([k]) => k.includes('scim_token'))![1] as any).value)!;
  const keepers = (stacks: any) => Object.fromEntries(Object.entries(resourcesOf(stacks['scim-token-prod'], 'random_password')).map(([k, p]: [string, any]) => [slotOf(k), p.keepers.generation]));
  const accepted = (stacks: any) => {
    const hashes: string = (Object.values(resourcesOf(stacks['receiver-prod'], 'kubernetes_secret_v1'))[0] as any).data.SCIM_TOKEN_SHA256;
    return [...hashes.matchAll(/sha256\([^)]*ScimToken_(token-[ab])_\w+result\)/g)].map((m) => m[1]).sort();
  };

  it.each([1, 2, 3, 10])('generation %i → the next: the token Okta holds keeps its value and stays accepted until Okta has the new one', (generation) => {
    const before = rotation(generation);
    const after = rotation(generation + 1);
    const held = heldBy(before);
    // Terraform keeps a random_password whose keepers do not change: the held token keeps its value…
    expect(keepers(after)[held]).toBe(keepers(before)[held]);
    // …and the receiver of the second synth still accepts it, next to the new one.
    expect(accepted(after)).toEqual(['token-a', 'token-b']);
    // Okta is given the other slot, the one whose keepers changed (so Terraform generates a new value).
    const next = heldBy(after);
    expect(next).not.toBe(held);
    expect(keepers(after)[next]).not.toBe(keepers(before)[next]);
    expect(keepers(after)[next]).toBe(String(generation + 1));
    // The addresses never change: no slot is created or destroyed.
    expect(addresses(after['scim-token-prod'])).toEqual(addresses(before['scim-token-prod']));
  });

  it('an unchanged generation changes nothing', () => {
    expect(rotation(5)).toEqual(rotation(5));
  });
});

describe('every change rolls the receiver', () => {
  const annotation = (stacks: any) => (Object.values(resourcesOf(stacks['receiver-prod'], 'kubernetes_stateful_set_v1'))[0] as any).spec.template.metadata.annotations[ROLLOUT_ANNOTATION];
  const checksumEnv = (stacks: any) => ((Object.values(resourcesOf(stacks['receiver-dev'], 'docker_container'))[0] as any).env as string[]).find((e) => e.startsWith('ROLLOUT_CHECKSUM='));
  const k8s = (change: (c: any) => void = () => undefined) => synthesize([variant(prod, change)]).stacks;
  const docker = (change: (c: any) => void = () => undefined) => synthesize([variant(dev, change)]).stacks;

  it('Kubernetes: the pod template checksum covers the configuration and the token and key hashes', () => {
    const same = annotation(k8s());
    expect(annotation(k8s())).toBe(same);
    expect(same).toMatch(/^\$\{sha256\(join\("\\n", \["[0-9a-f]{64}", "scim-token-generation=1", join\(",", \[sha256\(.*token-a.*\), sha256\(.*token-b.*\)\]\), sha256\(random_password\.Credentials_AdminKey_\w+\.result\)/);
    // A newly declared attribute (the receiver reads its configuration at start)…
    expect(annotation(k8s((c) => c.attributes.push({ name: 'site', displayName: 'Site' })))).not.toBe(same);
    // …a changed setting, and a token rotation each change it.
    expect(annotation(k8s((c) => (c.receiver.deploy.autoInvite = false)))).not.toBe(same);
    expect(annotation(k8s((c) => (c.receiver.deploy.token = { generation: 2 })))).not.toBe(same);
    // A change that the receiver does not see does not.
    expect(annotation(k8s((c) => (c.app.label = 'Device Portal (prod, EU)')))).toBe(same);
  });

  it('Docker: the container is replaced on every change (env forces replacement), with the same checksum', () => {
    const same = checksumEnv(docker());
    expect(same).toMatch(/^ROLLOUT_CHECKSUM=\$\{sha256\(/);
    expect(checksumEnv(docker())).toBe(same);
    expect(checksumEnv(docker((c) => (c.receiver.deploy.token = { generation: 2 })))).not.toBe(same);
    expect(checksumEnv(docker((c) => (c.attributes[0].displayName = 'Pay band')))).not.toBe(same);
    expect(checksumEnv(docker((c) => (c.groups[0].name = 'Engineers')))).toBe(same);
  });
});

describe('truthful provisioning modes', () => {
  it('console mode: assignments wait for confirmed like attributes, mappings and pushes', () => {
    const waiting = synthesize([variant(staging, (c) => (c.provisioning.confirmed = false))]).stacks['okta-staging'];
    for (const type of ['okta_app_group_assignment', 'okta_app_user', 'okta_app_user_schema_property', 'okta_profile_mapping', 'okta_push_group']) {
      expect({ type, declared: Object.keys(resourcesOf(waiting, type)) }).toEqual({ type, declared: [] });
    }
    const confirmed = synthesize([variant(staging)]).stacks['okta-staging'];
    expect(Object.keys(resourcesOf(confirmed, 'okta_app_group_assignment'))).toHaveLength(2);
    expect(Object.keys(resourcesOf(confirmed, 'okta_app_user'))).toHaveLength(1);
  });

  it('api mode (an existing app whose connection the API configures): attributes, mappings, assignments and pushes depend on the features resource', () => {
    const env = variant(staging, (c) => {
      c.app.existingAppId = '0oa1b2c3d4e5f6g7h8i9';
      c.app.connectionApiSupported = true;
      c.provisioning.mode = 'api';
    });
    const stack = synthesize([env]).stacks['okta-staging'];
    const features = Object.keys(resourcesOf(stack, 'okta_app_features'));
    expect(features).toHaveLength(1);
    const dependsOnFeatures = (resource: any) => (resource.depends_on ?? []).includes(`okta_app_features.${features[0]}`);
    for (const type of ['okta_app_user_schema_property', 'okta_profile_mapping', 'okta_push_group', 'okta_app_group_assignment', 'okta_app_user']) {
      const all = Object.values(resourcesOf(stack, type));
      expect(all.length).toBeGreaterThan(0);
      for (const resource of all) expect({ type, waits: dependsOnFeatures(resource) }).toEqual({ type, waits: true });
    }
  });
});

describe('protected destroys', () => {
  const protectedTypes = ['okta_profile_mapping', 'okta_app_user_schema_property', 'okta_user_schema_property'];

  it('prevent_destroy on mappings, app-user and Okta user attributes, the data volume and the namespace, by default', () => {
    const stacks = synthesize().stacks;
    for (const type of protectedTypes) {
      for (const resource of Object.values(resourcesOf(stacks['okta-staging'], type)) as any[]) expect({ type, lifecycle: resource.lifecycle }).toEqual({ type, lifecycle: { prevent_destroy: true } });
    }
    expect((Object.values(resourcesOf(stacks['receiver-dev'], 'docker_volume'))[0] as any).lifecycle).toEqual({ prevent_destroy: true });
    expect((Object.values(resourcesOf(stacks['receiver-prod'], 'kubernetes_namespace_v1'))[0] as any).lifecycle).toEqual({ prevent_destroy: true });
    for (const push of Object.values(resourcesOf(stacks['okta-staging'], 'okta_push_group')) as any[]) expect(push.delete_target_group_on_destroy).toBe(false);
  });

  it('destroyProtection: false lets a throwaway environment be destroyed', () => {
    const staged = synthesize([variant(staging, (c) => (c.destroyProtection = false))]).stacks['okta-staging'];
    for (const type of protectedTypes) {
      for (const resource of Object.values(resourcesOf(staged, type)) as any[]) expect(resource.lifecycle).toEqual({ prevent_destroy: false });
    }
    const stacks = synthesize([variant(prod, (c) => (c.destroyProtection = false)), variant(dev, (c) => (c.destroyProtection = false))]).stacks;
    expect((Object.values(resourcesOf(stacks['receiver-prod'], 'kubernetes_namespace_v1'))[0] as any).lifecycle).toEqual({ prevent_destroy: false });
    expect((Object.values(resourcesOf(stacks['receiver-dev'], 'docker_volume'))[0] as any).lifecycle).toEqual({ prevent_destroy: false });
  });
});

describe('replacements that delete data are announced at synth', () => {
  it('names each attribute whose force-new field changed against the previous synth', () => {
    const before = synthesize([variant(staging)]).stacks;
    const after = synthesize([
      variant(staging, (c) => {
        c.attributes.find((a: any) => a.name === 'badgeNumber').type = 'string';
        c.oktaUserAttributes.find((a: any) => a.name === 'badgeNumber').type = 'string';
      }),
    ]).stacks;
    const changes = forceNewChanges(before, after);
    expect(changes.map((c) => [c.address.replace(/_[0-9A-F]{8}$/, ''), c.attribute, c.before, c.after]).sort()).toEqual([
      ['okta_app_user_schema_property.Attributes_badgeNumber', 'type', 'integer', 'string'],
      ['okta_user_schema_property.OktaUserAttributes_badgeNumber', 'type', 'integer', 'string'],
    ]);
    expect(describeForceNewChange(changes[0]!)).toMatch(/^warning: okta-staging: okta_\w+\.\w+: type changes \("integer" → "string"\); Terraform will replace it and delete its values\. prevent_destroy stops that apply/);
    expect(forceNewChanges(before, synthesize([variant(staging)]).stacks)).toEqual([]);
  });

  it('`npm run synth` prints the warning when the previous synth is in the output directory', () => {
    const directory = mkdtempSync(join(tmpdir(), 'environments-'));
    const out = mkdtempSync(join(tmpdir(), 'synth-out-'));
    const write = (urn: string) =>
      writeFileSync(join(directory, 'staging.ts'), `export const staging = ${JSON.stringify({ ...JSON.parse(JSON.stringify(staging)), scimExtensionUrn: urn })};\n`);
    const synth = () => spawnSync(process.execPath, ['--require', 'tsx/cjs', 'main.ts'], { cwd: resolve(__dirname, '../..'), encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: out, ENVIRONMENTS_DIR: directory } });
    try {
      write('urn:ietf:params:scim:schemas:extension:acme:2.0:User');
      const first = synth();
      expect(first.status).toBe(0);
      expect(first.stderr).not.toContain('warning:');
      write('urn:ietf:params:scim:schemas:extension:acme-corp:2.0:User');
      const second = synth();
      expect(second.status).toBe(0);
      expect(second.stderr).toMatch(/warning: okta-staging: okta_app_user_schema_property\.Attributes_costBand_\w+: external_namespace changes .*Terraform will replace it and delete its values/);
      expect(second.stderr).toMatch(/Attributes_badgeNumber_\w+: external_namespace changes/);
      expect(second.stderr).not.toMatch(/Attributes_department_\w+: external_namespace/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  }, 180_000);
});
