import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AttributesService } from '../admin/attributes-service';
import type { DynamicSchemaCatalog } from '../admin/custom-schema';
import { AdminError, notFoundError } from '../admin/errors';
import type { InvitationsService } from '../admin/invitations-service';
import { SMTP_NOT_CONFIGURED } from '../admin/invitations-service';
import type { SettingsService } from '../admin/settings-service';
import { TemplateInput } from '../admin/templates-service';
import type { TemplatesService } from '../admin/templates-service';
import type { TokensService } from '../admin/tokens-service';
import { parse } from '../admin/validation';
import type { TokenVerifier } from '../auth/tokens';
import { isPlainObject } from '../scim/attribute-values';
import { ScimError } from '../scim/errors';
import { parseFilter } from '../scim/filter';
import { ENTERPRISE_USER_SCHEMA } from '../scim/urns';
import type { ReceiverLimits } from '../scim/limits';
import { DEFAULT_LIMITS } from '../scim/limits';
import { QueryBudgetExceededError } from '../store/errors';
import { undeclaredHint } from '../admin/diagnostics';
import type { ScimStore, UserRecord } from '../store/types';
import { isStoreUnavailable } from '../store/errors';

export interface AdminRoutesOptions {
  readonly verifier: TokenVerifier;
  readonly store: ScimStore;
  readonly catalog: DynamicSchemaCatalog;
  readonly settings: SettingsService;
  readonly attributes: AttributesService;
  readonly templates: TemplatesService;
  readonly tokens: TokensService;
  readonly invitations: InvitationsService;
  readonly smtpConfigured: boolean;
  /** Filter, time and size bounds (the admin search compiles to the same filters as SCIM). */
  readonly limits?: ReceiverLimits;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** `admin:<key id>` once the admin auth hook accepted the request. */
    adminActor?: string;
  }
}

/**
 * The admin search is built here, not typed by a client: its five `co` terms must fit whatever the
 * SCIM filter limits are (a 200-character search, JSON-escaped, is at most ~1,300 characters per term).
 */
function adminFilterLimits(limits: ReceiverLimits) {
  return { ...limits.filter, maxLength: Math.max(limits.filter.maxLength, 8192), maxTerms: Math.max(limits.filter.maxTerms, 8), maxDepth: Math.max(limits.filter.maxDepth, 2) };
}

const Paging = z.object({
  startIndex: z.coerce.number().int().min(1).max(2_147_483_647).default(1),
  count: z.coerce.number().int().min(0).max(1000).default(50),
});

const UserQuery = Paging.extend({
  search: z.string().trim().max(200).optional(),
  status: z.enum(['active', 'inactive']).optional(),
  source: z.string().trim().max(100).optional(),
});

