import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TokenVerifier } from '../auth/tokens';
import type { Discovery } from '../scim/discovery';
import { ScimError, errorBody, invalidValue, notFound } from '../scim/errors';
import type { GroupsService } from '../scim/groups-service';
import { Projection } from '../scim/projection';
import { etagOf, versionFromEtag } from '../scim/representation';
import type { ResourceKind, SchemaCatalog } from '../schema/resource-types';
import type { RequestContext, ResourceResult, UsersService } from '../scim/users-service';
import { sendScim } from './reply';

export interface ScimRoutesOptions {
  readonly verifier: TokenVerifier;
  readonly users: UsersService;
  readonly groups: GroupsService;
  readonly discovery: Discovery;
  readonly catalog: SchemaCatalog;
  readonly publicUrl?: string;
  readonly rateLimitPerMinute: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The credential that authenticated this request (set by the SCIM auth hook). */
    credentialId?: string;
  }
}

type IdParams = { Params: { id: string } };
type Query = Record<string, string | string[] | undefined>;

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** /scim/v2: every route, including unknown ones, requires a valid bearer token. */
export async function scimRoutes(app: FastifyInstance, options: ScimRoutesOptions): Promise<void> {
  const { verifier, users, groups, discovery, catalog } = options;
  // Declared up front (Fastify keeps the request's shape stable); the auth hook fills it in.
  app.decorateRequest('credentialId', undefined);

  app.addHook('onRequest', async (request, reply) => {
    const credential = verifier.verify(request.headers.authorization);
    if (!credential) {
      // Nothing about why (missing, malformed, unknown, inactive): that would help an attacker.
      reply.header('www-authenticate', 'Bearer realm="scim"');
      return sendScim(reply, 401, errorBody(401, 'Authentication failed: a valid bearer token is required.'));
    }
    request.credentialId = credential.id;
  });

  if (options.rateLimitPerMinute > 0) {
    await app.register(rateLimit, {
      hook: 'preHandler',
      max: options.rateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request) => request.credentialId ?? request.ip,
      addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
      errorResponseBuilder: (_request, context) => ({ statusCode: 429, message: `Rate limit of ${context.max} requests per minute exceeded.` }),
    });
  }

  const baseUrl = (request: FastifyRequest) => options.publicUrl ? `${options.publicUrl}/scim/v2` : `${request.protocol}://${request.host}/scim/v2`;

  const context = (request: FastifyRequest): RequestContext => {
    const header = request.headers['if-match'];
    const ifMatch = typeof header === 'string' && header.trim() !== '*' ? versionFromEtag(header) : undefined;
    if (typeof header === 'string' && header.trim() !== '*' && ifMatch === undefined) {
      throw new ScimError(412, `If-Match ${JSON.stringify(header)} names no version of this resource.`);
    }
    return {
      baseUrl: baseUrl(request),
      ...(ifMatch !== undefined ? { ifMatch } : {}),
      ...(request.credentialId ? { actor: request.credentialId } : {}),
    };
  };

  const projection = (kind: ResourceKind, request: FastifyRequest) => {
    const query = request.query as Query;
    const attributes = firstValue(query.attributes);
    const excluded = firstValue(query.excludedAttributes);
    return Projection.parse(catalog.resourceType(kind), attributes, excluded);
  };

  const sendResource = (reply: FastifyReply, status: number, result: ResourceResult) => {
    reply.header('etag', etagOf(result.version));
    return sendScim(reply, status, result.resource);
  };

  const sendCreated = (request: FastifyRequest, reply: FastifyReply, result: ResourceResult) => {
    const location = (result.resource.meta as { location?: string } | undefined)?.location;
    if (location) reply.header('location', location);
    return sendResource(reply, 201, result);
  };

  /** GET with If-None-Match naming the current version: 304, nothing to send. */
  const sendRead = (request: FastifyRequest, reply: FastifyReply, result: ResourceResult) => {
    const ifNoneMatch = request.headers['if-none-match'];
    if (typeof ifNoneMatch === 'string' && versionFromEtag(ifNoneMatch) === result.version) {
      return reply.code(304).header('etag', etagOf(result.version)).send();
    }
    return sendResource(reply, 200, result);
  };

  const searchBody = (request: FastifyRequest) => {
    const body = request.body;
    if (body === undefined) return {};
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidValue('A search request must be a JSON object.');
    return body;
  };

  // Users
  app.get('/Users', async (request, reply) => sendScim(reply, 200, await users.list(request.query, context(request))));
  app.post('/Users/.search', async (request, reply) => sendScim(reply, 200, await users.list(searchBody(request), context(request))));
  app.post('/Users', async (request, reply) => sendCreated(request, reply, await users.create(request.body, context(request))));
  app.get<IdParams>('/Users/:id', async (request, reply) =>
    sendRead(request, reply, await users.get(request.params.id, projection('User', request), context(request))),
  );
  app.put<IdParams>('/Users/:id', async (request, reply) =>
    sendResource(reply, 200, await users.replace(request.params.id, request.body, context(request))),
  );
  app.patch<IdParams>('/Users/:id', async (request, reply) =>
    sendResource(reply, 200, await users.patch(request.params.id, request.body, context(request))),
  );
  app.delete<IdParams>('/Users/:id', async (request, reply) => {
    await users.delete(request.params.id, context(request));
    return reply.code(204).send();
  });

  // Groups
  app.get('/Groups', async (request, reply) => sendScim(reply, 200, await groups.list(request.query, context(request))));
  app.post('/Groups/.search', async (request, reply) => sendScim(reply, 200, await groups.list(searchBody(request), context(request))));
  app.post('/Groups', async (request, reply) => sendCreated(request, reply, await groups.create(request.body, context(request))));
  app.get<IdParams>('/Groups/:id', async (request, reply) =>
    sendRead(request, reply, await groups.get(request.params.id, projection('Group', request), context(request))),
  );
  app.put<IdParams>('/Groups/:id', async (request, reply) =>
    sendResource(reply, 200, await groups.replace(request.params.id, request.body, projection('Group', request), context(request))),
  );
  app.patch<IdParams>('/Groups/:id', async (request, reply) =>
    sendResource(reply, 200, await groups.patch(request.params.id, request.body, projection('Group', request), context(request))),
  );
  app.delete<IdParams>('/Groups/:id', async (request, reply) => {
    await groups.delete(request.params.id, context(request));
    return reply.code(204).send();
  });

  // Discovery
  app.get('/ServiceProviderConfig', async (request, reply) => sendScim(reply, 200, discovery.serviceProviderConfig(baseUrl(request))));
  app.get('/ResourceTypes', async (request, reply) => sendScim(reply, 200, discovery.resourceTypes(baseUrl(request))));
  app.get<{ Params: { name: string } }>('/ResourceTypes/:name', async (request, reply) =>
    sendScim(reply, 200, discovery.resourceTypeByName(request.params.name, baseUrl(request))),
  );
  app.get('/Schemas', async (request, reply) => sendScim(reply, 200, discovery.schemas(baseUrl(request))));
  app.get<{ Params: { urn: string } }>('/Schemas/:urn', async (request, reply) =>
    sendScim(reply, 200, discovery.schemaById(request.params.urn, baseUrl(request))),
  );

  // Declared unsupported in ServiceProviderConfig; answered explicitly rather than as unknown routes.
  app.post('/Bulk', async (_request, reply) => sendScim(reply, 501, errorBody(501, 'Bulk operations are not supported.')));
  app.all('/Me', async (_request, reply) => sendScim(reply, 501, errorBody(501, '/Me is not supported.')));
  // RFC 7644 §3.4.3 search across resource types at the root: not implemented (search /Users/.search or /Groups/.search).
  app.post('/.search', async (_request, reply) =>
    sendScim(reply, 501, errorBody(501, 'Searching across resource types is not supported; use POST /Users/.search or /Groups/.search.')),
  );

  app.setNotFoundHandler(async (request, reply) => {
    const error = notFound(`No SCIM endpoint ${request.method} ${request.url.split('?')[0]}.`);
    return sendScim(reply, 404, error.toBody());
  });
}
