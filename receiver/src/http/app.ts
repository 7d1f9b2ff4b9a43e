import { randomUUID } from 'node:crypto';
import compress from '@fastify/compress';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import Fastify from 'fastify';
import type { Logger } from 'pino';
import { errorBody } from '../scim/errors';
import type { AdminRoutesOptions } from './admin-routes';
import { adminRoutes } from './admin-routes';
import { inviteRoutes } from './invite-routes';
import { installErrorHandler, installProtocolErrorHandlers, scimClientErrorHandler, scimFrameworkErrors } from './error-handler';
import { redactUrl } from './log-redaction';
import { installMetrics } from './metrics';
import type { OperationsRoutesOptions } from './operations-routes';
import { operationsRoutes } from './operations-routes';
import type { PortalOptions } from './portal/portal-options';
import { portalFrameworkError, portalPlugin } from './portal/portal-plugin';
import { sendScim } from './reply';
import type { ScimRoutesOptions } from './scim-routes';
import { scimRoutes } from './scim-routes';
import { installGracefulClose } from './graceful-close';

/**
 * Everything the HTTP surfaces serve, built once by the composition root (server.ts); this layer builds
 * no service and reaches no store.
 */
export interface AppOptions {
  readonly logger: Logger;
  readonly bodyLimitBytes: number;
  /** Compress responses of at least this many bytes for clients that accept it; 0 disables (default 1024). */
  readonly compressionMinBytes?: number;
  readonly trustProxy?: boolean;
  /** `/scim/v2`. */
  readonly scim: ScimRoutesOptions;
  /** `/healthz`, `/readyz`, `/metrics` (the registry comes from here). */
  readonly operations: Omit<OperationsRoutesOptions, 'registry' | 'scimVerifier'>;
  /** The admin API and invitation pages; omitted in SCIM-only setups (tests of the protocol layer). */
  readonly admin?: Omit<AdminRoutesOptions, 'bodyLimitBytes'>;
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
  const scimErrors = scimFrameworkErrors({ scim: options.scim.verifier, ...(options.admin ? { admin: options.admin.verifier } : {}) });
  const app = Fastify({
    // The redacting request serializer, set once on the app's logger: each request's child logger
    // inherits it (Fastify's own `req` serializer yields to it), so no request pays for a serializer set.
    loggerInstance: options.logger.child({}, { serializers: { req: loggedRequest } }) as FastifyBaseLogger,
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
  installGracefulClose(app);

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

  await app.register(scimRoutes, { prefix: '/scim/v2', ...options.scim });

  if (options.admin) {
    await app.register(adminRoutes, { prefix: '/api', ...options.admin, bodyLimitBytes: options.bodyLimitBytes });
    await app.register(inviteRoutes, { prefix: '/invite', invitations: options.admin.invitations });
  }

  if (options.portal) {
    await app.register(portalPlugin, { prefix: '/admin', ...options.portal });
    app.get('/', async (_request, reply) => reply.redirect('/admin/users', 303));
  }

  await app.register(operationsRoutes, { ...options.operations, registry, scimVerifier: options.scim.verifier });

  app.setNotFoundHandler(async (request, reply) => sendScim(reply, 404, errorBody(404, `No endpoint ${request.method} ${request.url.split('?')[0]}.`)));
  return app;
}
