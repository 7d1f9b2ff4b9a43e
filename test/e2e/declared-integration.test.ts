/**
 * Verification without a real Okta org, for every environment file: the environment is synthesized,
 * the receiver is started with exactly the configuration its stack would hand it, and Okta's traffic
 * is derived from the okta stack's declarations. Users, their attributes and pushed groups must land in
 * the receiver as declared. A new environment file is replayed without editing this test.
 */
import { loadEnvironments } from '../../config/environments';
import type { EnvironmentConfig } from '../../config/schema';
import { synthesize } from '../iac/support/synth';
import { TestReceiver } from '../receiver/support/harness';
import { declaredReceiver } from './support/declared-receiver';
import type { OktaUserProfile } from '../../scripts/verify/okta-simulator';
import { OktaSimulator } from '../../scripts/verify/okta-simulator';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const environments = loadEnvironments();
const { stacks } = synthesize(environments);

/** A value of the attribute's type, distinct per person. */
function sample(type: string, seed: number): string | number | boolean {
  switch (type) {
    case 'integer':
      return 1800 + seed;
    case 'number':
      return 1.5 + seed;
    case 'boolean':
      return seed % 2 === 0;
    default:
      return `v${seed}`;
  }
}

/** An Okta user whose profile has a value for every mapping source the environment declares. */
function person(env: EnvironmentConfig, login: string, seed: number): OktaUserProfile {
  const profile: Record<string, string | number | boolean> = { login, firstName: 'Ada', lastName: `Lovelace${seed}`, email: login };
  for (const attribute of env.attributes) {
    const source = /^user\.(\w+)$/.exec(attribute.source ?? '')?.[1];
    if (source) profile[source] = sample(attribute.type, seed);
  }
  return profile as OktaUserProfile;
}

/** What the receiver must hold for that person: each mapped attribute under its namespace. */
function expected(env: EnvironmentConfig, okta: any, user: OktaUserProfile): { custom?: Record<string, unknown>; enterprise?: Record<string, unknown> } {
  const declared = new Set(Object.values(okta.resource?.okta_app_user_schema_property ?? {}).map((p: any) => p.index));
  const pick = (namespace: 'custom' | 'enterprise') => {
    const values = Object.fromEntries(
      env.attributes.filter((a) => a.namespace === namespace && declared.has(a.name) && a.source).map((a) => [a.name, user[/^user\.(\w+)$/.exec(a.source!)![1]!]]),
    );
    return Object.keys(values).length > 0 ? values : undefined;
  };
  return { ...(pick('custom') ? { custom: pick('custom') } : {}), ...(pick('enterprise') ? { enterprise: pick('enterprise') } : {}) };
}

