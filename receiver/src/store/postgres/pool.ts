import { createHash } from 'node:crypto';
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type { Pool, PoolClient, QueryConfig } from 'pg';
import { StoreUnavailableError } from '../errors';
import { translatePgError, transientReason } from './transient-errors';

/**
 * Statements prepared server-side, so a lookup is bound and executed instead of parsed and planned
 * each time (planning costs several times the execution of an indexed lookup). Only the first texts
 * seen get a name: the receiver's fixed queries and the few filter shapes Okta sends; the cap bounds
 * the server memory whatever filters clients invent (later texts run unnamed, as before).
 */
const PREPARED_LIMIT = 200;
const names = new Map<string, string>();
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;

function statement(text: string, values: unknown[]): QueryConfig {
  let name = names.get(text);
  if (name === undefined && names.size < PREPARED_LIMIT && PREPARABLE.test(text)) {
    name = `okta_scim_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name === undefined ? { text, values } : { name, text, values };
}

/**
 * A prepared statement outlived a schema change another replica's migration made (a rolling upgrade):
 * this connection's plans are stale, so it is replaced (and the request answered 503, to be retried).
 */
function stalePlan(error: unknown): boolean {
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; message?: unknown };
  return code === '0A000' && typeof message === 'string' && /cached plan must not change result type/.test(message);
}

/**
 * The pg pool as Kysely sees it, with every transient failure (refused connection, dropped socket,
 * admin shutdown, serialization failure) turned into StoreUnavailableError at the one place all
 * queries pass. A client that saw a connection failure is destroyed on release instead of reused.
 */
export function translatingPool(pool: Pool): PostgresPool {
  return {
    async connect(): Promise<PostgresPoolClient> {
      let client: PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw translatePgError(error);
      }
      let broken = false;
      // A checked-out client whose connection drops between two queries (inside a transaction) emits
      // 'error' with no one to catch it: the process would crash. Mark it broken; the next query fails
      // (translated) and release destroys it.
      const onError = () => {
        broken = true;
      };
      client.on('error', onError);
      return {
        query: (async (sqlText: string, parameters: readonly unknown[]) => {
          try {
            return (await client.query(statement(sqlText, [...parameters]))) as unknown as PostgresQueryResult<unknown>;
          } catch (error) {
            if (stalePlan(error)) {
              broken = true;
              throw new StoreUnavailableError('the schema changed under a prepared statement', { cause: error });
            }
            const reason = transientReason(error);
            // A serialization failure or a statement_timeout cancel leaves the connection usable; a network failure does not.
            if (reason && !/^PostgreSQL error (40|57014)/.test(reason)) broken = true;
            throw translatePgError(error);
          }
        }) as PostgresPoolClient['query'],
        release: (destroy?: boolean) => {
          client.off('error', onError);
          client.release(destroy || broken);
        },
      };
    },
    end: () => pool.end(),
  };
}
