import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AdminError } from '../../admin/errors';
import { TemplateInput } from '../../admin/templates-service';
import type { IssuedToken } from '../../admin/tokens-service';
import { parse } from '../../admin/validation';
import type { PageContext } from '../../portal/context';
import type { Html } from '../../portal/html';
import type { MessageKey } from '../../portal/i18n';
import { activityPage, activityRow } from '../../portal/views/activity';
import { diagnosticsPage } from '../../portal/views/diagnostics';
import { groupPage, groupsPage } from '../../portal/views/groups';
import { url } from '../../portal/views/layout';
import { oktaSetupPage } from '../../portal/views/okta-setup';
import type { AttributeDraft } from '../../portal/views/settings';
import { attributeEditPage, settingsPage } from '../../portal/views/settings';
import type { Preview, TemplateDraft } from '../../portal/views/templates';
import { templateEditPage, templatesPage } from '../../portal/views/templates';
import { tokensPage } from '../../portal/views/tokens';
import type { UserSortChoice, UserTab } from '../../portal/views/users';
import { USER_TABS, userPage, usersPage } from '../../portal/views/users';
import type { TemplateRecord } from '../../store/types';
import { ActiveStatus, ActivityAction, ResourceId, SearchText, TokenCreate, TokenUpdate, optionOf } from '../admin-options';
import type { PortalOptions } from './portal-options';

type Notice = { kind: 'ok' | 'error' | 'warn'; key?: MessageKey; text?: string };

export interface PageHelpers {
  context(request: FastifyRequest, notice?: Notice): PageContext;
  sendHtml(reply: FastifyReply, status: number, body: Html): FastifyReply;
}

type Form = Record<string, unknown>;
type Query = Record<string, string | undefined>;

/** A form or query value as one bounded string ('' when absent). */
function text(source: unknown, name: string, max = 10_000): string {
  const value = (source as Form | undefined)?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.slice(0, max) : '';
}

function list(source: unknown, name: string): string[] {
  const value = (source as Form | undefined)?.[name];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.slice(0, 200).map((v) => (typeof v === 'string' ? v : ''));
}

const PAGE_SIZE = 50;
const SORTS: Record<UserSortChoice, { sort: 'userName' | 'created'; descending: boolean }> = {
  userName: { sort: 'userName', descending: false },
  userNameDesc: { sort: 'userName', descending: true },
  newest: { sort: 'created', descending: true },
  oldest: { sort: 'created', descending: false },
};

/** Refusals of a service (400/409) are shown on the page; anything else goes to the error handler. */
function refusal(error: unknown): Notice {
  if (error instanceof AdminError && error.status !== 404) return { kind: 'error', text: error.message };
  throw error;
}

