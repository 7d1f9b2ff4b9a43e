import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AdminServices } from '../admin/admin-services';
import { TemplateInput } from '../admin/templates-service';
import { parse } from '../admin/validation';
import type { TokenVerifier } from '../auth/tokens';
import { ActiveStatus, ActivityAction, ResourceId, SearchText, TokenCreate, TokenUpdate } from './admin-options';
import { faultOf } from './classify';

export interface AdminRoutesOptions extends AdminServices {
  readonly verifier: TokenVerifier;
  /** The request body limit (BODY_LIMIT_BYTES), named in a 413. */
  readonly bodyLimitBytes: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** `admin:<key id>` once the admin auth hook accepted the request. */
    adminActor?: string;
  }
}

const Paging = z.object({
  startIndex: z.coerce.number().int().min(1).max(2_147_483_647).default(1),
  count: z.coerce.number().int().min(0).max(1000).default(50),
});

const UserQuery = Paging.extend({
  search: SearchText.optional(),
  status: ActiveStatus.optional(),
  source: z.string().trim().max(100).optional(),
});
const GroupQuery = Paging.extend({ search: SearchText.optional() });

const SettingsUpdate = z.object({ autoInvite: z.boolean().optional() }).strict();
const ActivityQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().min(1).optional(),
  resourceId: ResourceId.optional(),
  action: ActivityAction.optional(),
});
const InvitationQuery = z.object({
  status: z.enum(['pending', 'sent', 'failed']).optional(),
  userId: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

type Params<T extends string> = { Params: Record<T, string> };

function errorReply(reply: FastifyReply, status: number, message: string, field?: string, details?: Record<string, unknown>) {
  return reply.code(status).send({ error: { message, ...(field ? { field } : {}), ...(details ?? {}) } });
}

/** `/api`: the admin API (JSON), authenticated with an admin API key. */
export async function adminRoutes(app: FastifyInstance, options: AdminRoutesOptions): Promise<void> {
  const { catalog, directory, activity, diagnostics, settings, attributes, templates, tokens, invitations } = options;
  // Declared up front (Fastify keeps the request's shape stable); the auth hook fills it in.
  app.decorateRequest('adminActor', undefined);

  app.addHook('onRequest', async (request, reply) => {
    const credential = options.verifier.verify(request.headers.authorization);
    if (!credential) {
      reply.header('www-authenticate', 'Bearer realm="admin"');
      return errorReply(reply, 401, 'Authentication failed: an admin API key is required (Authorization: Bearer <key>).');
    }
    request.adminActor = `admin:${credential.id}`;
  });

  // classify.ts decides what an error means; this surface only words it as its JSON.
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const fault = faultOf(error, request, { bodyLimitBytes: options.bodyLimitBytes });
    if (fault.retryAfterSeconds !== undefined) reply.header('retry-after', String(fault.retryAfterSeconds));
    return errorReply(reply, fault.status, fault.detail, fault.field, fault.details);
  });
  app.setNotFoundHandler(async (request, reply) => errorReply(reply, 404, `No admin endpoint ${request.method} ${request.url.split('?')[0]}.`));

  const actor = (request: FastifyRequest) => request.adminActor ?? 'admin';

  // Users
  app.get('/users', async (request) => directory.listUsers(parse(UserQuery, request.query)));
  app.get<Params<'id'>>('/users/:id', async (request) => directory.user(request.params.id));

  app.post<Params<'id'>>('/users/:id/invitations', async (request, reply) => {
    const invitation = await invitations.invite(request.params.id, actor(request));
    return reply.code(201).send(invitation);
  });

  app.get<Params<'id' | 'templateId'>>('/users/:id/templates/:templateId', async (request) => {
    const user = await directory.requireUser(request.params.id);
    const rendered = await templates.render(request.params.templateId, user);
    return { templateId: rendered.template.id, name: rendered.template.name, userId: user.id, fields: rendered.fields, missing: rendered.missing };
  });

  // Groups
  app.get('/groups', async (request) => directory.listGroups(parse(GroupQuery, request.query)));
  app.get<Params<'id'>>('/groups/:id/members', async (request) => {
    const query = parse(Paging, request.query);
    return directory.members(request.params.id, query.startIndex, query.count);
  });

  // Settings
  app.get('/settings', async () => settings.view());
  const updateSettings = async (request: FastifyRequest) => settings.update(parse(SettingsUpdate, request.body), actor(request));
  app.put('/settings', updateSettings);
  app.patch('/settings', updateSettings);

  // Attributes
  app.get('/attributes', async () => ({ extensionUrn: catalog.extensionUrn, items: await attributes.list() }));
  app.post('/attributes', async (request, reply) => reply.code(201).send(await attributes.create(request.body, actor(request))));
  app.get<Params<'name'>>('/attributes/:name', async (request) => attributes.get(request.params.name));
  app.patch<Params<'name'>>('/attributes/:name', async (request) => attributes.update(request.params.name, request.body, actor(request)));
  app.delete<Params<'name'> & { Querystring: { force?: string } }>('/attributes/:name', async (request) => {
    const force = request.query.force === 'true' || request.query.force === '1';
    return attributes.remove(request.params.name, force, actor(request));
  });

  // Templates
  app.get('/templates', async () => ({ items: await templates.list() }));
  app.post('/templates', async (request, reply) => reply.code(201).send(await templates.create(parse(TemplateInput, request.body), actor(request))));
  app.get<Params<'id'>>('/templates/:id', async (request) => templates.get(request.params.id));
  app.put<Params<'id'>>('/templates/:id', async (request) => templates.update(request.params.id, parse(TemplateInput, request.body), actor(request)));
  app.delete<Params<'id'>>('/templates/:id', async (request, reply) => {
    await templates.remove(request.params.id, actor(request));
    return reply.code(204).send();
  });
  app.get('/template-variables', async () => ({ items: [...templates.variables().values()].map((v) => `\${${v.name}}`) }));

  // Tokens
  app.get('/tokens', async () => ({ items: await tokens.list() }));
  app.post('/tokens', async (request, reply) => reply.code(201).send(await tokens.generate(parse(TokenCreate, request.body).label, actor(request))));
  app.patch<Params<'id'>>('/tokens/:id', async (request) => tokens.setStatus(request.params.id, parse(TokenUpdate, request.body).status, actor(request)));
  app.post<Params<'id'>>('/tokens/:id/renew', async (request) => tokens.renew(request.params.id, actor(request)));
  app.delete<Params<'id'>>('/tokens/:id', async (request, reply) => {
    await tokens.remove(request.params.id, actor(request));
    return reply.code(204).send();
  });

  // Invitations, activity, diagnostics
  app.get('/invitations', async (request) => {
    const query = parse(InvitationQuery, request.query);
    return { items: await invitations.list({ limit: query.limit, ...(query.status ? { status: query.status } : {}), ...(query.userId ? { userId: query.userId } : {}) }) };
  });

  app.get('/activity', async (request) => activity.list(parse(ActivityQuery, request.query)));
  app.get('/diagnostics', async () => diagnostics.report());
}
