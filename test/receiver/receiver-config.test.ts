/** RECEIVER_CONFIG: settings and attributes managed by code, applied idempotently at start-up. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiverConfigError } from '../../receiver/src/admin/receiver-config';
import { loadSettings } from '../../receiver/src/settings';
import { CUSTOM_URN, TestReceiver, expectScimError } from './support/harness';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scim-config-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function writeConfig(content: unknown): string {
  const file = join(dir, 'receiver.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

it('applies settings and attributes as managed by code; the API refuses to change them', async () => {
  const file = writeConfig({
    settings: { autoInvite: true },
    attributes: [
      { name: 'costBand', displayName: 'Cost band', type: 'string', description: 'from IaC' },
      { name: 'badgeNumber', type: 'integer' },
    ],
  });
  const r = await TestReceiver.start({ RECEIVER_CONFIG: file });
  try {
    expect((await r.api('GET', '/settings')).body.autoInvite).toMatchObject({ value: true, managed: true });
    const refused = await r.api('PUT', '/settings', { autoInvite: false });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ field: 'autoInvite', message: expect.stringMatching(/RECEIVER_CONFIG/) });

    const attributes = (await r.api('GET', '/attributes')).body;
    expect(attributes.extensionUrn).toBe(CUSTOM_URN);
    expect(attributes.items.map((a: { name: string; origin: string }) => [a.name, a.origin])).toEqual([
      ['badgeNumber', 'code'],
      ['costBand', 'code'],
    ]);
    expect((await r.api('DELETE', '/attributes/costBand')).status).toBe(409);
    expect((await r.api('PATCH', '/attributes/costBand', { displayName: 'x' })).status).toBe(409);

    const schema = await r.get(`/Schemas/${CUSTOM_URN}`);
    expect(schema.body.attributes.map((a: { name: string; type: string }) => [a.name, a.type])).toEqual([
      ['badgeNumber', 'integer'],
      ['costBand', 'string'],
    ]);
    expectScimError(await r.post('/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'x@example.com', [CUSTOM_URN]: { badgeNumber: 'x' } }), 400, 'invalidValue');
  } finally {
    await r.stop();
  }
});

it('re-applies idempotently and hands attributes that left the file to the admins, keeping their values', async () => {
  const first = writeConfig({ attributes: [{ name: 'costBand' }, { name: 'site' }] });
  const r1 = await TestReceiver.start({ RECEIVER_CONFIG: first });
  const dataDir = r1.dir;
  const user = await r1.createUser('kept@example.com', { [CUSTOM_URN]: { costBand: 'B1', site: 'Paris' } });
  const activityBefore = (await r1.api('GET', '/activity?action=attribute.')).body.items.length;
  await r1.receiver.close();

  // Same file again: nothing changes, nothing is logged.
  const r2 = await TestReceiver.start({ RECEIVER_CONFIG: first, DATA_DIR: dataDir });
  expect((await r2.api('GET', '/activity?action=attribute.')).body.items.length).toBe(activityBefore);
  await r2.receiver.close();

  // `site` leaves the file and no longer managed settings: it becomes an admin attribute with its values.
  const second = writeConfig({ attributes: [{ name: 'costBand' }] });
  const r3 = await TestReceiver.start({ RECEIVER_CONFIG: second, DATA_DIR: dataDir });
  try {
    const items = (await r3.api('GET', '/attributes')).body.items.map((a: { name: string; origin: string }) => [a.name, a.origin]);
    expect(items).toEqual([
      ['costBand', 'code'],
      ['site', 'idp'],
    ]);
    expect((await r3.get(`/Users/${user.id}`)).body[CUSTOM_URN]).toEqual({ costBand: 'B1', site: 'Paris' });
    expect((await r3.api('PUT', '/settings', { autoInvite: true })).status).toBe(200);
  } finally {
    await r3.stop();
  }
});

it('an admin attribute declared later in the file becomes managed by code', async () => {
  const r1 = await TestReceiver.start();
  await r1.api('POST', '/attributes', { name: 'region' });
  await r1.receiver.close();
  const r2 = await TestReceiver.start({ RECEIVER_CONFIG: writeConfig({ attributes: [{ name: 'region', type: 'string' }] }), DATA_DIR: r1.dir });
  try {
    expect((await r2.api('GET', '/attributes/region')).body.origin).toBe('code');
  } finally {
    await r2.stop();
  }
});

it('reports every problem of an invalid file with its exact path, and changes nothing', async () => {
  const file = writeConfig({
    settings: { autoInvite: 'yes', colour: 'red' },
    attributes: [{ name: 'ok' }, { name: 'title' }, { name: 'OK' }, { name: 'n', type: 'color' }, { name: 'x', extra: 1 }],
  });
  let error: unknown;
  try {
    await TestReceiver.start({ RECEIVER_CONFIG: file });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ReceiverConfigError);
  const problems = (error as ReceiverConfigError).problems.join('\n');
  expect(problems).toMatch(/^settings\.autoInvite: .*boolean/m);
  expect(problems).toMatch(/^settings: .*colour/m);
  expect(problems).toMatch(/^attributes\[1\]\.name: collides with the standard attribute "title"/m);
  expect(problems).toMatch(/^attributes\[2\]\.name: duplicates attributes\[0\] \("OK"\)/m);
  expect(problems).toMatch(/^attributes\[3\]\.type: /m);
  expect(problems).toMatch(/^attributes\[4\]: .*extra/m);
});

it('reports unreadable JSON', async () => {
  await expect(TestReceiver.start({ RECEIVER_CONFIG: writeConfig('{"attributes": [') })).rejects.toThrow(/Invalid receiver configuration .*receiver\.json/);
});

it('accepts the same content inline in RECEIVER_CONFIG_JSON (containers without a file mount)', async () => {
  const r = await TestReceiver.start({ RECEIVER_CONFIG_JSON: JSON.stringify({ settings: { autoInvite: true }, attributes: [{ name: 'costBand' }] }) });
  try {
    expect((await r.api('GET', '/settings')).body.autoInvite).toMatchObject({ value: true, managed: true });
    expect((await r.api('GET', '/attributes/costBand')).body.origin).toBe('code');
  } finally {
    await r.stop();
  }
  await expect(TestReceiver.start({ RECEIVER_CONFIG_JSON: '{"attributes": [{"name": "title"}]}' })).rejects.toThrow(
    /Invalid receiver configuration RECEIVER_CONFIG_JSON:\n {2}- attributes\[0\]\.name: collides/,
  );
  expect(() => loadSettings({ RECEIVER_CONFIG: 'a.json', RECEIVER_CONFIG_JSON: '{}' })).toThrow(/either RECEIVER_CONFIG .* or RECEIVER_CONFIG_JSON/);
});
