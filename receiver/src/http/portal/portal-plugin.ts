import { randomBytes, timingSafeEqual } from 'node:crypto';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OidcError } from '../../admin/oidc-service';
import { SessionsService } from '../../admin/sessions-service';
import { PORTAL_JS } from '../../portal/assets/portal-js';
import { PORTAL_CSS } from '../../portal/assets/portal-css';
import type { PageContext } from '../../portal/context';
import { PORTAL_PREFIX } from '../../portal/context';
import type { Html } from '../../portal/html';
import type { MessageKey } from '../../portal/i18n';
import { Messages, isLocale, negotiateLocale } from '../../portal/i18n';
import { url } from '../../portal/views/layout';
import { errorPage, loginPage, oidcErrorPage } from '../../portal/views/login';
import type { SessionRecord } from '../../store/accounts';
import { faultOf, urlFault } from '../classify';
import { clearCookie, readCookie, setCookie } from './cookies';
import type { PortalOptions } from './portal-options';
import { registerPortalPages } from './portal-pages';

export const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
const SESSION_COOKIE = 'portal_session';
const LOGIN_COOKIE = 'portal_login';
/** state + nonce + PKCE verifier between the redirect to Okta and the callback. */
const OIDC_COOKIE = 'portal_oidc';
const OIDC_NEXT_COOKIE = 'portal_oidc_next';
/** Long enough to type a password and answer an MFA prompt at Okta. */
const OIDC_PENDING_SECONDS = 600;
export const LANG_COOKIE = 'portal_lang';
/** Portal forms are small; a larger body is refused before it is parsed. */
const FORM_BODY_LIMIT_BYTES = 256 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    portalSession?: SessionRecord;
  }
}

/** Where to go after sign-in: a portal path only (never another site). */
export function safeNext(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2000) return undefined;
  return value.startsWith(`${PORTAL_PREFIX}/`) && !value.startsWith('//') && !/[\\\s]/.test(value) ? value : undefined;
}

export function messagesFor(request: FastifyRequest): Messages {
  const chosen = readCookie(request, LANG_COOKIE);
  return new Messages(isLocale(chosen) ? chosen : negotiateLocale(request.headers['accept-language']));
}

function sendHtml(reply: FastifyReply, status: number, body: Html): FastifyReply {
  return reply.code(status).header('content-type', 'text/html; charset=utf-8').send(body.text);
}

const equal = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Fastify's refusals of a URL under /admin (bad percent-encoding, an over-long path segment), which
 * happen before any plugin hook: an HTML page in the portal's language, with its headers, instead of
 * the RFC 7644 body that /scim and /api get (error-handler.ts scimFrameworkErrors).
 */
export function portalFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  request.log.info({ code: error.code }, 'refused portal URL');
  const m = messagesFor(request);
  reply.header('content-security-policy', CSP).header('x-frame-options', 'DENY').header('x-content-type-options', 'nosniff').header('cache-control', 'no-store');
  void sendHtml(reply, urlFault(error).status, errorPage(m, m.t('error.title'), m.t('error.badUrl'), url('/users')));
}

