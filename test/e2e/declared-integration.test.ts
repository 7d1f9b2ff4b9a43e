/**
 * Verification without a real Okta org: the prod environment is synthesized, the receiver is started
 * with exactly the configuration its stack would hand it, and Okta's traffic is derived from the okta
 * stack's declarations. Users, their attributes and pushed groups must land in the receiver as declared.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../main';
import { TestReceiver } from '../receiver/support/harness';
import { OktaSimulator } from '../../scripts/verify/okta-simulator';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

let outdir: string;
const stacks: Record<string, any> = {};
let receiver: TestReceiver;
let okta: OktaSimulator;
let customUrn: string;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'cdktf-e2e-'));
  buildApp(outdir).synth();
  for (const name of readdirSync(join(outdir, 'stacks'))) stacks[name] = JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));

  // What receiver-prod hands the receiver: its configuration file and extension URN.
  const configMap = Object.values(stacks['receiver-prod'].resource.kubernetes_config_map_v1)[0] as any;
  const set = Object.values(stacks['receiver-prod'].resource.kubernetes_stateful_set_v1)[0] as any;
  const env = Object.fromEntries(set.spec.template.spec.container[0].env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
  customUrn = env.SCIM_EXTENSION_URN;
  receiver = await TestReceiver.start({ RECEIVER_CONFIG_JSON: configMap.data['config.json'], SCIM_EXTENSION_URN: customUrn });
  okta = new OktaSimulator(stacks['okta-prod'], (method, path, body) => receiver.request(method, path, body === undefined ? {} : { body }));
});

afterAll(async () => {
  await receiver.stop();
  rmSync(outdir, { recursive: true, force: true });
});

const ada = {
  login: 'ada.lovelace@acme.example',
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada.lovelace@acme.example',
  costBand: 'B3',
  badgeNumber: 1815,
  department: 'Analytical Engines',
  employeeNumber: 'E-0001',
};

it('provisions a user with every declared attribute where the declarations put it', async () => {
  const id = await okta.assign(ada);
  const user = (await receiver.get(`/Users/${id}`)).body;
  expect(user.userName).toBe(ada.login);
  expect(user[customUrn]).toEqual({ costBand: 'B3', badgeNumber: 1815 });
  expect(user[ENTERPRISE]).toEqual({ department: 'Analytical Engines', employeeNumber: 'E-0001' });

  const detail = (await receiver.api('GET', `/users/${id}`)).body;
  expect(detail.attributes.custom.map((a: any) => [a.name, a.value, a.origin])).toEqual([
    ['badgeNumber', 1815, 'code'],
    ['costBand', 'B3', 'code'],
  ]);
  // Both sides were declared from one list: nothing Okta sends is unknown to the receiver.
  expect((await receiver.api('GET', '/diagnostics')).body.undeclaredAttributes).toEqual([]);
});

it('follows profile updates, re-assignment (lookup finds the user) and deactivation', async () => {
  const id = await okta.assign(ada);
  const updated = await okta.update(id, { ...ada, costBand: 'B4' });
  expect(updated[customUrn].costBand).toBe('B4');
  expect(await okta.assign({ ...ada, costBand: 'B4', badgeNumber: 1816 })).toBe(id);
  expect((await receiver.get(`/Users/${id}`)).body[customUrn]).toEqual({ costBand: 'B4', badgeNumber: 1816 });
  expect((await okta.deactivate(id)).active).toBe(false);
  expect((await receiver.get(`/Users?filter=${encodeURIComponent(`userName eq "${ada.login.toUpperCase()}"`)}`)).body.Resources[0].active).toBe(false);
});

it('pushes every declared group by its target name with its members', async () => {
  expect(okta.pushedGroups.sort()).toEqual(['Device Admins', 'Engineering', 'Sales']);
  const grace = await okta.assign({ login: 'grace.hopper@acme.example', firstName: 'Grace', lastName: 'Hopper', email: 'grace.hopper@acme.example', costBand: 'A1' });
  const adaId = await okta.assign(ada);
  for (const name of okta.pushedGroups) await okta.pushGroup(name, [grace, adaId]);
  for (const name of okta.pushedGroups) {
    const found = await receiver.get(`/Groups?filter=${encodeURIComponent(`displayName eq "${name}"`)}`);
    expect(found.body.totalResults).toBe(1);
    expect(found.body.Resources[0].members.map((m: any) => m.value).sort()).toEqual([grace, adaId].sort());
  }
  const graceUser = (await receiver.get(`/Users/${grace}`)).body;
  expect(graceUser.groups.map((g: any) => g.display).sort()).toEqual(['Device Admins', 'Engineering', 'Sales']);
});

it('makes a mismatch visible: an attribute declared on the Okta side only', async () => {
  const drifted = JSON.parse(JSON.stringify(stacks['okta-prod']));
  drifted.resource.okta_app_user_schema_property.drift = { index: 'shoeSize', external_name: 'shoeSize', external_namespace: customUrn, type: 'integer' };
  drifted.resource.okta_profile_mapping[Object.keys(drifted.resource.okta_profile_mapping)[0]!].mappings.push({ id: 'shoeSize', expression: 'user.shoeSize' });
  const driftedOkta = new OktaSimulator(drifted, (method, path, body) => receiver.request(method, path, body === undefined ? {} : { body }));
  const id = await driftedOkta.assign({ login: 'drift@acme.example', firstName: 'D', lastName: 'Rift', email: 'drift@acme.example', shoeSize: 44, costBand: 'C1' });
  expect((await receiver.get(`/Users/${id}`)).body[customUrn]).toEqual({ costBand: 'C1' });
  const undeclared = (await receiver.api('GET', '/diagnostics')).body.undeclaredAttributes;
  expect(undeclared).toEqual([expect.objectContaining({ urn: customUrn, name: 'shoeSize', lastUser: 'drift@acme.example' })]);
});
