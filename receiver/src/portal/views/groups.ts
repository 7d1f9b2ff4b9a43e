import type { GroupSummary } from '../../admin/directory-service';
import type { BrowsePage } from '../../store/browse';
import type { PageContext } from '../context';
import type { Html } from '../html';
import { displayValue, html } from '../html';
import { keysetList, page, pager, searchField, sectionPage, url } from './layout';

export function groupsPage(ctx: PageContext, q: string | undefined, result: BrowsePage<GroupSummary>): Html {
  const { m } = ctx;
  return sectionPage(
    ctx,
    'groups',
    m.t('groups.title'),
    html`<form class="toolbar" method="get" action="${url('/groups')}" role="search">
${searchField(m.t('groups.searchLabel'), q)}
<button type="submit">${m.t('common.search')}</button>
</form>
${keysetList(m, {
  path: '/groups',
  keep: { q },
  page: result,
  headings: [
    html`<th scope="col">${m.t('common.name')}</th>`,
    html`<th scope="col" class="num">${m.t('groups.col.members')}</th>`,
    html`<th scope="col">${m.t('groups.col.externalId')}</th>`,
    html`<th scope="col">${m.t('common.updated')}</th>`,
  ],
  row: (g) =>
    html`<tr><td><a href="${url(`/groups/${encodeURIComponent(g.id)}`)}">${displayValue(g.displayName)}</a></td><td class="num">${m.number(g.memberCount)}</td><td><code>${displayValue(g.externalId)}</code></td><td>${m.date(g.lastModified)}</td></tr>`,
  empty: m.t('groups.empty'),
})}`,
  );
}

export interface MembersPage {
  readonly totalResults: number;
  readonly startIndex: number;
  readonly items: readonly { id: string; display: string }[];
}

export function groupPage(ctx: PageContext, group: GroupSummary, members: MembersPage, pageSize: number): Html {
  const { m } = ctx;
  const name = displayValue(group.displayName);
  const base = `/groups/${encodeURIComponent(group.id)}`;
  const previous = members.startIndex > 1 ? url(base, { start: Math.max(1, members.startIndex - pageSize) }) : undefined;
  const next = members.startIndex - 1 + members.items.length < members.totalResults ? url(base, { start: members.startIndex + members.items.length }) : undefined;
  return page(
    ctx,
    'groups',
    m.t('group.title', { name }),
    html`<p><a href="${url('/groups')}">← ${m.t('group.back')}</a></p>
<h1>${name}</h1>
<p class="lead">${m.t('groups.col.externalId')}: <code>${displayValue(group.externalId)}</code> · ${m.t('common.updated')} ${m.date(group.lastModified)}</p>
<h2>${m.t('group.members', { count: group.memberCount })}</h2>
${pager(m, members.totalResults, { ...(previous ? { previous } : {}), ...(next ? { next } : {}) })}
<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">${m.t('users.col.displayName')}</th><th scope="col">${m.t('user.id')}</th></tr></thead><tbody>${
      members.items.length === 0
        ? html`<tr><td colspan="2" class="muted">${m.t('group.noMembers')}</td></tr>`
        : members.items.map((u) => html`<tr><td><a href="${url(`/users/${encodeURIComponent(u.id)}`)}">${u.display}</a></td><td><code>${u.id}</code></td></tr>`)
    }</tbody></table></div>`,
  );
}
