import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import type { Logger } from 'pino';
import type { TokenVerifier } from '../auth/tokens';
import { sha256Hex, tokenFromHeader } from '../auth/tokens';
import { Discovery } from '../scim/discovery';
import { errorBody } from '../scim/errors';
import { GroupsService } from '../scim/groups-service';
import type { SchemaCatalog } from '../scim/resource-types';
import type { ProvisioningPolicy } from '../scim/users-service';
import { UsersService } from '../scim/users-service';
import type { AdminRoutesOptions } from './admin-routes';
import { adminRoutes } from './admin-routes';
import type { InvitationsService } from '../admin/invitations-service';
import { inviteRoutes } from './invite-routes';
import type { ScimStore } from '../store/types';
import { installErrorHandler } from './error-handler';
import type { PortalOptions } from './portal/portal-options';
import { portalPlugin } from './portal/portal-plugin';
import { installMetrics } from './metrics';
import { sendScim } from './reply';
import { scimRoutes } from './scim-routes';

export interface AppOptions {
  readonly store: ScimStore;
  readonly verifier: TokenVerifier;
  readonly catalog: SchemaCatalog;
  readonly logger: Logger;
  readonly bodyLimitBytes: number;
  readonly rateLimitPerMinute: number;
  readonly defaultPageSize: number;
  readonly maxPageSize: number;
  readonly metricsTokenHashes: readonly string[];
  readonly publicUrl?: string;
  readonly trustProxy?: boolean;
  readonly policy?: ProvisioningPolicy;
  /** The admin API and invitation pages; omitted in SCIM-only setups (tests of the protocol layer). */
  readonly admin?: AdminRoutesOptions & { invitations: InvitationsService };
  /** The admin portal under /admin (and `/` redirecting there). */
  readonly portal?: PortalOptions;
}

const JSON_TYPES = ['application/json', 'application/scim+json'];

/** Query parameters that carry one-time credentials (the OIDC callback's `code` and `state`). */
const SECRET_QUERY = /([?&](?:code|state|id_token|access_token)=)[^&#]*/g;

/** Fastify's request log line, with SECRET_QUERY values redacted from the URL. */
function requestLine(request: { method?: string; url?: string; host?: string; ip?: string; socket?: { remotePort?: number } }) {
  return {
    method: request.method,
    url: request.url?.replace(SECRET_QUERY, '$1[redacted]'),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

/** Builds the HTTP application; listening, signals and bootstrap belong to the caller. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // Fastify merges a logger's `serializers` over its own: the request line keeps its shape, minus one-time secrets.
    loggerInstance: Object.assign(options.logger.child({}), { serializers: { req: requestLine } }) as unknown as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes,
    trustProxy: options.trustProxy ?? false,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Okta closes the socket after 60 s; answer (or fail) well before that.
    connectionTimeout: 0,
    requestTimeout: 55_000,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: true },
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // Both media types, with or without charset (doc §2); an empty body (DELETE with a Content-Type) is no body.
  app.removeContentTypeParser(['application/json']);
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser(JSON_TYPES, { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, body as string, done);
  });

  installErrorHandler(app, options.bodyLimitBytes);
  const registry = installMetrics(app);

  const limits = { defaultCount: options.defaultPageSize, maxCount: options.maxPageSize };
  const users = new UsersService(options.store, options.catalog, limits, options.policy);
  const groups = new GroupsService(options.store, options.catalog, limits);
  const discovery = new Discovery(options.catalog, { maxResults: options.maxPageSize, maxPayloadSize: options.bodyLimitBytes });

  await app.register(scimRoutes, {
    prefix: '/scim/v2',
    verifier: options.verifier,
    users,
    groups,
    discovery,
    catalog: options.catalog,
    rateLimitPerMinute: options.rateLimitPerMinute,
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
  });

  if (options.admin) {
    await app.register(adminRoutes, { prefix: '/api', ...options.admin });
    await app.register(inviteRoutes, { prefix: '/invite', invitations: options.admin.invitations });
  }

  if (options.portal) {
    await app.register(portalPlugin, { prefix: '/admin', ...options.portal });
    app.get('/', async (_request, reply) => reply.redirect('/admin/users', 303));
  }

  // Probes carry no data and must work without credentials (orchestrators call them).
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (request, reply) => {
    try {
      await options.store.ping();
      return { status: 'ready' };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      return reply.code(503).send({ status: 'unavailable', detail: 'database unreachable' });
    }
  });

  const metricsDigests = options.metricsTokenHashes.map((h) => Buffer.from(h, 'hex'));
  app.get('/metrics', async (request, reply) => {
    // A dedicated metrics token, or any SCIM token.
    const token = tokenFromHeader(request.headers.authorization);
    const digest = token ? Buffer.from(sha256Hex(token), 'hex') : undefined;
    const allowed =
      digest !== undefined &&
      (metricsDigests.some((d) => timingSafeEqual(d, digest)) || options.verifier.verify(request.headers.authorization) !== undefined);
    if (!allowed) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="metrics"').send({ status: 401, detail: 'Authentication required.' });
    }
    return reply.header('content-type', registry.contentType).send(await registry.metrics());
  });

  app.setNotFoundHandler(async (request, reply) => sendScim(reply, 404, errorBody(404, `No endpoint ${request.method} ${request.url.split('?')[0]}.`)));
  return app;
}
