/**
 * PostgreSQL restarted under load, on a throw-away cluster: while it is down the receiver answers 503
 * with Retry-After (never 500, never a crash) and /readyz is false; it recovers by itself.
 */
import { oktaUser } from '../receiver/support/harness';
import { ThrowawayCluster } from './support/cluster';
import { Replica, eventually } from './support/replica';

let cluster: ThrowawayCluster;
beforeAll(async () => {
  cluster = await ThrowawayCluster.create();
});
afterAll(() => {
  cluster?.destroy();
});

it('answers 503 with Retry-After while PostgreSQL is down, reports not ready, and recovers by itself', async () => {
  const replica = await Replica.start(cluster.url, { DATABASE_CONNECT_TIMEOUT_MS: '1000' });
  const statuses = new Map<number, number>();
  let retryAfterMissing = 0;
  let i = 0;
  let loading = true;
  const load = async () => {
    while (loading) {
      const n = i++;
      const reply = n % 2 === 0 ? await replica.request('POST', '/Users', oktaUser(`fault.${n}@example.com`)) : await replica.request('GET', '/Users?count=5');
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      if (reply.status === 503 && reply.headers.get('retry-after') !== '1') retryAfterMissing++;
      if (reply.status === 503) await new Promise((r) => setTimeout(r, 20));
    }
  };
  const workers = [load(), load(), load(), load()];
  try {
    await eventually(() => (statuses.get(201) ?? 0) >= 10, 'load to be under way');
    cluster.stop();
    await eventually(() => (statuses.get(503) ?? 0) >= 10, 'requests to be refused with 503');
    const notReady = await replica.request('GET', '/readyz');
    expect(notReady.status).toBe(503);

    cluster.start();
    await eventually(async () => (await replica.request('GET', '/readyz')).status === 200, 'readiness to return', 20_000);
    const createdBefore = statuses.get(201) ?? 0;
    await eventually(() => (statuses.get(201) ?? 0) >= createdBefore + 10, 'writes to succeed again', 20_000);
  } catch (error) {
    throw new Error(`${String(error)}\nreceiver output:\n${replica.output.slice(-4000)}`);
  } finally {
    loading = false;
    await Promise.allSettled(workers);
  }
  expect([...statuses.keys()].sort()).toEqual([200, 201, 503]);
  expect(retryAfterMissing).toBe(0);
  expect(replica.child.exitCode).toBeNull();
  // The admin API writes again too.
  expect((await replica.request('PUT', '/api/settings', { autoInvite: true })).status).toBe(200);
  expect(replica.output).not.toMatch(/"level":60|uncaught|unhandled/i);
  expect(await replica.stop()).toBe(0);
});
