import type { NavKey, PageContext } from '../context';
import { PORTAL_PREFIX } from '../context';
import type { Renderable } from '../html';
import { Html, html } from '../html';
import type { Messages } from '../i18n';
import { LOCALES } from '../i18n';
import type { MessageKey } from '../i18n';
import type { BrowsePage } from '../../store/browse';

const NAV: readonly { key: NavKey; path: string; label: MessageKey }[] = [
  { key: 'users', path: '/users', label: 'nav.users' },
  { key: 'groups', path: '/groups', label: 'nav.groups' },
  { key: 'settings', path: '/settings', label: 'nav.settings' },
  { key: 'tokens', path: '/tokens', label: 'nav.tokens' },
  { key: 'templates', path: '/templates', label: 'nav.templates' },
  { key: 'activity', path: '/activity', label: 'nav.activity' },
  { key: 'diagnostics', path: '/diagnostics', label: 'nav.diagnostics' },
  { key: 'oktaSetup', path: '/okta-setup', label: 'nav.oktaSetup' },
];

export const url = (path: string, query: Record<string, string | number | undefined> = {}): string => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const q = params.toString();
  return `${PORTAL_PREFIX}${path}${q ? `?${q}` : ''}`;
};

export function languageSwitcher(m: Messages, back: string): Html {
  return html`<div class="lang" role="group" aria-label="${m.t('lang.label')}">${LOCALES.map(
    (l) => html`<a href="${url('/lang', { to: l, next: back })}" lang="${l}" hreflang="${l}" ${l === m.locale ? html`aria-current="true"` : ''}>${m.t(`lang.${l}`)}</a>`,
  )}</div>`;
}

function document(m: Messages, title: string, body: Renderable): Html {
  return html`<!doctype html>
<html lang="${m.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${m.t('app.name')}</title>
<link rel="stylesheet" href="${PORTAL_PREFIX}/assets/portal.css">
<script src="${PORTAL_PREFIX}/assets/portal.js" defer></script>
</head>
${body}
</html>`;
}

export function notice(ctx: { notice?: PageContext['notice'] }): Renderable {
  if (!ctx.notice) return '';
  return html`<div class="notice notice-${ctx.notice.kind}" role="${ctx.notice.kind === 'error' ? 'alert' : 'status'}">${ctx.notice.text}</div>`;
}

/** A signed-in page: navigation, language switcher, sign-out, then the content. */
export function page(ctx: PageContext, nav: NavKey | undefined, title: string, content: Renderable): Html {
  const { m } = ctx;
  return document(
    m,
    title,
    html`<body>
<a class="skip" href="#main">${m.t('nav.skip')}</a>
<div class="shell">
<header class="sidebar">
<a class="brand" href="${url('/users')}">${m.t('app.name')}<small>${m.t('app.tagline')}</small></a>
<nav class="nav" aria-label="${m.t('nav.label')}"><ul>${NAV.map(
      (n) => html`<li><a href="${url(n.path)}" ${n.key === nav ? html`aria-current="page"` : ''}>${m.t(n.label)}</a></li>`,
    )}</ul></nav>
<div class="sidebar-foot">
${languageSwitcher(m, ctx.url)}
<span>${m.t('auth.signedInAs', { name: ctx.principal })}</span>
<form class="inline" method="post" action="${url('/logout')}"><input type="hidden" name="_csrf" value="${ctx.csrf}"><button class="link-button" type="submit">${m.t('auth.signOut')}</button></form>
</div>
</header>
<main id="main" tabindex="-1">
${notice(ctx)}
${content}
</main>
</div>
</body>`,
  );
}

/** A page outside the signed-in shell (sign-in, errors before a session). */
/** A page of the navigation whose heading is its title. */
export function sectionPage(ctx: PageContext, nav: NavKey, title: string, content: Renderable): Html {
  return page(ctx, nav, title, html`<h1>${title}</h1>
${content}`);
}

export function bare(m: Messages, title: string, content: Renderable): Html {
  return document(m, title, html`<body><main id="main" class="login">${content}</main></body>`);
}

export const csrfField = (ctx: PageContext): Html => html`<input type="hidden" name="_csrf" value="${ctx.csrf}">`;

export function badge(kind: 'idp' | 'code' | 'managed' | 'ok' | 'off' | 'warn' | 'bad', text: string, title?: string): Html {
  return html`<span class="badge badge-${kind}" ${title ? html`title="${title}"` : ''}>${text}</span>`;
}

export function managedBadge(m: Messages): Html {
  return badge('managed', m.t('common.managedByCode'), m.t('common.managedByCodeHint'));
}

export function statusBadge(m: Messages, active: boolean): Html {
  return active ? badge('ok', m.t('common.active')) : badge('off', m.t('common.inactive'));
}

/** Previous/next links of a keyset page. */
export function pager(m: Messages, total: number, links: { previous?: string; next?: string }, capped = false): Html {
  const link = (href: string | undefined, label: string, rel: string) =>
    href ? html`<a class="button secondary small" rel="${rel}" href="${href}">${label}</a>` : html`<a class="button secondary small" aria-disabled="true">${label}</a>`;
  return html`<nav class="pager" aria-label="${m.t('common.pagination')}"><span>${m.t(capped ? 'common.resultsMore' : 'common.results', { count: total })}</span><span class="actions">${link(
    links.previous,
    m.t('common.previous'),
    'prev',
  )}${link(links.next, m.t('common.next'), 'next')}</span></nav>`;
}

/** The search box of a list page (`q`, at most 200 characters as the services accept). */
export const searchField = (label: string, value: string | undefined): Html =>
  html`<div class="field"><label for="q">${label}</label><input type="search" id="q" name="q" value="${value ?? ''}" maxlength="200"></div>`;

export interface KeysetList<T> {
  /** The list's portal path, e.g. `/users`. */
  readonly path: string;
  /** The query parameters the pager links keep (search, filters, sort). */
  readonly keep: Record<string, string | undefined>;
  readonly page: BrowsePage<T>;
  /** The `<th>` cells. */
  readonly headings: readonly Html[];
  readonly row: (item: T) => Html;
  /** Shown in one muted row when the page is empty. */
  readonly empty: string;
}

/** A keyset-paged list (users, groups): the pager, then the table, one row an item. */
export function keysetList<T>(m: Messages, list: KeysetList<T>): Html {
  const { page: result, path, keep } = list;
  return html`${pager(m, result.total, {
  ...(result.previous ? { previous: url(path, { ...keep, before: result.previous }) } : {}),
  ...(result.next ? { next: url(path, { ...keep, after: result.next }) } : {}),
}, result.totalCapped)}
<div class="table-wrap" tabindex="0"><table>
<thead><tr>${list.headings}</tr></thead>
<tbody>${
      result.items.length === 0
        ? html`<tr><td colspan="${list.headings.length}" class="muted">${list.empty}</td></tr>`
        : result.items.map(list.row)
    }</tbody></table></div>`;
}

export { Html };
