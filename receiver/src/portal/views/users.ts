import type { UserDetail, UserSummary } from '../../admin/directory-service';
import type { BrowsePage } from '../../store/browse';
import type { ActivityRecord } from '../../store/types';
import type { PageContext } from '../context';
import type { Html } from '../html';
import { displayValue, html } from '../html';
import { activityRows } from './activity';
import { badge, csrfField, keysetList, page, searchField, sectionPage, statusBadge, url } from './layout';

export type UserSortChoice = 'userName' | 'userNameDesc' | 'newest' | 'oldest';

export interface UsersFilter {
  readonly q?: string;
  readonly status?: 'active' | 'inactive';
  readonly sort: UserSortChoice;
}

export function usersPage(ctx: PageContext, filter: UsersFilter, result: BrowsePage<UserSummary>): Html {
  const { m } = ctx;
  const keep = { q: filter.q, status: filter.status, sort: filter.sort === 'userName' ? undefined : filter.sort };
  const option = (value: string, label: string, current: string | undefined) => html`<option value="${value}" ${value === (current ?? '') ? html`selected` : ''}>${label}</option>`;
  return sectionPage(
    ctx,
    'users',
    m.t('users.title'),
    html`<form class="toolbar" method="get" action="${url('/users')}" role="search">
${searchField(m.t('users.searchLabel'), filter.q)}
<div class="field"><label for="status">${m.t('users.statusLabel')}</label><select id="status" name="status">${[
      option('', m.t('common.all'), filter.status),
      option('active', m.t('common.active'), filter.status),
      option('inactive', m.t('common.inactive'), filter.status),
    ]}</select></div>
<div class="field"><label for="sort">${m.t('users.sortLabel')}</label><select id="sort" name="sort">${[
      option('userName', m.t('users.sort.userName'), filter.sort),
      option('userNameDesc', m.t('users.sort.userNameDesc'), filter.sort),
      option('newest', m.t('users.sort.newest'), filter.sort),
      option('oldest', m.t('users.sort.oldest'), filter.sort),
    ]}</select></div>
<button type="submit">${m.t('common.search')}</button>
${filter.q || filter.status || filter.sort !== 'userName' ? html`<a class="button secondary" href="${url('/users')}">${m.t('common.reset')}</a>` : ''}
</form>
${keysetList(m, {
  path: '/users',
  keep,
  page: result,
  headings: [
    html`<th scope="col">${m.t('users.col.userName')}</th>`,
    html`<th scope="col">${m.t('users.col.displayName')}</th>`,
    html`<th scope="col">${m.t('users.col.email')}</th>`,
    html`<th scope="col">${m.t('common.status')}</th>`,
    html`<th scope="col">${m.t('users.col.enrolled')}</th>`,
    html`<th scope="col">${m.t('common.created')}</th>`,
  ],
  row: (u) => html`<tr>
<td><a href="${url(`/users/${encodeURIComponent(u.id)}`)}">${displayValue(u.userName)}</a></td>
<td>${displayValue(u.displayName)}</td>
<td>${displayValue(u.email)}</td>
<td>${statusBadge(m, u.active)}</td>
<td>${u.enrolled ? m.t('common.yes') : m.t('common.no')}</td>
<td>${m.date(u.created)}</td>
</tr>`,
  empty: m.t('users.empty'),
})}`,
  );
}

export type UserTab = 'profile' | 'attributes' | 'groups' | 'invitations' | 'activity';
export const USER_TABS: readonly UserTab[] = ['profile', 'attributes', 'groups', 'invitations', 'activity'];

function attributeTable(ctx: PageContext, rows: readonly [string, unknown][], empty: string): Html {
  const { m } = ctx;
  if (rows.length === 0) return html`<p class="muted">${empty}</p>`;
  return html`<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">${m.t('user.attr.name')}</th><th scope="col">${m.t('user.attr.value')}</th></tr></thead><tbody>${rows.map(
    ([name, value]) => html`<tr><th scope="row"><code>${name}</code></th><td><pre>${displayValue(value)}</pre></td></tr>`,
  )}</tbody></table></div>`;
}

