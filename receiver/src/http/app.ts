import { randomUUID, timingSafeEqual } from 'node:crypto';
import compress from '@fastify/compress';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import Fastify from 'fastify';
import type { Logger } from 'pino';
import type { TokenVerifier } from '../auth/tokens';
import { sha256Hex, tokenFromHeader } from '../auth/tokens';
import { Discovery } from '../scim/discovery';
import { errorBody } from '../scim/errors';
import { GroupsService } from '../scim/groups-service';
import type { SchemaCatalog } from '../schema/resource-types';
import type { ProvisioningPolicy } from '../scim/users-service';
import { UsersService } from '../scim/users-service';
import type { AdminRoutesOptions } from './admin-routes';
import { adminRoutes } from './admin-routes';
import type { InvitationsService } from '../admin/invitations-service';
import { inviteRoutes } from './invite-routes';
import type { ScimStore } from '../store/types';
import type { ReceiverLimits } from '../scim/limits';
import { DEFAULT_LIMITS } from '../scim/limits';
import { installErrorHandler, installProtocolErrorHandlers, scimClientErrorHandler, scimFrameworkErrors } from './error-handler';
import { redactUrl } from './log-redaction';
import type { PortalOptions } from './portal/portal-options';
import { portalFrameworkError, portalPlugin } from './portal/portal-plugin';
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
  /** Filters, values, list bytes, query time (defaults: DEFAULT_LIMITS). */
  readonly limits?: ReceiverLimits;
  /** Compress responses of at least this many bytes for clients that accept it; 0 disables (default 1024). */
  readonly compressionMinBytes?: number;
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

/** The request as logged: the URL without invitation tokens or credential-like query values. */
function loggedRequest(request: FastifyRequest) {
  return { method: request.method, url: redactUrl(request.url), host: request.host, remoteAddress: request.ip, remotePort: request.socket?.remotePort };
}

/** Ids, URNs and invitation tokens are far shorter; longer path segments still reach authentication first. */
const MAX_PARAM_LENGTH = 2048;

/** Builds the HTTP application; listening, signals and bootstrap belong to the caller. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const scimErrors = scimFrameworkErrors({ scim: options.verifier, ...(options.admin ? { admin: options.admin.verifier } : {}) });
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // Every request's log lines go through a child logger: give it the redacting request serializer.
    childLoggerFactory: (logger, bindings, childOptions) =>
      logger.child(bindings, { ...childOptions, serializers: { ...childOptions.serializers, req: loggedRequest } }),
    // Bad percent-encoding, raw non-ASCII bytes, over-long path parameters: SCIM bodies, authentication first
    // (under /admin, the portal's HTML error page).
    clientErrorHandler: scimClientErrorHandler,
    frameworkErrors: (error, request, reply) =>
      options.portal && /^\/admin(?:[/?]|$)/.test(request.raw.url ?? '') ? portalFrameworkError(error, request, reply) : scimErrors(error, request, reply),
    bodyLimit: options.bodyLimitBytes,
    trustProxy: options.trustProxy ?? false,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Okta closes the socket after 60 s; answer (or fail) well before that.
    connectionTimeout: 0,
    requestTimeout: 55_000,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, caseSensitive: true, maxParamLength: MAX_PARAM_LENGTH },
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  installProtocolErrorHandlers(app);

  // Okta sends Accept-Encoding: gzip,deflate (docs/okta-scim-behavior.md §2): large pages (a 5,000-member group) shrink ~10×.
  if ((options.compressionMinBytes ?? 1024) > 0) {
    await app.register(compress, { threshold: options.compressionMinBytes ?? 1024, encodings: ['br', 'gzip', 'deflate'], globalDecompression: false });
  }

  // Both media types, with or without charset (docs/okta-scim-behavior.md §2); an empty body (DELETE with a Content-Type) is no body.
  // Only these: Fastify's text/plain parser would turn a text body into 400 invalidSyntax instead of 415.
  app.removeAllContentTypeParsers();
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

  const serviceLimits = {
    defaultCount: options.defaultPageSize,
    maxCount: options.maxPageSize,
    filter: limits.filter,
    values: limits.values,
    maxResponseBytes: limits.maxResponseBytes,
    queryTimeLimitMs: limits.queryTimeLimitMs,
  };
  const users = new UsersService(options.store, options.catalog, serviceLimits, options.policy);
  const groups = new GroupsService(options.store, options.catalog, serviceLimits);
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
