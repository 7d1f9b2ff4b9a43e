import type { IssuedToken, TokenView } from '../../admin/tokens-service';
import { MAX_TOKENS } from '../../admin/tokens-service';
import type { PageContext } from '../context';
import type { Html } from '../html';
import { html } from '../html';
import { badge, csrfField, managedBadge, sectionPage, statusBadge, url } from './layout';

export function copyable(ctx: PageContext, id: string, value: string): Html {
  return html`<span class="secret"><code id="${id}">${value}</code><button type="button" class="secondary small" data-copy="${id}" data-copied="${ctx.m.t('common.copied')}">${ctx.m.t('common.copy')}</button></span>`;
}

export function tokensPage(ctx: PageContext, scimBaseUrl: string, tokens: readonly TokenView[], issued?: IssuedToken): Html {
  const { m } = ctx;
  const stored = tokens.filter((t) => !t.managed);
  const action = (t: TokenView, path: string, label: string, extra: Html | string = '', confirm?: string, style = 'secondary') =>
    html`<form class="inline" method="post" action="${url(`/tokens/${encodeURIComponent(t.id)}/${path}`)}" ${confirm ? html`data-confirm="${confirm}"` : ''}>${csrfField(ctx)}${extra}<button class="${style} small" type="submit" aria-label="${label} ${t.label}">${label}</button></form>`;
  return sectionPage(
    ctx,
    'tokens',
    m.t('tokens.title'),
    html`<p class="lead">${m.t('tokens.intro')}</p>
<section class="panel" aria-labelledby="base-url"><h2 id="base-url">${m.t('tokens.baseUrl')}</h2>${copyable(ctx, 'scim-base-url', scimBaseUrl)}</section>
${
  issued
    ? html`<section class="panel" aria-labelledby="new-token"><h2 id="new-token">${m.t('tokens.secret')}: ${issued.label}</h2>
<div class="notice notice-warn" role="status">${m.t('tokens.shownOnce')}</div>
<dl class="props"><dt>${m.t('tokens.baseUrl')}</dt><dd>${copyable(ctx, 'issued-base-url', scimBaseUrl)}</dd><dt>${m.t('tokens.secret')}</dt><dd>${copyable(ctx, 'issued-token', issued.token)}</dd></dl></section>`
    : ''
}
<div class="table-wrap" tabindex="0"><table>
<thead><tr><th scope="col">${m.t('tokens.label')}</th><th scope="col">${m.t('common.status')}</th><th scope="col">${m.t('common.created')}</th><th scope="col">${m.t('tokens.lastUsed')}</th><th scope="col">${m.t('common.actions')}</th></tr></thead>
<tbody>${
      tokens.length === 0
        ? html`<tr><td colspan="5" class="muted">${m.t('tokens.none')}</td></tr>`
        : tokens.map(
            (t) => html`<tr><th scope="row">${t.label}</th><td>${statusBadge(m, t.status === 'active')}</td><td>${m.date(t.created)}</td><td>${t.lastUsed ? m.date(t.lastUsed) : html`<span class="muted">${t.managed ? '' : m.t('common.never')}</span>`}</td><td>${
              t.managed
                ? html`${managedBadge(m)} ${badge('off', m.t('tokens.env'))}`
                : html`<div class="actions">${
                    t.status === 'active'
                      ? action(t, 'status', m.t('tokens.deactivate'), html`<input type="hidden" name="status" value="inactive">`, m.t('tokens.confirmDeactivate'))
                      : action(t, 'status', m.t('tokens.activate'), html`<input type="hidden" name="status" value="active">`)
                  }${action(t, 'renew', m.t('tokens.renew'), '', m.t('tokens.confirmRenew'))}${action(t, 'delete', m.t('tokens.remove'), '', m.t('tokens.confirmRemove'), 'danger')}</div>`
            }</td></tr>`,
          )
    }</tbody></table></div>
${
  stored.length >= MAX_TOKENS
    ? html`<p class="muted">${m.t('tokens.max')}</p>`
    : html`<form class="toolbar" method="post" action="${url('/tokens')}">${csrfField(ctx)}<div class="field"><label for="token-label">${m.t('tokens.label')}</label><input type="text" id="token-label" name="label" maxlength="100" value="Okta"></div><button type="submit">${m.t('tokens.generate')}</button></form>`
}`,
  );
}