export function userPage(ctx: PageContext, user: UserDetail, tab: UserTab, activity: readonly ActivityRecord[], smtpConfigured: boolean): Html {
  const { m } = ctx;
  const name = displayValue(user.userName);
  const tabLabel = { profile: 'user.tab.profile', attributes: 'user.tab.attributes', groups: 'user.tab.groups', invitations: 'user.tab.invitations', activity: 'user.tab.activity' } as const;
  const base = `/users/${encodeURIComponent(user.id)}`;
  const tabs = html`<nav class="tabs" aria-label="${m.t('user.tabs')}">${USER_TABS.map(
    (t) => html`<a href="${url(base, { tab: t === 'profile' ? undefined : t })}" ${t === tab ? html`aria-current="page"` : ''}>${m.t(tabLabel[t])}</a>`,
  )}</nav>`;
  let body: Html;
  switch (tab) {
    case 'attributes': {
      const { schemas: _schemas, ...core } = user.attributes.core;
      body = html`<h2>${m.t('user.attr.core')}</h2>${attributeTable(ctx, Object.entries(core), '')}
<h2>${m.t('user.attr.enterprise')}</h2>${attributeTable(ctx, Object.entries(user.attributes.enterprise), m.t('user.attr.noEnterprise'))}
<h2>${m.t('user.attr.custom')}</h2>${
        user.attributes.custom.length === 0
          ? html`<p class="muted">${m.t('user.attr.noCustom')}</p>`
          : html`<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">${m.t('user.attr.name')}</th><th scope="col">${m.t('settings.attr.displayName')}</th><th scope="col">${m.t('user.attr.type')}</th><th scope="col">${m.t('user.attr.attributeType')}</th><th scope="col">${m.t('user.attr.value')}</th></tr></thead><tbody>${user.attributes.custom.map(
              (a) => html`<tr><th scope="row"><code>${a.name}</code></th><td>${a.displayName}</td><td>${a.type}${a.multiValued ? ' []' : ''}</td><td>${badge(a.label === 'IDP' ? 'idp' : 'code', a.label)}</td><td><pre>${displayValue(a.value)}</pre></td></tr>`,
            )}</tbody></table></div>`
      }`;
      break;
    }
    case 'groups':
      body =
        user.groups.length === 0
          ? html`<p class="muted">${m.t('user.groups.none')}</p>`
          : html`<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">${m.t('common.name')}</th></tr></thead><tbody>${user.groups.map(
              (g) => html`<tr><td><a href="${url(`/groups/${encodeURIComponent(g.value)}`)}">${g.display}</a></td></tr>`,
            )}</tbody></table></div>`;
      break;
    case 'invitations': {
      const latest = user.invitations[0];
      body = html`${!smtpConfigured ? html`<div class="notice notice-warn" role="status">${m.t('user.inv.blocked')}</div>` : ''}
<form method="post" action="${url(`${base}/invite`)}">${csrfField(ctx)}<button type="submit">${latest ? m.t('user.invite') : m.t('user.inviteFirst')}</button></form>
${
  user.invitations.length === 0
    ? html`<p class="muted">${m.t('user.inv.none')}</p>`
    : html`<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">${m.t('common.status')}</th><th scope="col">${m.t('user.inv.email')}</th><th scope="col">${m.t('user.inv.reason')}</th><th scope="col" class="num">${m.t('user.inv.attempts')}</th><th scope="col">${m.t('user.inv.sent')}</th><th scope="col">${m.t('user.inv.accepted')}</th><th scope="col">${m.t('common.created')}</th></tr></thead><tbody>${user.invitations.map(
        (i) => html`<tr><td>${badge(i.status === 'sent' ? 'ok' : i.status === 'failed' ? 'bad' : 'warn', m.t(`inv.status.${i.status}`))}</td><td>${i.email}</td><td>${m.t(`inv.reason.${i.reason}`)}</td><td class="num">${m.number(i.attempts)}</td><td>${m.date(i.sentAt)}</td><td>${m.date(i.acceptedAt)}</td><td>${m.date(i.created)}</td></tr>`,
      )}</tbody></table></div>`
}`;
      break;
    }
    case 'activity':
      body = activityRows(ctx, activity, false);
      break;
    default:
      body = html`<div class="panel"><dl class="props">
<dt>userName</dt><dd>${name}</dd>
<dt>${m.t('users.col.displayName')}</dt><dd>${displayValue(user.displayName)}</dd>
<dt>${m.t('users.col.email')}</dt><dd>${displayValue(user.email)}</dd>
<dt>${m.t('common.status')}</dt><dd>${statusBadge(m, user.active)}</dd>
<dt>${m.t('users.col.enrolled')}</dt><dd>${user.enrolledAt ? m.t('user.enrolledAt', { date: m.date(user.enrolledAt) }) : m.t('user.notEnrolled')}</dd>
<dt>${m.t('user.id')}</dt><dd><code>${user.id}</code></dd>
<dt>${m.t('user.externalId')}</dt><dd>${displayValue(user.attributes.core.externalId)}</dd>
<dt>${m.t('users.col.source')}</dt><dd>${user.source?.label ?? ''}</dd>
<dt>${m.t('common.created')}</dt><dd>${m.date(user.created)}</dd>
<dt>${m.t('user.lastModified')}</dt><dd>${m.date(user.lastModified)}</dd>
</dl></div>`;
  }
  return page(
    ctx,
    'users',
    m.t('user.title', { name }),
    html`<p><a href="${url('/users')}">← ${m.t('user.back')}</a></p>
<h1>${name} ${statusBadge(m, user.active)}</h1>
<p class="lead">${displayValue(user.displayName)} ${user.email ? html`· ${displayValue(user.email)}` : ''}</p>
${tabs}
${body}`,
  );
}
