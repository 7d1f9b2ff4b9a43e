import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { Logger } from 'pino';
import { TokenVerifier, generateTokenSecret, sha256Hex } from './auth/tokens';
import { buildApp } from './http/app';
import { staticSchemaCatalog } from './scim/resource-types';
import type { Settings } from './settings';
import { openSqliteStore } from './store/sqlite/open-sqlite-store';
import type { ScimStore } from './store/types';

export interface RunningReceiver {
  readonly app: FastifyInstance;
  readonly store: ScimStore;
  /** e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly scimBaseUrl: string;
  /** Stops accepting connections, lets in-flight requests finish, then closes the database. */
  close(): Promise<void>;
}

export function createLogger(level: string): Logger {
  return pino({
    level,
    // Defence in depth: request serializers do not log headers, but nothing may ever print a token.
    redact: { paths: ['req.headers.authorization', 'headers.authorization', '*.password', 'password'], censor: '[redacted]' },
  });
}

/**
 * On a first start with no token configured, creates one and prints it once; only its hash is stored.
 * Returns the plaintext (for printing) or undefined when tokens already exist.
 */
async function bootstrapToken(store: ScimStore, settings: Settings): Promise<string | undefined> {
  if (settings.tokenHashes.length > 0) return undefined;
  if ((await store.tokens.list()).length > 0) return undefined;
  const secret = generateTokenSecret();
  await store.tokens.insert({ label: 'bootstrap', sha256: sha256Hex(secret) });
  return secret;
}

export async function startReceiver(
  settings: Settings,
  output: { print: (line: string) => void; logger?: Logger } = { print: (line) => process.stdout.write(`${line}\n`) },
): Promise<RunningReceiver> {
  const logger = output.logger ?? createLogger(settings.logLevel);
  const store = await openSqliteStore({ file: settings.sqliteFile, synchronous: settings.sqliteSynchronous });
  try {
    const bootstrap = await bootstrapToken(store, settings);
    const verifier = new TokenVerifier(store.tokens, settings.tokenHashes);
    await verifier.reload();
    const app = await buildApp({
      store,
      verifier,
      catalog: staticSchemaCatalog,
      logger,
      bodyLimitBytes: settings.bodyLimitBytes,
      rateLimitPerMinute: settings.rateLimitPerMinute,
      defaultPageSize: settings.defaultPageSize,
      maxPageSize: settings.maxPageSize,
      metricsTokenHashes: settings.metricsTokenHashes,
      trustProxy: settings.trustProxy,
      ...(settings.publicUrl ? { publicUrl: settings.publicUrl } : {}),
      onUnknownUrns: (urns, userName) => logger.warn({ urns, userName }, 'ignored attributes under unknown schema URNs'),
    });
    await app.listen({ port: settings.port, host: settings.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : settings.port;
    const shownHost = settings.host === '0.0.0.0' || settings.host === '::' || settings.host === '127.0.0.1' ? 'localhost' : settings.host;
    const url = settings.publicUrl ?? `http://${shownHost}:${port}`;
    const scimBaseUrl = `${url}/scim/v2`;
    output.print(`SCIM base URL: ${scimBaseUrl}`);
    if (bootstrap) {
      output.print(`SCIM bearer token (shown once; only its SHA-256 is stored): ${bootstrap}`);
    } else {
      output.print(`SCIM tokens: ${verifier.count} active (${settings.tokenHashes.length} from SCIM_TOKEN_SHA256)`);
    }
    logger.info({ sqliteFile: settings.sqliteFile, port }, 'receiver started');
    return {
      app,
      store,
      url: `http://${settings.host.includes(':') ? `[${settings.host}]` : settings.host}:${port}`,
      scimBaseUrl,
      close: async () => {
        await app.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
