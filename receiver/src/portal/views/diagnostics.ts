import type { InvitationFailureView, UndeclaredAttributeView } from '../../admin/diagnostics-service';
import type { TokenView } from '../../admin/tokens-service';
import type { InvitationStatus } from '../../store/types';
import type { PageContext } from '../context';
import type { Html } from '../html';
import { html } from '../html';
import { badge, csrfField, sectionPage, statusBadge, url } from './layout';

export function diagnosticsPage(
  ctx: PageContext,
  undeclared: readonly UndeclaredAttributeView[],
  invitations: Record<InvitationStatus, number>,
  smtpConfigured: boolean,
  tokens: readonly TokenView[],
  failures: readonly InvitationFailureView[],
  extensionUrn: string,
): Html {
  const { m } = ctx;
  return sectionPage(
    ctx,
    'diagnostics',
    m.t('diagnostics.title'),
    html`<h2>${m.t('diagnostics.undeclared')}</h2>
<p class="hint">${m.t('diagnostics.undeclaredHint')}</p>
<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">${m.t('user.attr.name')}</th><th scope="col">${m.t('diagnostics.col.urn')}</th><th scope="col" class="num">${m.t('diagnostics.col.occurrences')}</th><th scope="col">${m.t('diagnostics.col.lastSeen')}</th><th scope="col">${m.t('diagnostics.col.lastUser')}</th><th scope="col">${m.t('common.actions')}</th></tr></thead><tbody>${
      undeclared.length === 0
        ? html`<tr><td colspan="6" class="muted">${m.t('diagnostics.none')}</td></tr>`
        : undeclared.map(
            (u) => html`<tr><th scope="row">${u.schemaOnly ? html`<span class="muted">${m.t('diagnostics.schemaOnly')}</span>` : html`<code>${u.name}</code>`}</th><td><code>${u.urn}</code>${
              u.kind === 'unknown-schema' ? html`<p class="hint">${m.t('diagnostics.unknownSchema', { extension: extensionUrn, urn: u.urn })}</p>` : ''
            }</td><td class="num">${m.number(u.occurrences)}</td><td>${m.date(u.lastSeen)}</td><td>${u.lastUser ?? ''}</td><td>${
              u.declarable
                ? html`<form class="inline" method="post" action="${url('/diagnostics/declare')}">${csrfField(ctx)}<input type="hidden" name="name" value="${u.name}"><button class="small" type="submit" aria-label="${m.t('diagnostics.declare')} ${u.name}">${m.t('diagnostics.declare')}</button></form>`
                : html`<span class="muted">${m.t('diagnostics.notDeclarable')}</span>`
            }</td></tr>`,
          )
    }</tbody></table></div>
<h2>${m.t('diagnostics.invitations')}</h2>
<div class="panel"><dl class="props">
<dt>${m.t('diagnostics.smtp')}</dt><dd>${smtpConfigured ? badge('ok', m.t('common.yes')) : badge('warn', m.t('common.no'))}</dd>
<dt>${m.t('inv.status.pending')}</dt><dd>${m.number(invitations.pending)}</dd>
<dt>${m.t('inv.status.sent')}</dt><dd>${m.number(invitations.sent)}</dd>
<dt>${m.t('inv.status.failed')}</dt><dd>${m.number(invitations.failed)}</dd>
</dl></div>
<h2>${m.t('diagnostics.failures')}</h2>
<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">${m.t('user.attr.name')}</th><th scope="col">${m.t('diagnostics.col.email')}</th><th scope="col">${m.t('diagnostics.col.error')}</th><th scope="col">${m.t('diagnostics.col.lastSeen')}</th></tr></thead><tbody>${
      failures.length === 0
        ? html`<tr><td colspan="4" class="muted">${m.t('diagnostics.noFailures')}</td></tr>`
        : failures.map(
            (f) => html`<tr><th scope="row"><a href="${url(`/users/${encodeURIComponent(f.userId)}`)}">${f.userName}</a></th><td><code>${f.email}</code></td><td>${f.lastError ?? ''}</td><td>${m.date(f.created)}</td></tr>`,
          )
    }</tbody></table></div>
<h2>${m.t('diagnostics.tokens')}</h2>
<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">${m.t('tokens.label')}</th><th scope="col">${m.t('common.status')}</th><th scope="col">${m.t('tokens.lastUsed')}</th></tr></thead><tbody>${
      tokens.length === 0
        ? html`<tr><td colspan="3" class="muted">${m.t('tokens.none')}</td></tr>`
        : tokens.map((t) => html`<tr><td>${t.label}</td><td>${statusBadge(m, t.status === 'active')}</td><td>${m.date(t.lastUsed)}</td></tr>`)
    }</tbody></table></div>`,
  );
}