describe.each(environments.map((e) => [e.name, e] as const))('%s', (name, env) => {
  const okta = stacks[`okta-${name}`];
  let receiver: TestReceiver;
  let simulator: OktaSimulator;
  const declared = declaredReceiver(stacks, env);

  beforeAll(async () => {
    receiver = await TestReceiver.start({ RECEIVER_CONFIG_JSON: declared.RECEIVER_CONFIG_JSON, SCIM_EXTENSION_URN: declared.SCIM_EXTENSION_URN });
    simulator = new OktaSimulator(okta, (method, path, body) => receiver.request(method, path, body === undefined ? {} : { body }));
  });
  afterAll(async () => {
    await receiver.stop();
  });

  it('provisions a user with every declared attribute where the declarations put it', async () => {
    const ada = person(env, `ada.${name}@acme.example`, 1);
    const id = await simulator.assign(ada);
    const user = (await receiver.get(`/Users/${id}`)).body;
    expect(user.userName).toBe(ada.login);
    const want = expected(env, okta, ada);
    expect(user[declared.SCIM_EXTENSION_URN]).toEqual(want.custom);
    expect(user[ENTERPRISE]).toEqual(want.enterprise);
    const detail = (await receiver.api('GET', `/users/${id}`)).body;
    // Every code-declared attribute is listed; those Okta sent carry its values.
    expect(detail.attributes.custom.filter((a: any) => a.value !== null).map((a: any) => [a.name, a.value, a.origin]).sort()).toEqual(
      Object.entries(want.custom ?? {})
        .map(([k, v]) => [k, v, 'code'])
        .sort(),
    );
    // Both sides were declared from one list: nothing Okta sends is unknown to the receiver.
    expect((await receiver.api('GET', '/diagnostics')).body.undeclaredAttributes).toEqual([]);
  });

  it('follows profile updates, re-assignment (lookup finds the user) and deactivation', async () => {
    const grace = person(env, `grace.${name}@acme.example`, 2);
    const id = await simulator.assign(grace);
    const changed = person(env, grace.login, 3);
    const updated = await simulator.update(id, changed);
    expect(updated[declared.SCIM_EXTENSION_URN]).toEqual(expected(env, okta, changed).custom);
    expect(await simulator.assign(person(env, grace.login, 4))).toBe(id);
    expect((await receiver.get(`/Users/${id}`)).body[declared.SCIM_EXTENSION_URN]).toEqual(expected(env, okta, person(env, grace.login, 4)).custom);
    expect((await simulator.deactivate(id)).active).toBe(false);
    expect((await receiver.get(`/Users?filter=${encodeURIComponent(`userName eq "${grace.login.toUpperCase()}"`)}`)).body.Resources[0].active).toBe(false);
  });

  it('pushes every declared group by its target name with its members', async () => {
    const pushed = Object.values(okta.resource?.okta_push_group ?? {}).map((p: any) => p.target_group_name);
    expect(simulator.pushedGroups.sort()).toEqual(pushed.sort());
    if (env.provisioning.confirmed) expect(pushed).toHaveLength(env.groupPush.length);
    const members = [await simulator.assign(person(env, `alan.${name}@acme.example`, 5)), await simulator.assign(person(env, `edsger.${name}@acme.example`, 6))];
    for (const group of simulator.pushedGroups) await simulator.pushGroup(group, members);
    for (const group of simulator.pushedGroups) {
      const found = await receiver.get(`/Groups?filter=${encodeURIComponent(`displayName eq "${group}"`)}`);
      expect(found.body.totalResults).toBe(1);
      expect(found.body.Resources[0].members.map((m: any) => m.value).sort()).toEqual([...members].sort());
    }
  });

  it('makes a mismatch visible: an attribute declared on the Okta side only', async () => {
    const drifted = JSON.parse(JSON.stringify(okta));
    drifted.resource ??= {};
    drifted.resource.okta_app_user_schema_property = { ...drifted.resource.okta_app_user_schema_property, drift: { index: 'shoeSize', external_name: 'shoeSize', external_namespace: declared.SCIM_EXTENSION_URN, type: 'integer' } };
    drifted.resource.okta_profile_mapping = { m: { mappings: [...(Object.values(drifted.resource.okta_profile_mapping ?? {}) as any[]).flatMap((m) => m.mappings), { id: 'shoeSize', expression: 'user.shoeSize' }] } };
    const driftedOkta = new OktaSimulator(drifted, (method, path, body) => receiver.request(method, path, body === undefined ? {} : { body }));
    const login = `drift.${name}@acme.example`;
    const id = await driftedOkta.assign({ ...person(env, login, 7), shoeSize: 44 });
    expect((await receiver.get(`/Users/${id}`)).body[declared.SCIM_EXTENSION_URN]).toEqual(expected(env, okta, person(env, login, 7)).custom);
    const undeclared = (await receiver.api('GET', '/diagnostics')).body.undeclaredAttributes;
    expect(undeclared).toEqual([expect.objectContaining({ urn: declared.SCIM_EXTENSION_URN, name: 'shoeSize', lastUser: login })]);
  });
});