export function registerPortalPages(app: FastifyInstance, options: PortalOptions, { context, sendHtml }: PageHelpers): void {
  const { directory, activity, diagnostics, settings, attributes, templates, tokens, invitations, catalog } = options;
  const actor = (request: FastifyRequest) => `portal:${request.portalSession!.principal}`;
  const scimBaseUrl = (request: FastifyRequest) => `${options.publicUrl ?? `${request.protocol}://${request.host}`}/scim/v2`;
  const redirect = (reply: FastifyReply, to: string) => reply.redirect(to, 303);

  app.get('/', async (_request, reply) => redirect(reply, url('/users')));

  // Users
  app.get<{ Querystring: Query }>('/users', async (request, reply) => {
    const q = optionOf(SearchText, request.query, 'q');
    const status = optionOf(ActiveStatus, request.query, 'status');
    const sortText = text(request.query, 'sort') as UserSortChoice;
    const sort: UserSortChoice = sortText in SORTS ? sortText : 'userName';
    const after = text(request.query, 'after', 400);
    const before = text(request.query, 'before', 400);
    const result = await directory.browseUsers({
      ...(q ? { search: q } : {}),
      ...(status ? { active: status === 'active' } : {}),
      ...SORTS[sort],
      ...(after ? { after } : before ? { before } : {}),
      limit: PAGE_SIZE,
    });
    return sendHtml(reply, 200, usersPage(context(request), { ...(q ? { q } : {}), ...(status ? { status } : {}), sort }, result));
  });

  const renderUser = async (request: FastifyRequest, reply: FastifyReply, id: string, tab: UserTab, status = 200, notice?: Notice) => {
    const user = await directory.user(id);
    const events = tab === 'activity' ? (await activity.list({ limit: 100, resourceId: id })).items : [];
    return sendHtml(reply, status, userPage(context(request, notice), user, tab, events, options.smtpConfigured));
  };

  app.get<{ Params: { id: string }; Querystring: Query }>('/users/:id', async (request, reply) => {
    const tabText = text(request.query, 'tab') as UserTab;
    return renderUser(request, reply, request.params.id, USER_TABS.includes(tabText) ? tabText : 'profile');
  });

  app.post<{ Params: { id: string } }>('/users/:id/invite', async (request, reply) => {
    try {
      await invitations.invite(request.params.id, actor(request));
    } catch (error) {
      return renderUser(request, reply, request.params.id, 'invitations', 400, refusal(error));
    }
    return redirect(reply, url(`/users/${encodeURIComponent(request.params.id)}`, { tab: 'invitations', done: 'user.invited' }));
  });

  // User groups
  app.get<{ Querystring: Query }>('/groups', async (request, reply) => {
    const q = optionOf(SearchText, request.query, 'q');
    const after = text(request.query, 'after', 400);
    const before = text(request.query, 'before', 400);
    const result = await directory.browseGroups({ ...(q ? { search: q } : {}), ...(after ? { after } : before ? { before } : {}), limit: PAGE_SIZE });
    return sendHtml(reply, 200, groupsPage(context(request), q, result));
  });

  app.get<{ Params: { id: string }; Querystring: Query }>('/groups/:id', async (request, reply) => {
    const start = Math.max(1, Math.min(10_000_000, Number.parseInt(text(request.query, 'start'), 10) || 1));
    const group = await directory.group(request.params.id);
    const members = await directory.members(request.params.id, start, PAGE_SIZE);
    return sendHtml(reply, 200, groupPage(context(request), group, members, PAGE_SIZE));
  });

  // Settings and custom attributes
  const renderSettings = async (request: FastifyRequest, reply: FastifyReply, status = 200, notice?: Notice, draft?: AttributeDraft) => {
    const declared = await attributes.list();
    const rows = await Promise.all(declared.map(async (attribute) => ({ attribute, referencedBy: await templates.referencing(attribute.name, catalog.extensionUrn) })));
    return sendHtml(reply, status, settingsPage(context(request, notice), settings.view(), catalog.extensionUrn, rows, draft));
  };

  app.get('/settings', async (request, reply) => renderSettings(request, reply));

  app.post('/settings', async (request, reply) => {
    const choice = text(request.body, 'autoInvite');
    if (choice !== 'yes' && choice !== 'no') return renderSettings(request, reply, 400, { kind: 'error', text: 'autoInvite: expected yes or no' });
    try {
      await settings.update({ autoInvite: choice === 'yes' }, actor(request));
    } catch (error) {
      return renderSettings(request, reply, 409, refusal(error));
    }
    return redirect(reply, url('/settings', { done: 'common.saved' }));
  });

  app.post('/attributes', async (request, reply) => {
    const draft = {
      name: text(request.body, 'name', 200).trim(),
      displayName: text(request.body, 'displayName', 400).trim(),
      type: text(request.body, 'type', 40),
      multiValued: text(request.body, 'multiValued') === 'true',
      description: text(request.body, 'description', 2000),
    };
    try {
      await attributes.create(
        { name: draft.name, ...(draft.displayName ? { displayName: draft.displayName } : {}), type: draft.type || 'string', multiValued: draft.multiValued, description: draft.description },
        actor(request),
      );
    } catch (error) {
      const notice = refusal(error);
      return renderSettings(request, reply, error instanceof AdminError ? error.status : 400, notice, draft);
    }
    return redirect(reply, url('/settings', { done: 'settings.attr.created', name: draft.name }));
  });

  app.get<{ Params: { name: string } }>('/attributes/:name', async (request, reply) => {
    const attribute = await attributes.get(request.params.name);
    if (attribute.origin === 'code') return redirect(reply, url('/settings'));
    return sendHtml(reply, 200, attributeEditPage(context(request), attribute));
  });

  app.post<{ Params: { name: string } }>('/attributes/:name', async (request, reply) => {
    try {
      await attributes.update(request.params.name, { displayName: text(request.body, 'displayName', 400).trim(), description: text(request.body, 'description', 2000) }, actor(request));
    } catch (error) {
      const notice = refusal(error);
      return sendHtml(reply, 400, attributeEditPage(context(request, notice), await attributes.get(request.params.name)));
    }
    return redirect(reply, url('/settings', { done: 'common.saved' }));
  });

  app.post<{ Params: { name: string } }>('/attributes/:name/delete', async (request, reply) => {
    try {
      await attributes.remove(request.params.name, text(request.body, 'force') === 'true', actor(request));
    } catch (error) {
      return renderSettings(request, reply, 409, refusal(error));
    }
    return redirect(reply, url('/settings', { done: 'settings.attr.deleted', name: request.params.name }));
  });

  // Tokens
  const renderTokens = async (request: FastifyRequest, reply: FastifyReply, status = 200, notice?: Notice, issued?: IssuedToken) =>
    sendHtml(reply, status, tokensPage(context(request, notice), scimBaseUrl(request), await tokens.list(), issued));

  app.get('/tokens', async (request, reply) => renderTokens(request, reply));

  app.post('/tokens', async (request, reply) => {
    let issued: IssuedToken;
    try {
      issued = await tokens.generate(parse(TokenCreate, { label: optionOf(z.string().trim(), request.body, 'label') }).label, actor(request));
    } catch (error) {
      return renderTokens(request, reply, 409, refusal(error));
    }
    // Rendered, not redirected: the secret exists only in this response (no-store).
    return renderTokens(request, reply, 201, undefined, issued);
  });

  app.post<{ Params: { id: string } }>('/tokens/:id/status', async (request, reply) => {
    try {
      const { status } = parse(TokenUpdate, { status: text(request.body, 'status') });
      await tokens.setStatus(request.params.id, status, actor(request));
    } catch (error) {
      return renderTokens(request, reply, 409, refusal(error));
    }
    return redirect(reply, url('/tokens', { done: 'tokens.updated' }));
  });

  app.post<{ Params: { id: string } }>('/tokens/:id/renew', async (request, reply) => {
    let issued: IssuedToken;
    try {
      issued = await tokens.renew(request.params.id, actor(request));
    } catch (error) {
      return renderTokens(request, reply, 409, refusal(error));
    }
    return renderTokens(request, reply, 200, undefined, issued);
  });

  app.post<{ Params: { id: string } }>('/tokens/:id/delete', async (request, reply) => {
    try {
      await tokens.remove(request.params.id, actor(request));
    } catch (error) {
      return renderTokens(request, reply, 409, refusal(error));
    }
    return redirect(reply, url('/tokens', { done: 'tokens.removed' }));
  });

  // Templates
  const variableNames = () => [...templates.variables().values()].map((v) => v.name).filter((n) => !n.startsWith('urn:')).map((n) => `\${${n}}`);
  const draftOf = (body: unknown): TemplateDraft => {
    const names = list(body, 'fieldName');
    const values = list(body, 'fieldValue');
    const fields = names.map((n, i) => [n.trim().slice(0, 200), (values[i] ?? '').slice(0, 10_000)] as const).filter(([n, v]) => n !== '' || v !== '');
    return { name: text(body, 'name', 200).trim(), fields };
  };
  const inputOf = (draft: TemplateDraft) => ({ name: draft.name, fields: Object.fromEntries(draft.fields.filter(([n]) => n !== '')) });
  const renderTemplate = (request: FastifyRequest, reply: FastifyReply, status: number, template: TemplateRecord | undefined, draft: TemplateDraft, notice?: Notice, preview?: Preview) =>
    sendHtml(reply, status, templateEditPage(context(request, notice), template, draft, variableNames(), preview));
  const validationNotice = (error: unknown): Notice => {
    if (error instanceof AdminError && error.status === 400 && error.details?.issues) {
      const issues = error.details.issues as { field: string; message: string }[];
      return { kind: 'error', text: issues.map((i) => `${i.field}: ${i.message}`).join('; ') };
    }
    return refusal(error);
  };

  app.get('/templates', async (request, reply) => sendHtml(reply, 200, templatesPage(context(request), await templates.list())));
  app.get('/templates/new', async (request, reply) => renderTemplate(request, reply, 200, undefined, { name: '', fields: [] }));

  app.post('/templates', async (request, reply) => {
    const draft = draftOf(request.body);
    let created: TemplateRecord;
    try {
      created = await templates.create(parse(TemplateInput, inputOf(draft)), actor(request));
    } catch (error) {
      return renderTemplate(request, reply, 400, undefined, draft, validationNotice(error));
    }
    return redirect(reply, url(`/templates/${encodeURIComponent(created.id)}`, { done: 'templates.created' }));
  });

  app.get<{ Params: { id: string }; Querystring: Query }>('/templates/:id', async (request, reply) => {
    const template = await templates.get(request.params.id);
    const userName = text(request.query, 'preview', 200).trim();
    let preview: Preview | undefined;
    if (userName) {
      const user = await directory.findByUserName(userName);
      if (!user) preview = { userName, notFound: true };
      else {
        const rendered = await templates.render(template.id, user);
        preview = { userName, fields: rendered.fields, missing: rendered.missing };
      }
    }
    return renderTemplate(request, reply, 200, template, { name: template.name, fields: Object.entries(template.fields) }, undefined, preview);
  });

  app.post<{ Params: { id: string } }>('/templates/:id', async (request, reply) => {
    const template = await templates.get(request.params.id);
    const draft = draftOf(request.body);
    try {
      await templates.update(template.id, parse(TemplateInput, inputOf(draft)), actor(request));
    } catch (error) {
      return renderTemplate(request, reply, 400, template, draft, validationNotice(error));
    }
    return redirect(reply, url(`/templates/${encodeURIComponent(template.id)}`, { done: 'common.saved' }));
  });

  app.post<{ Params: { id: string } }>('/templates/:id/delete', async (request, reply) => {
    await templates.remove(request.params.id, actor(request));
    return redirect(reply, url('/templates', { done: 'templates.deleted' }));
  });

  // Activity
  const activityFilter = (query: unknown) => {
    const action = optionOf(ActivityAction, query, 'action');
    const resource = optionOf(ResourceId, query, 'resource');
    return { ...(action ? { action } : {}), ...(resource ? { resourceId: resource } : {}) };
  };

  app.get<{ Querystring: Query }>('/activity', async (request, reply) => {
    const filter = activityFilter(request.query);
    const before = Number.parseInt(text(request.query, 'before'), 10);
    const result = await activity.list({ limit: 100, ...filter, ...(before > 0 ? { before } : {}) });
    return sendHtml(
      reply,
      200,
      activityPage(
        context(request),
        { ...(filter.action ? { action: filter.action } : {}), ...(filter.resourceId ? { resource: filter.resourceId } : {}), ...(before > 0 ? { before } : {}) },
        result.items,
        result.next,
      ),
    );
  });

  // The live feed: rows newer than `after`, as HTML to prepend (rendered here, so escaping stays server-side).
  app.get<{ Querystring: Query }>('/activity/feed', async (request, reply) => {
    const after = Math.max(0, Number.parseInt(text(request.query, 'after'), 10) || 0);
    const result = await activity.list({ limit: 100, after, ...activityFilter(request.query) });
    const ctx = context(request);
    reply.header('x-activity-after', String(result.items[0]?.seq ?? after));
    return reply.type('text/html; charset=utf-8').send(result.items.map((a) => activityRow(ctx, a, true).text).join(''));
  });

  // Diagnostics
  app.get('/diagnostics', async (request, reply) => {
    const report = await diagnostics.report();
    return sendHtml(
      reply,
      200,
      diagnosticsPage(context(request), await diagnostics.undeclared(), report.invitations, options.smtpConfigured, await tokens.list(), report.invitations.recentFailures, report.extensionUrn),
    );
  });

  app.post('/diagnostics/declare', async (request, reply) => {
    const name = text(request.body, 'name', 200).trim();
    try {
      await attributes.create({ name, type: 'string' }, actor(request));
    } catch (error) {
      const notice = refusal(error);
      const report = await diagnostics.report();
      return sendHtml(
        reply,
        409,
        diagnosticsPage(context(request, notice), await diagnostics.undeclared(), report.invitations, options.smtpConfigured, await tokens.list(), report.invitations.recentFailures, report.extensionUrn),
      );
    }
    return redirect(reply, url('/settings', { done: 'settings.attr.created', name }));
  });

  // Okta setup, generated from this receiver's configuration
  app.get('/okta-setup', async (request, reply) => {
    const base = scimBaseUrl(request);
    return sendHtml(
      reply,
      200,
      oktaSetupPage(context(request), {
        scimBaseUrl: base,
        publiclyReachable: options.publicUrl?.startsWith('https://') === true,
        // The port this request reached (PORT=0 picks one at start).
        port: request.socket.localPort ?? options.port,
        extensionUrn: catalog.extensionUrn,
        attributes: await attributes.list(),
      }),
    );
  });
}
