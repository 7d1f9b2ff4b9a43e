/**
 * `npm run migrate-store` (receiver/dist/tools/migrate-store.js) on a populated SQLite installation:
 * everything arrives, a receiver on PostgreSQL serves it (same ids, members, order, token hashes,
 * settings, attributes, templates, invitations, activity), a non-empty target is refused without --force.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { CUSTOM_URN, GROUP_URN, TestReceiver, USER_URN, oktaUser } from '../receiver/support/harness';
import { createTestDatabase, dropTestDatabase } from '../receiver/support/postgres';
import { Replica } from './support/replica';

const ROOT = resolve(__dirname, '../..');

function migrate(...args: string[]) {
  const result = spawnSync(process.execPath, [join(ROOT, 'receiver/dist/tools/migrate-store.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

it('copies a SQLite installation into PostgreSQL, checks and prints the counts, and refuses a non-empty target', async () => {
  // A SQLite installation with a bit of everything.
  const source = await TestReceiver.start({ DATABASE_URL: '' });
  const url = await createTestDatabase();
  try {
    await source.api('POST', '/attributes', { name: 'costBand' });
    const users = [];
    for (let i = 0; i < 30; i++) users.push(await source.createUser(`moved.${i}@example.com`, { schemas: [USER_URN, CUSTOM_URN], [CUSTOM_URN]: { costBand: `B${i % 3}` } }));
    await source.createGroup('Movers', users.slice(0, 10).map((u) => u.id));
    await source.createGroup('Empty');
    await source.delete(`/Users/${users[29].id}`); // a gap in the row numbers
    const token = (await source.api('POST', '/tokens', { label: 'carried over' })).body;
    expect(token.token).toBeTruthy();
    expect((await source.api('PUT', '/settings', { autoInvite: true })).status).toBe(200);
    await source.createUser('invited@example.com'); // autoInvite without SMTP: a pending invitation
    expect((await source.api('POST', '/templates', { name: 'Badge', fields: { owner: '${userName}' } })).status).toBe(201);
    const pageBefore = (await source.get('/Users?startIndex=11&count=10')).body.Resources.map((u: { id: string }) => u.id);
    const activityBefore = (await source.api('GET', '/activity?limit=500')).body.items.length;
    await source.receiver.close();
    const file = join(source.dir, 'receiver.db');

    const copied = migrate('--from', file, '--to', url);
    expect(copied.stderr).toBe('');
    expect(copied.code).toBe(0);
    for (const [table, n] of [
      ['scim_users', 30],
      ['scim_groups', 2],
      ['scim_group_members', 10],
      ['attribute_definitions', 1],
      ['settings', 1],
      ['templates', 1],
      ['invitations', 1],
    ] as const) {
      expect(copied.stdout).toMatch(new RegExp(`^${table}\\s+${n}\\s+${n}$`, 'm'));
    }
    expect(copied.stdout).toMatch(/counts match/);

    const replica = await Replica.start(url);
    try {
      // The token issued on SQLite (only its hash was copied) opens the PostgreSQL receiver.
      expect((await replica.request('GET', '/Users?count=1', undefined, token.token)).status).toBe(200);
      expect((await replica.request('GET', '/Users?startIndex=11&count=10')).body.Resources.map((u: { id: string }) => u.id)).toEqual(pageBefore);
      const movers = (await replica.request('GET', `/Groups?filter=${encodeURIComponent('displayName eq "movers"')}`)).body.Resources[0];
      expect(movers.members.map((m: { value: string }) => m.value).sort()).toEqual(users.slice(0, 10).map((u) => u.id).sort());
      expect((await replica.request('GET', `/Users?filter=${encodeURIComponent(`${CUSTOM_URN}:costBand eq "b1"`)}`)).body.totalResults).toBe(10);
      expect((await replica.request('GET', '/api/settings')).body.autoInvite.value).toBe(true);
      expect((await replica.request('GET', '/api/templates')).body.items.map((t: { name: string }) => t.name)).toEqual(['Badge']);
      expect((await replica.request('GET', '/api/invitations')).body.items.map((i: { email: string; status: string }) => [i.email, i.status])).toEqual([['invited@example.com', 'pending']]);
      expect((await replica.request('GET', '/api/activity?limit=500')).body.items.length).toBeGreaterThanOrEqual(activityBefore);
      // New rows continue after the copied row numbers (and the deleted user's userName is free again).
      const next = await replica.request('POST', '/Users', oktaUser('moved.29@example.com'));
      expect(next.status).toBe(201);
      const all = (await replica.request('GET', '/Users?count=100')).body.Resources.map((u: { userName: string }) => u.userName);
      expect(all.at(-1)).toBe('moved.29@example.com');
      const group = await replica.request('POST', '/Groups', { schemas: [GROUP_URN], displayName: 'After the move', members: [{ value: next.body.id }] });
      expect(group.status).toBe(201);
    } finally {
      await replica.stop();
    }

    const refused = migrate('--from', file, '--to', url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/already holds data: scim_users \(31\).*--force/);
    const forced = migrate('--from', file, '--to', url, '--force', '--batch-size', '7');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/^scim_users\s+30\s+30$/m);
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      expect((await client.query(`SELECT count(*)::int AS n FROM scim_users WHERE user_name = 'moved.29@example.com'`)).rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
  } finally {
    await source.stop().catch(() => undefined);
    await dropTestDatabase(url);
  }
});

it('explains its arguments', () => {
  const missing = migrate('--from', 'x.db');
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/--to postgres:\/\/.*required/);
  expect(missing.stderr).toMatch(/usage: migrate-store/);
});