/** `/admin`: the server-rendered admin portal (sessions, CSRF, strict CSP), over the admin services. */
export async function portalPlugin(app: FastifyInstance, options: PortalOptions): Promise<void> {
  // Declared up front (Fastify keeps the request's shape stable); the session hook fills it in.
  app.decorateRequest('portalSession', undefined);
  // Scoped to this plugin: /scim and /api keep accepting JSON only.
  await app.register(fastifyFormbody, { bodyLimit: FORM_BODY_LIMIT_BYTES });

  const secureFor = (request: FastifyRequest) => options.publicUrl?.startsWith('https://') === true || request.protocol === 'https';
  const cookieOptions = (request: FastifyRequest) => ({ path: PORTAL_PREFIX, httpOnly: true, sameSite: 'lax' as const, secure: secureFor(request) });

  app.addHook('onRequest', async (_request, reply) => {
    reply.header('content-security-policy', CSP);
    reply.header('x-frame-options', 'DENY');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('cache-control', 'no-store');
  });

  const isPublic = (path: string) =>
    path === `${PORTAL_PREFIX}/login` ||
    path === `${PORTAL_PREFIX}/lang` ||
    path.startsWith(`${PORTAL_PREFIX}/assets/`) ||
    (options.oidc !== undefined && (path === `${PORTAL_PREFIX}/oidc/start` || path === `${PORTAL_PREFIX}/oidc/callback`));

  // After body parsing: the CSRF token arrives in the form.
  app.addHook('preHandler', async (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (isPublic(path)) return;
    const lookup = await options.sessions.resolve(readCookie(request, SESSION_COOKIE));
    if (lookup.state !== 'valid') {
      if (lookup.state === 'expired') clearCookie(reply, SESSION_COOKIE, cookieOptions(request));
      const next = request.method === 'GET' ? safeNext(request.url) : undefined;
      return reply.redirect(url('/login', { next, reason: lookup.state === 'expired' ? 'expired' : undefined }), 303);
    }
    request.portalSession = lookup.session;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const presented = (request.body as Record<string, unknown> | undefined)?._csrf;
      if (!SessionsService.csrfMatches(lookup.session, presented)) {
        const m = messagesFor(request);
        return sendHtml(reply, 403, errorPage(m, m.t('error.title'), m.t('auth.csrf'), url('/users')));
      }
    }
  });

  // classify.ts decides what an error means (as for /scim and /api); the portal renders it as a page.
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const m = messagesFor(request);
    const fault = faultOf(error, request, { bodyLimitBytes: FORM_BODY_LIMIT_BYTES });
    if (fault.retryAfterSeconds !== undefined) reply.header('retry-after', String(fault.retryAfterSeconds));
    if (fault.internal) return sendHtml(reply, 500, errorPage(m, m.t('error.title'), m.t('error.body', { id: String(request.id) }), url('/users')));
    const title = fault.status === 404 ? m.t('common.notFoundTitle') : m.t('error.title');
    return sendHtml(reply, fault.status, errorPage(m, title, fault.detail, url('/users')));
  });
  app.setNotFoundHandler(async (request, reply) => {
    const m = messagesFor(request);
    return sendHtml(reply, 404, errorPage(m, m.t('common.notFoundTitle'), m.t('common.notFound'), url('/users')));
  });

  // Static assets: public (no data), cacheable.
  app.get('/assets/portal.css', async (_request, reply) => reply.header('cache-control', 'public, max-age=3600').type('text/css; charset=utf-8').send(PORTAL_CSS));
  app.get('/assets/portal.js', async (_request, reply) => reply.header('cache-control', 'public, max-age=3600').type('text/javascript; charset=utf-8').send(PORTAL_JS));

  app.get<{ Querystring: { to?: string; next?: string } }>('/lang', async (request, reply) => {
    const to = request.query.to;
    if (isLocale(to)) setCookie(reply, LANG_COOKIE, to, { path: PORTAL_PREFIX, sameSite: 'lax', secure: secureFor(request), maxAge: 365 * 86_400, httpOnly: true });
    return reply.redirect(safeNext(request.query.next) ?? url('/users'), 303);
  });

  // Sign-in. Login CSRF: a random value in a cookie and in the form must match (there is no session yet).
  const renderLogin = (request: FastifyRequest, reply: FastifyReply, status: number, extra: { next?: string; username?: string; notice?: PageContext['notice'] }) => {
    const csrf = randomBytes(24).toString('base64url');
    setCookie(reply, LOGIN_COOKIE, csrf, { ...cookieOptions(request), sameSite: 'strict', maxAge: 3600 });
    return sendHtml(reply, status, loginPage(messagesFor(request), { csrf, oidc: options.oidc !== undefined, ...extra }));
  };

  app.get<{ Querystring: { next?: string; reason?: string } }>('/login', async (request, reply) => {
    const m = messagesFor(request);
    const next = safeNext(request.query.next);
    const notice =
      request.query.reason === 'expired'
        ? { kind: 'warn' as const, text: m.t('auth.expired') }
        : request.query.reason === 'signed-out'
          ? { kind: 'ok' as const, text: m.t('auth.signedOut') }
          : undefined;
    return renderLogin(request, reply, 200, { ...(next ? { next } : {}), ...(notice ? { notice } : {}) });
  });

  // Sign-in with Okta: the pre-login cookie is Lax (the callback is a top-level navigation from Okta) and short-lived.
  function registerOidcRoutes(scope: FastifyInstance, oidc: NonNullable<PortalOptions['oidc']>, cookies: typeof cookieOptions): void {
    scope.get<{ Querystring: { next?: string } }>('/oidc/start', async (request, reply) => {
      try {
        const pending = await oidc.begin();
        setCookie(reply, OIDC_COOKIE, pending.cookie, { ...cookies(request), maxAge: OIDC_PENDING_SECONDS });
        const next = safeNext(request.query.next);
        const encoded = next ? Buffer.from(next, 'utf8').toString('base64url') : undefined;
        if (encoded && encoded.length <= 200) setCookie(reply, OIDC_NEXT_COOKIE, encoded, { ...cookies(request), maxAge: OIDC_PENDING_SECONDS });
        return reply.redirect(pending.authorizationUrl, 303);
      } catch (error) {
        return oidcFailure(request, reply, error);
      }
    });

    scope.get<{ Querystring: Record<string, unknown> }>('/oidc/callback', async (request, reply) => {
      const pending = readCookie(request, OIDC_COOKIE);
      const nextCookie = readCookie(request, OIDC_NEXT_COOKIE);
      // One use: whatever the outcome, this browser must start again.
      clearCookie(reply, OIDC_COOKIE, cookies(request));
      if (nextCookie) clearCookie(reply, OIDC_NEXT_COOKIE, cookies(request));
      try {
        const { opened } = await oidc.complete(pending, request.query ?? {});
        setCookie(reply, SESSION_COOKIE, opened.id, cookies(request));
        const next = nextCookie ? safeNext(Buffer.from(nextCookie, 'base64url').toString('utf8')) : undefined;
        return reply.redirect(next ?? url('/users'), 303);
      } catch (error) {
        return oidcFailure(request, reply, error);
      }
    });
  }

  const oidcFailure = (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
    if (!(error instanceof OidcError)) throw error;
    const m = messagesFor(request);
    const id = String(request.id);
    // The detail (never a secret or a token) goes to the log; the page says what to do.
    request.log.warn({ failure: error.failure, detail: error.message }, 'sign-in with Okta refused');
    switch (error.failure) {
      case 'forbidden':
        return sendHtml(reply, 403, oidcErrorPage(m, m.t('auth.oidcForbiddenTitle'), m.t('auth.oidcForbidden')));
      case 'denied':
        return sendHtml(reply, 401, oidcErrorPage(m, m.t('auth.oidcFailedTitle'), m.t('auth.oidcDenied', { code: error.providerError ?? '' })));
      case 'state':
        return sendHtml(reply, 400, oidcErrorPage(m, m.t('auth.oidcFailedTitle'), m.t('auth.oidcState')));
      case 'provider':
        return sendHtml(reply, 502, oidcErrorPage(m, m.t('auth.oidcFailedTitle'), m.t('auth.oidcProvider', { id })));
      case 'token':
        return sendHtml(reply, 401, oidcErrorPage(m, m.t('auth.oidcFailedTitle'), m.t('auth.oidcToken', { id })));
    }
  };

  app.post<{ Body: Record<string, unknown> }>('/login', async (request, reply) => {
    const m = messagesFor(request);
    const body = request.body ?? {};
    const field = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
    const next = safeNext(body.next);
    const cookie = readCookie(request, LOGIN_COOKIE);
    if (!cookie || !equal(cookie, field('_csrf'))) {
      return renderLogin(request, reply, 403, { ...(next ? { next } : {}), notice: { kind: 'error', text: m.t('auth.csrf') } });
    }
    const outcome = await options.accounts.signIn(field('username'), field('password'), request.ip);
    if (!outcome.ok) {
      const text = outcome.reason === 'throttled' ? m.t('auth.throttled', { seconds: outcome.retryAfterSeconds ?? 60 }) : m.t('auth.invalid');
      if (outcome.reason === 'throttled') reply.header('retry-after', String(outcome.retryAfterSeconds ?? 60));
      return renderLogin(request, reply, outcome.reason === 'throttled' ? 429 : 401, { ...(next ? { next } : {}), username: field('username'), notice: { kind: 'error', text } });
    }
    const opened = await options.sessions.open(outcome.account.username, outcome.account.id);
    clearCookie(reply, LOGIN_COOKIE, cookieOptions(request));
    setCookie(reply, SESSION_COOKIE, opened.id, cookieOptions(request));
    return reply.redirect(next ?? url('/users'), 303);
  });

  if (options.oidc) registerOidcRoutes(app, options.oidc, cookieOptions);

  app.post('/logout', async (request, reply) => {
    await options.sessions.close(readCookie(request, SESSION_COOKIE));
    clearCookie(reply, SESSION_COOKIE, cookieOptions(request));
    return reply.redirect(url('/login', { reason: 'signed-out' }), 303);
  });

  const context = (request: FastifyRequest, notice?: { kind: 'ok' | 'error' | 'warn'; key?: MessageKey; text?: string }): PageContext => {
    const m = messagesFor(request);
    const done = (request.query as Record<string, unknown> | undefined)?.done;
    const doneName = (request.query as Record<string, unknown> | undefined)?.name;
    const fromQuery =
      typeof done === 'string' && DONE_KEYS.has(done as MessageKey)
        ? { kind: 'ok' as const, text: m.t(done as MessageKey, { name: typeof doneName === 'string' ? doneName.slice(0, 100) : '' }) }
        : undefined;
    const explicit = notice ? { kind: notice.kind, text: notice.text ?? (notice.key ? m.t(notice.key) : '') } : undefined;
    const shown = explicit ?? fromQuery;
    return {
      m,
      csrf: request.portalSession!.csrfToken,
      principal: request.portalSession!.principal,
      url: safeNext(request.url) ?? url('/users'),
      ...(shown ? { notice: shown } : {}),
    };
  };

  registerPortalPages(app, options, { context, sendHtml });
}

/** Success notices a redirect may name in `?done=` (anything else is ignored). */
const DONE_KEYS = new Set<MessageKey>(['common.saved', 'user.invited', 'tokens.updated', 'tokens.removed', 'templates.created', 'templates.deleted', 'settings.attr.created', 'settings.attr.deleted']);
