/**
 * Group commit in the SQLite store: concurrent writes share one transaction (one fsync) and each is
 * answered only after that commit; a failing write inside a batch fails alone. Read through a second,
 * independent connection to the same file, which sees committed data only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { UniqueViolationError, VersionMismatchError } from '../../receiver/src/store/errors';
import { openSqliteStore } from '../../receiver/src/store/sqlite/open-sqlite-store';
import { systemClock } from '../../receiver/src/time/clock';
import type { ScimStore } from '../../receiver/src/store/types';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
let dir: string;
let store: ScimStore;
let outside: Database.Database;

const user = (userName: string) => ({ schemas: [USER], userName, active: true });
const committedUsers = () => (outside.prepare('SELECT user_name FROM scim_users ORDER BY seq').all() as { user_name: string }[]).map((r) => r.user_name);

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
  store = await openSqliteStore({ file: join(dir, 'receiver.db'), clock: systemClock });
  outside = new Database(join(dir, 'receiver.db'), { readonly: true });
});

afterEach(async () => {
  outside.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('answers every concurrent write only once all of them are committed together', async () => {
  const writes = Array.from({ length: 10 }, (_, i) => store.users.create(user(`batch.${i}@example.com`), { activity: { actor: 't', action: 'user.create', resourceType: 'User', summary: `u${i}` } }));
  // Nothing is visible outside before the batch commits, and the first answer comes after it did:
  // by then every write of the batch is durable, not just the first one.
  expect(committedUsers()).toEqual([]);
  await Promise.race(writes);
  expect(committedUsers()).toHaveLength(10);
  await Promise.all(writes);
});

it('fails only the write that fails inside a batch (a savepoint per write), the others commit', async () => {
  await store.users.create(user('taken@example.com'));
  const results = await Promise.allSettled([
    store.users.create(user('first@example.com'), { activity: { actor: 't', action: 'user.create', resourceType: 'User', summary: 'first' } }),
    store.users.create(user('TAKEN@example.com'), { activity: { actor: 't', action: 'user.create', resourceType: 'User', summary: 'dup' } }),
    store.users.create(user('second@example.com')),
    store.users.create(user('Taken@Example.com')),
    store.users.create(user('third@example.com'), { activity: { actor: 't', action: 'user.create', resourceType: 'User', summary: 'third' } }),
  ]);
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
  expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(UniqueViolationError);
  expect((results[3] as PromiseRejectedResult).reason).toBeInstanceOf(UniqueViolationError);
  expect(committedUsers()).toEqual(['taken@example.com', 'first@example.com', 'second@example.com', 'third@example.com']);
  // The failed transaction's activity row was rolled back with it; the others' were kept.
  const summaries = (outside.prepare('SELECT summary FROM activity ORDER BY seq').all() as { summary: string }[]).map((r) => r.summary);
  expect(summaries).toEqual(['first', 'third']);
});

it('rolls back a read-modify-write that throws inside a batch without touching its neighbours', async () => {
  const a = await store.users.create(user('a@example.com'));
  const b = await store.users.create(user('b@example.com'));
  const [stale, fresh] = await Promise.allSettled([
    store.users.update(a.id, (current) => ({ ...current.data, title: 'never' }), { groups: false, ifVersion: 7 }),
    store.users.update(b.id, (current) => ({ ...current.data, title: 'kept' }), { groups: false }),
  ]);
  expect(stale.status).toBe('rejected');
  expect((stale as PromiseRejectedResult).reason).toBeInstanceOf(VersionMismatchError);
  expect(fresh.status).toBe('fulfilled');
  const titles = outside.prepare("SELECT user_name, json_extract(data, '$.title') AS title FROM scim_users ORDER BY seq").all();
  expect(titles).toEqual([
    { user_name: 'a@example.com', title: null },
    { user_name: 'b@example.com', title: 'kept' },
  ]);
});

it('answers a read that saw a batch\'s uncommitted rows only after that batch committed', async () => {
  const write = store.users.create(user('seen@example.com'));
  const read = store.users.list({ startIndex: 1, count: 10 }, { groups: false });
  const page = await read;
  // The page shows the new user, so its commit must already be durable.
  expect(page.items.map((u) => u.data.userName)).toEqual(['seen@example.com']);
  expect(committedUsers()).toEqual(['seen@example.com']);
  await write;
});

it('commits what is pending when the store closes', async () => {
  const write = store.users.create(user('last@example.com'));
  await store.close();
  await write;
  expect(committedUsers()).toEqual(['last@example.com']);
  store = await openSqliteStore({ file: join(dir, 'receiver.db'), clock: systemClock });
});
