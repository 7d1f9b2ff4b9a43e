/**
 * Two receiver processes on one PostgreSQL database, as a Deployment with replicas: every write rule
 * holds across them, a change on one takes effect on the other without a restart, background work
 * (invitations, retention) happens once, and a replica killed under load loses no acknowledged write.
 */
import { Client } from 'pg';
import { postgresMigrations } from '../../receiver/src/store/postgres/migrations';
import { systemClock } from '../../receiver/src/time/clock';
import { oktaUser, patchOp } from '../receiver/support/harness';
import { createTestDatabase, dropTestDatabase } from '../receiver/support/postgres';
import { SmtpSink } from '../receiver/support/smtp';
import { Replica, eventually } from './support/replica';

const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const CUSTOM_URN = 'urn:ietf:params:scim:schemas:extension:custom:2.0:User';

/** Two receiver processes under load: on a busy 2-core machine they need more than jest's 30 s (never a timing assertion). */
const HEAVY_TEST_MS = 120_000;

async function sql<T = any>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('two replicas on one database', () => {
  let url: string;
  let a: Replica;
  let b: Replica;
  beforeAll(async () => {
    url = await createTestDatabase();
    // Started together: the migrations must not race.
    [a, b] = await Promise.all([Replica.start(url), Replica.start(url)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await dropTestDatabase(url);
  });

  it('both migrated the same database once and serve the same data', async () => {
    const declared = Object.keys(await postgresMigrations(systemClock).getMigrations()).sort();
    expect((await sql<{ name: string }>(url, 'SELECT name FROM kysely_migration ORDER BY name')).map((m) => m.name)).toEqual(declared);
    // The first-start portal account exists once, and only the replica that created it printed its password.
    expect(await sql(url, 'SELECT username FROM admin_accounts')).toEqual([{ username: 'admin' }]);
    await eventually(() => a.output.includes('Admin portal:') && b.output.includes('Admin portal:'), 'both replicas to print their start lines');
    expect([a, b].filter((r) => r.output.includes('Admin portal account (shown once')).length).toBe(1);
    const created = await a.request('POST', '/Users', oktaUser('shared@example.com'));
    expect(created.status).toBe(201);
    expect((await b.request('GET', `/Users/${created.body.id}`)).body.userName).toBe('shared@example.com');
  });

  it('accepts exactly one of concurrent case-variant creates spread over both replicas', async () => {
    const variants = ['dup@example.com', 'DUP@example.com', 'Dup@Example.com', 'dup@EXAMPLE.com', 'dUp@example.com', 'DUP@EXAMPLE.COM', 'duP@example.com', 'DuP@example.com'];
    const replies = await Promise.all(variants.map((v, i) => (i % 2 === 0 ? a : b).request('POST', '/Users', oktaUser(v))));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(variants.length - 1);
    const found = await b.request('GET', `/Users?filter=${encodeURIComponent('userName eq "DUP@example.com"')}`);
    expect(found.body.totalResults).toBe(1);
  });

  it('ends concurrent membership PATCHes of one group from both replicas with the right members', async () => {
    const users = await Promise.all(Array.from({ length: 16 }, async (_, i) => (await a.request('POST', '/Users', oktaUser(`member.${i}@example.com`))).body.id as string));
    const group = (await a.request('POST', '/Groups', { schemas: [GROUP_URN], displayName: 'Shared', members: users.slice(0, 4).map((value) => ({ value })) })).body;
    // Each replica adds its half of the rest and removes one of the first four, all at once.
    const ops = [
      ...users.slice(4).map((id, i) => ({ replica: i % 2 === 0 ? a : b, op: { op: 'add', path: 'members', value: [{ value: id }] } })),
      { replica: a, op: { op: 'remove', path: `members[value eq "${users[0]}"]` } },
      { replica: b, op: { op: 'remove', path: `members[value eq "${users[1]}"]` } },
    ];
    const replies = await Promise.all(ops.map(({ replica, op }) => replica.request('PATCH', `/Groups/${group.id}`, patchOp(op))));
    expect(replies.map((r) => r.status)).toEqual(ops.map(() => 200));
    const final = await b.request('GET', `/Groups/${group.id}`);
    expect(final.body.members.map((m: { value: string }) => m.value).sort()).toEqual(users.slice(2).sort());
    expect(final.body.meta.version).toBe(`W/"${1 + ops.length}"`);
  });

  it('loses no attribute when both replicas PATCH one user at once', async () => {
    const user = (await a.request('POST', '/Users', oktaUser('both.patch@example.com'))).body;
    const fields: Record<string, string> = { title: 'T', nickName: 'N', userType: 'Employee', preferredLanguage: 'fr', timezone: 'Europe/Paris', locale: 'fr-FR' };
    const replies = await Promise.all(
      Object.entries(fields).map(([path, value], i) => (i % 2 === 0 ? a : b).request('PATCH', `/Users/${user.id}`, patchOp({ op: 'replace', path, value }))),
    );
    expect(replies.map((r) => r.status)).toEqual(Object.keys(fields).map(() => 200));
    const final = (await a.request('GET', `/Users/${user.id}`)).body;
    for (const [path, value] of Object.entries(fields)) expect(final[path]).toBe(value);
  });

  it('a token created and then deactivated on one replica is accepted and then refused by the other', async () => {
    const issued = (await a.request('POST', '/api/tokens', { label: 'rotation' })).body;
    expect(issued.token).toBeTruthy();
    await eventually(async () => (await b.request('GET', '/Users?count=1', undefined, issued.token)).status === 200, 'replica b to accept the new token');
    expect((await a.request('PATCH', `/api/tokens/${issued.id}`, { status: 'inactive' })).status).toBe(200);
    await eventually(async () => (await b.request('GET', '/Users?count=1', undefined, issued.token)).status === 401, 'replica b to refuse the deactivated token');
    expect((await a.request('GET', '/Users?count=1', undefined, issued.token)).status).toBe(401);
  });

  it('a setting changed on one replica is in effect on the other', async () => {
    expect((await a.request('PUT', '/api/settings', { autoInvite: true })).status).toBe(200);
    await eventually(async () => (await b.request('GET', '/api/settings')).body.autoInvite.value === true, 'replica b to see autoInvite on');
    expect((await b.request('PUT', '/api/settings', { autoInvite: false })).status).toBe(200);
    await eventually(async () => (await a.request('GET', '/api/settings')).body.autoInvite.value === false, 'replica a to see autoInvite off');
  });

  it('an attribute declared on one replica is accepted, served and filterable on the other', async () => {
    expect((await a.request('POST', '/api/attributes', { name: 'costBand' })).status).toBe(201);
    await eventually(
      async () => JSON.stringify((await b.request('GET', `/Schemas/${CUSTOM_URN}`)).body).includes('"costBand"'),
      'replica b to publish costBand in /Schemas',
    );
    const created = await b.request('POST', '/Users', oktaUser('band@example.com', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', CUSTOM_URN], [CUSTOM_URN]: { costBand: 'B2' } }));
    expect(created.status).toBe(201);
    expect(created.body[CUSTOM_URN]).toEqual({ costBand: 'B2' });
    const found = await b.request('GET', `/Users?filter=${encodeURIComponent(`${CUSTOM_URN}:costBand eq "b2"`)}`);
    expect(found.body.totalResults).toBe(1);
  });

  it('catches up on changes made while its notification connection was down (version check on reconnect)', async () => {
    // Cut every listening session (both replicas), then change a setting while they reconnect.
    await sql(url, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'`);
    expect((await a.request('PUT', '/api/settings', { autoInvite: true })).status).toBe(200);
    await eventually(async () => (await b.request('GET', '/api/settings')).body.autoInvite.value === true, 'replica b to catch up');
    await eventually(async () => (await sql(url, `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'`)).length === 2, 'both replicas to listen again');
    expect((await b.request('PUT', '/api/settings', { autoInvite: false })).status).toBe(200);
    await eventually(async () => (await a.request('GET', '/api/settings')).body.autoInvite.value === false, 'replica a to follow again');
    expect(a.child.exitCode).toBeNull();
    expect(b.child.exitCode).toBeNull();
  });
});

it('sends each invitation exactly once with two replicas polling the same outbox', async () => {
  const url = await createTestDatabase();
  const sink = await SmtpSink.start();
  const env = { SMTP_URL: sink.url, INVITATION_POLL_MS: '50', MAIL_FROM: 'Provisioning <provisioning@example.com>' };
  const [a, b] = await Promise.all([Replica.start(url, env), Replica.start(url, env)]);
  try {
    expect((await a.request('PUT', '/api/settings', { autoInvite: true })).status).toBe(200);
    await eventually(async () => (await b.request('GET', '/api/settings')).body.autoInvite.value === true, 'replica b to see autoInvite');
    const count = 30;
    const created = await Promise.all(
      Array.from({ length: count }, (_, i) => (i % 2 === 0 ? a : b).request('POST', '/Users', oktaUser(`invitee.${i}@example.com`))),
    );
    expect(created.map((r) => r.status)).toEqual(created.map(() => 201));
    await eventually(
      async () => (await sql(url, `SELECT count(*)::int AS n FROM invitations WHERE status = 'sent'`))[0].n === count,
      'every invitation to be marked sent',
      20_000,
    );
    // Every e-mail is sent before its invitation is marked sent: the sink has them all now.
    const recipients = sink.messages.map((m) => m.to.join(','));
    expect(recipients).toHaveLength(count);
    expect(new Set(recipients).size).toBe(count);
    const [row] = await sql(url, `SELECT count(*)::int AS n, max(attempts)::int AS attempts FROM invitations`);
    expect(row).toEqual({ n: count, attempts: 1 });
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await sink.stop();
    await dropTestDatabase(url);
  }
}, HEAVY_TEST_MS);

it('runs activity retention on one replica per period', async () => {
  const url = await createTestDatabase();
  // A first replica creates the schema; the old entries are then written straight into the table.
  const first = await Replica.start(url, { ACTIVITY_RETENTION_DAYS: '30' });
  await first.stop();
  await sql(url, 'DELETE FROM job_runs');
  // The log is appended in time order (retention cuts a seq range): the first start's own entries (the
  // portal account it created) would be newer than these yet numbered before them, so they go first.
  await sql(url, 'DELETE FROM activity');
  await sql(url, `INSERT INTO activity (at, actor, action, resource_type, summary) SELECT '2000-01-01T00:00:00.000Z', 'system', 'test.old', 'User', 'old ' || g FROM generate_series(1, 50) g`);
  const [a, b] = await Promise.all([Replica.start(url, { ACTIVITY_RETENTION_DAYS: '30' }), Replica.start(url, { ACTIVITY_RETENTION_DAYS: '30' })]);
  try {
    const outcome = (r: Replica) => (r.output.includes('activity retention ran') ? 'ran' : r.output.includes('activity retention skipped') ? 'skipped' : undefined);
    await eventually(() => outcome(a) !== undefined && outcome(b) !== undefined, 'both replicas to decide');
    expect([outcome(a), outcome(b)].sort()).toEqual(['ran', 'skipped']);
    expect((await sql(url, `SELECT count(*)::int AS n FROM activity WHERE action = 'test.old'`))[0].n).toBe(0);
    expect(await sql(url, 'SELECT name FROM job_runs')).toEqual([{ name: 'activity-retention' }]);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await dropTestDatabase(url);
  }
});

it('loses no acknowledged write when a replica is killed (SIGKILL) under write load', async () => {
  const url = await createTestDatabase();
  const [a, b] = await Promise.all([Replica.start(url), Replica.start(url)]);
  try {
    const acknowledged: string[] = [];
    let n = 0;
    let killed = false;
    const writer = async (replica: Replica) => {
      while (n < 400) {
        const i = n++;
        if (replica === a && killed) return;
        try {
          const reply = await replica.request('POST', '/Users', oktaUser(`load.${i}@example.com`));
          if (reply.status === 201) acknowledged.push(reply.body.id);
        } catch {
          // the connection to the killed replica broke: that write was never acknowledged
          if (replica === a) return;
        }
      }
    };
    const writers = [writer(a), writer(a), writer(a), writer(b), writer(b), writer(b)];
    await eventually(() => acknowledged.length >= 60, 'writes to be under way');
    killed = true;
    await a.kill();
    await Promise.all(writers);
    expect(acknowledged.length).toBeGreaterThan(60);
    const stored = new Set((await sql<{ id: string }>(url, 'SELECT id FROM scim_users')).map((r) => r.id));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    // The surviving replica answers for all of them.
    const list = await b.request('GET', '/Users?count=1');
    expect(list.body.totalResults).toBe(stored.size);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
    await dropTestDatabase(url);
  }
}, HEAVY_TEST_MS);
