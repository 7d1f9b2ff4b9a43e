import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Clock } from '../../time/clock';
import { isoTime } from '../../time/clock';
import type { Tables } from '../sql/tables';
import type { JobCoordinator } from '../types';

/**
 * One replica per period: a session advisory lock while the job runs (a second replica skips rather
 * than waits), and the job_runs table so a replica whose timer fires just after another's run skips too.
 */
export class PostgresJobs implements JobCoordinator {
  constructor(
    private readonly db: Kysely<Tables>,
    private readonly clock: Clock,
  ) {}

  async runExclusive(name: string, minIntervalMs: number, job: () => Promise<void>): Promise<boolean> {
    return this.db.connection().execute(async (conn) => {
      const key = `okta-scim-kit:job:${name}`;
      const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_lock(hashtext(${key})) AS locked`.execute(conn);
      if (!rows[0]?.locked) return false;
      try {
        const last = await sql<{ last_run: string }>`SELECT last_run FROM job_runs WHERE name = ${name}`.execute(conn);
        const lastRun = last.rows[0] ? Date.parse(last.rows[0].last_run) : Number.NaN;
        if (this.clock.now() - lastRun < minIntervalMs) return false;
        await job();
        const at = isoTime(this.clock);
        await sql`INSERT INTO job_runs (name, last_run) VALUES (${name}, ${at})
          ON CONFLICT (name) DO UPDATE SET last_run = excluded.last_run`.execute(conn);
        return true;
      } finally {
        await sql`SELECT pg_advisory_unlock(hashtext(${key}))`.execute(conn);
      }
    });
  }
}
