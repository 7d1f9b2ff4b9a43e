import type { ActivityRecord } from '../../store/types';
import type { PageContext } from '../context';
import type { Html } from '../html';
import { html } from '../html';
import { page, url } from './layout';

export function activityRow(ctx: PageContext, a: ActivityRecord, fresh = false): Html {
  const { m } = ctx;
  const link =
    a.resourceId && a.resourceType === 'User'
      ? html`<a href="${url(`/users/${encodeURIComponent(a.resourceId)}`)}">${a.resourceType}</a>`
      : a.resourceId && a.resourceType === 'Group'
        ? html`<a href="${url(`/groups/${encodeURIComponent(a.resourceId)}`)}">${a.resourceType}</a>`
        : a.resourceType;
  return html`<tr data-seq="${a.seq}" ${fresh ? html`class="fresh"` : ''}><td class="nowrap">${m.date(a.at)}</td><td class="nowrap"><code>${a.actor}</code></td><td class="nowrap"><code>${a.action}</code></td><td class="nowrap">${link}</td><td>${a.summary}</td></tr>`;
}

/** The activity table; `live` makes portal.js poll the feed for newer rows. */
export function activityRows(ctx: PageContext, items: readonly ActivityRecord[], live: boolean, feedUrl?: string): Html {
  const { m } = ctx;
  const latest = items[0]?.seq ?? 0;
  return html`<div class="table-wrap" tabindex="0"><table>
<thead><tr><th scope="col">${m.t('activity.when')}</th><th scope="col">${m.t('activity.actor')}</th><th scope="col">${m.t('activity.action')}</th><th scope="col">${m.t('activity.resource')}</th><th scope="col">${m.t('activity.summary')}</th></tr></thead>
<tbody ${live && feedUrl ? html`data-live-feed="${feedUrl}" data-after="${latest}" data-interval="2000"` : ''}>${
    items.length === 0 ? html`<tr data-empty><td colspan="5" class="muted">${m.t('activity.none')}</td></tr>` : items.map((a) => activityRow(ctx, a))
  }</tbody></table></div>`;
}

export interface ActivityFilter {
  readonly action?: string;
  readonly resource?: string;
  readonly before?: number;
}

export function activityPage(ctx: PageContext, filter: ActivityFilter, items: readonly ActivityRecord[], next: number | undefined): Html {
  const { m } = ctx;
  const query = { action: filter.action, resource: filter.resource };
  return page(
    ctx,
    'activity',
    m.t('activity.title'),
    html`<h1>${m.t('activity.title')} ${filter.before === undefined ? html`<span class="live">${m.t('activity.live')}</span>` : ''}</h1>
<p class="lead">${m.t('activity.intro')}</p>
<form class="toolbar" method="get" action="${url('/activity')}" role="search">
<div class="field"><label for="action">${m.t('activity.filterAction')}</label><input type="text" id="action" name="action" value="${filter.action ?? ''}" maxlength="100" placeholder="user.create"></div>
<div class="field"><label for="resource">${m.t('activity.filterResource')}</label><input type="text" id="resource" name="resource" value="${filter.resource ?? ''}" maxlength="200"></div>
<button type="submit">${m.t('common.filter')}</button>
</form>
${activityRows(ctx, items, filter.before === undefined, url('/activity/feed', query))}
${next !== undefined ? html`<p><a class="button secondary" href="${url('/activity', { ...query, before: next })}">${m.t('activity.older')}</a></p>` : ''}`,
  );
}