const SettingsUpdate = z.object({ autoInvite: z.boolean().optional() }).strict();
const TokenCreate = z.object({ label: z.string().trim().min(1).max(100).default('SCIM token') }).strict();
const TokenUpdate = z.object({ status: z.enum(['active', 'inactive']) }).strict();
const ActivityQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  before: z.coerce.number().int().min(1).optional(),
  resourceId: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
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
  const { store, catalog, settings, attributes, templates, tokens, invitations } = options;
  const limits = options.limits ?? DEFAULT_LIMITS;
  const bounds = { timeLimitMs: limits.queryTimeLimitMs };

  app.addHook('onRequest', async (request, reply) => {
    const credential = options.verifier.verify(request.headers.authorization);
    if (!credential) {
      reply.header('www-authenticate', 'Bearer realm="admin"');
      return errorReply(reply, 401, 'Authentication failed: an admin API key is required (Authorization: Bearer <key>).');
    }
    request.adminActor = `admin:${credential.id}`;
  });

  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AdminError) return errorReply(reply, error.status, error.message, error.field, error.details);
    if (error instanceof ScimError) return errorReply(reply, error.status, error.detail);
    if (error instanceof QueryBudgetExceededError) {
      return errorReply(reply, 400, `The search took longer than ${error.limitMs} ms (SCIM_QUERY_TIME_LIMIT_MS) and was stopped; search for something more specific.`, 'search');
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return errorReply(reply, 413, 'The request body is too large.');
    if (error.code?.startsWith('FST_ERR_CTP') || error instanceof SyntaxError) return errorReply(reply, 400, `Invalid request body: ${error.message}`, '(body)');
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) return errorReply(reply, error.statusCode, error.message);
    if (isStoreUnavailable(error)) return errorReply(reply.header('retry-after', '1'), 503, 'The database is busy; retry shortly.');
    request.log.error({ err: error }, 'admin API fault');
    return errorReply(reply, 500, `Internal server error (request id ${request.id}).`);
  });
  app.setNotFoundHandler(async (request, reply) => errorReply(reply, 404, `No admin endpoint ${request.method} ${request.url.split('?')[0]}.`));

  const actor = (request: FastifyRequest) => request.adminActor ?? 'admin';

  const tokenLabels = async () => new Map((await tokens.list()).map((t) => [t.id, t.label]));

  const userSummary = (user: UserRecord, labels: Map<string, string>) => {
    const emails = Array.isArray(user.data.emails) ? user.data.emails.filter(isPlainObject) : [];
    const email = (emails.find((e) => e.primary === true) ?? emails[0])?.value;
    return {
      id: user.id,
      userName: user.data.userName,
      displayName: user.data.displayName,
      email,
      active: user.data.active !== false,
      enrolled: user.enrolledAt !== undefined,
      ...(user.enrolledAt ? { enrolledAt: user.enrolledAt } : {}),
      source: user.createdBy ? { credentialId: user.createdBy, label: labels.get(user.createdBy) ?? 'removed token' } : undefined,
      created: user.created,
      lastModified: user.lastModified,
    };
  };

  // Users
  app.get('/users', async (request) => {
    const query = parse(UserQuery, request.query);
    const type = catalog.resourceType('User');
    const clauses: string[] = [];
    if (query.search) {
      const s = JSON.stringify(query.search);
      clauses.push(`(userName co ${s} or displayName co ${s} or emails.value co ${s} or name.givenName co ${s} or name.familyName co ${s})`);
    }
    if (query.status) clauses.push(`active eq ${query.status === 'active'}`);
    const filter = clauses.length > 0 ? parseFilter(type, clauses.join(' and '), adminFilterLimits(limits)) : undefined;
    const page = await store.users.list(
      { ...(filter ? { filter } : {}), startIndex: query.startIndex, count: query.count, ...bounds },
      { groups: false, ...(query.source ? { createdBy: query.source } : {}) },
    );
    const labels = await tokenLabels();
    return { totalResults: page.totalResults, startIndex: query.startIndex, items: page.items.map((u) => userSummary(u, labels)) };
  });

  app.get<Params<'id'>>('/users/:id', async (request) => {
    const user = await store.users.get(request.params.id, { groups: true });
    if (!user) throw notFoundError(`User ${request.params.id} not found.`);
    const custom = isPlainObject(user.data[catalog.extensionUrn]) ? (user.data[catalog.extensionUrn] as Record<string, unknown>) : {};
    const declared = await store.attributes.list();
    const { [catalog.extensionUrn]: _custom, [ENTERPRISE_USER_SCHEMA]: enterprise, ...core } = user.data;
    return {
      ...userSummary(user, await tokenLabels()),
      groups: user.groups ?? [],
      attributes: {
        core,
        enterprise: enterprise ?? {},
        custom: declared.map((d) => ({
          name: d.name,
          displayName: d.displayName,
          type: d.type,
          multiValued: d.multiValued,
          origin: d.origin,
          // The product's label for attributes that arrive from the identity provider.
          label: d.origin === 'idp' ? 'IDP' : 'CODE',
          value: custom[d.name] ?? null,
        })),
      },
      invitations: await invitations.list({ userId: user.id, limit: 20 }),
    };
  });

  app.post<Params<'id'>>('/users/:id/invitations', async (request, reply) => {
    const invitation = await invitations.invite(request.params.id, actor(request));
    return reply.code(201).send(invitation);
  });

  app.get<Params<'id' | 'templateId'>>('/users/:id/templates/:templateId', async (request) => {
    const user = await store.users.get(request.params.id, { groups: false });
    if (!user) throw notFoundError(`User ${request.params.id} not found.`);
    const rendered = await templates.render(request.params.templateId, user);
    return { templateId: rendered.template.id, name: rendered.template.name, userId: user.id, fields: rendered.fields, missing: rendered.missing };
  });

  // Groups
  app.get('/groups', async (request) => {
    const query = parse(Paging.extend({ search: z.string().trim().max(200).optional() }), request.query);
    const filter = query.search ? parseFilter(catalog.resourceType('Group'), `displayName co ${JSON.stringify(query.search)}`, adminFilterLimits(limits)) : undefined;
    const page = await store.groups.list({ ...(filter ? { filter } : {}), startIndex: query.startIndex, count: query.count, ...bounds }, { members: false });
    const counts = await store.groups.memberCounts(page.items.map((g) => g.id));
    return {
      totalResults: page.totalResults,
      startIndex: query.startIndex,
      items: page.items.map((g) => ({
        id: g.id,
        displayName: g.data.displayName,
        externalId: g.data.externalId,
        memberCount: counts.get(g.id) ?? 0,
        created: g.created,
        lastModified: g.lastModified,
      })),
    };
  });

  app.get<Params<'id'>>('/groups/:id/members', async (request) => {
    const query = parse(Paging, request.query);
    const page = await store.groups.members(request.params.id, query.startIndex, query.count);
    if (!page) throw notFoundError(`Group ${request.params.id} not found.`);
    return { totalResults: page.totalResults, startIndex: query.startIndex, items: page.items.map((m) => ({ id: m.value, display: m.display })) };
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

  app.get('/activity', async (request) => {
    const query = parse(ActivityQuery, request.query);
    const items = await store.activity.list({
      limit: query.limit,
      ...(query.before !== undefined ? { before: query.before } : {}),
      ...(query.resourceId ? { resourceId: query.resourceId } : {}),
      ...(query.action ? { action: query.action } : {}),
    });
    return { items, ...(items.length === query.limit ? { next: items[items.length - 1]!.seq } : {}) };
  });

  app.get('/diagnostics', async () => {
    const undeclared = await store.diagnostics.undeclared();
    const knownUrns = catalog.resourceTypes().flatMap((t) => [t.schema.id, ...t.extensions.map((e) => e.id)]);
    const refused = await invitations.list({ status: 'failed', limit: 20 });
    const invitationCounts = await store.invitations.counts();
    return {
      extensionUrn: catalog.extensionUrn,
      undeclaredAttributes: undeclared.map((u) => ({ ...u, hint: undeclaredHint(u, catalog.extensionUrn, knownUrns) })),
      invitations: {
        ...invitationCounts,
        smtpConfigured: options.smtpConfigured,
        ...(options.smtpConfigured ? {} : { blockedReason: SMTP_NOT_CONFIGURED }),
        // The latest failures with their reasons (a refused recipient is one), for the admin to act on.
        recentFailures: refused.map((i) => ({ id: i.id, userId: i.userId, userName: i.userName, email: i.email, lastError: i.lastError ?? null, created: i.created })),
      },
      tokens: (await tokens.list()).map((t) => ({ id: t.id, label: t.label, status: t.status, lastUsed: t.lastUsed ?? null, managed: t.managed })),
    };
  });
}
