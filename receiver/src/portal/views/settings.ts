import type { AttributeView } from '../../admin/attributes-service';
import { ATTRIBUTE_TYPES } from '../../admin/attributes-service';
import { attributeLabel } from '../../admin/directory-service';
import type { SettingsView } from '../../admin/settings-service';
import type { TemplateRecord } from '../../store/types';
import type { PageContext } from '../context';
import type { Html } from '../html';
import { html } from '../html';
import { badge, csrfField, managedBadge, page, sectionPage, url } from './layout';

export interface AttributeRow {
  readonly attribute: AttributeView;
  readonly referencedBy: readonly TemplateRecord[];
}

export interface AttributeDraft {
  readonly name?: string;
  readonly displayName?: string;
  readonly type?: string;
  readonly multiValued?: boolean;
  readonly description?: string;
}

export function settingsPage(ctx: PageContext, settings: SettingsView, extensionUrn: string, rows: readonly AttributeRow[], draft: AttributeDraft = {}): Html {
  const { m } = ctx;
  const managed = settings.autoInvite.managed;
  const radio = (value: boolean) =>
    html`<div class="check"><input type="radio" id="autoInvite-${value ? 'yes' : 'no'}" name="autoInvite" value="${value ? 'yes' : 'no'}" ${settings.autoInvite.value === value ? html`checked` : ''} ${managed ? html`disabled` : ''}><label for="autoInvite-${value ? 'yes' : 'no'}">${value ? m.t('common.yes') : m.t('common.no')}</label></div>`;
  return sectionPage(
    ctx,
    'settings',
    m.t('settings.title'),
    html`<section class="panel" aria-labelledby="edit-settings">
<h2 id="edit-settings">${m.t('settings.edit')}</h2>
<form method="post" action="${url('/settings')}">${csrfField(ctx)}
<fieldset class="plain">
<legend><strong>${m.t('settings.autoInvite')}</strong> ${managed ? managedBadge(m) : ''}</legend>
<p class="hint">${m.t('settings.autoInviteHint')}</p>
${radio(true)}${radio(false)}
</fieldset>
${managed ? '' : html`<button type="submit">${m.t('common.save')}</button>`}
</form>
</section>
<section aria-labelledby="custom-attributes">
<h2 id="custom-attributes">${m.t('settings.attributes')}</h2>
<p class="hint">${m.t('settings.attributesHint', { urn: extensionUrn })}</p>
<div class="table-wrap" tabindex="0"><table>
<thead><tr><th scope="col">${m.t('settings.attr.name')}</th><th scope="col">${m.t('settings.attr.displayName')}</th><th scope="col">${m.t('settings.attr.type')}</th><th scope="col">${m.t('settings.attr.attributeType')}</th><th scope="col">${m.t('settings.attr.referencedBy')}</th><th scope="col">${m.t('common.actions')}</th></tr></thead>
<tbody>${
      rows.length === 0
        ? html`<tr><td colspan="6" class="muted">${m.t('settings.attr.none')}</td></tr>`
        : rows.map(({ attribute: a, referencedBy }) => {
            const label = attributeLabel(a.origin);
            return html`<tr>
<th scope="row"><code>${a.name}</code></th>
<td>${a.displayName}</td>
<td>${a.type}${a.multiValued ? ' []' : ''}</td>
<td>${badge(label === 'IDP' ? 'idp' : 'code', label)} ${a.origin === 'code' ? managedBadge(m) : ''}</td>
<td>${referencedBy.length === 0 ? html`<span class="muted">${m.t('settings.attr.notReferenced')}</span>` : referencedBy.map((t, i) => html`${i > 0 ? ', ' : ''}<a href="${url(`/templates/${encodeURIComponent(t.id)}`)}">${t.name}</a>`)}</td>
<td>${
              a.origin === 'code'
                ? ''
                : html`<div class="actions"><a class="button secondary small" href="${url(`/attributes/${encodeURIComponent(a.name)}`)}" aria-label="${m.t('common.edit')} ${a.name}">${m.t('common.edit')}</a>
<form class="inline" method="post" action="${url(`/attributes/${encodeURIComponent(a.name)}/delete`)}" data-confirm="${m.t('common.confirmDelete')}">${csrfField(ctx)}${referencedBy.length > 0 ? html`<input type="hidden" name="force" value="true">` : ''}<button class="danger small" type="submit" aria-label="${m.t('common.delete')} ${a.name}">${m.t('common.delete')}</button></form></div>`
            }</td>
</tr>`;
          })
    }</tbody></table></div>
</section>
<section class="panel" aria-labelledby="add-attribute">
<h2 id="add-attribute">${m.t('settings.addAttribute')}</h2>
<form method="post" action="${url('/attributes')}">${csrfField(ctx)}
<div class="form-grid">
<div class="field"><label for="attr-name">${m.t('settings.attr.name')}</label><input type="text" id="attr-name" name="name" required maxlength="64" pattern="[A-Za-z][A-Za-z0-9_\\-]*" value="${draft.name ?? ''}" autocomplete="off"></div>
<div class="field"><label for="attr-display">${m.t('settings.attr.displayName')}</label><input type="text" id="attr-display" name="displayName" maxlength="200" value="${draft.displayName ?? ''}"></div>
<div class="field"><label for="attr-type">${m.t('settings.attr.type')}</label><select id="attr-type" name="type">${ATTRIBUTE_TYPES.map(
      (t) => html`<option value="${t}" ${t === (draft.type ?? 'string') ? html`selected` : ''}>${t}</option>`,
    )}</select></div>
</div>
<div class="check"><input type="checkbox" id="attr-multi" name="multiValued" value="true" ${draft.multiValued ? html`checked` : ''}><label for="attr-multi">${m.t('settings.attr.multiValued')}</label></div>
<div class="field"><label for="attr-description">${m.t('settings.attr.description')}</label><textarea id="attr-description" name="description" maxlength="1000">${draft.description ?? ''}</textarea></div>
<button type="submit">${m.t('settings.attr.add')}</button>
</form>
</section>`,
  );
}

export function attributeEditPage(ctx: PageContext, attribute: AttributeView): Html {
  const { m } = ctx;
  return page(
    ctx,
    'settings',
    m.t('settings.attr.editTitle', { name: attribute.name }),
    html`<p><a href="${url('/settings')}">← ${m.t('nav.settings')}</a></p>
<h1>${m.t('settings.attr.editTitle', { name: attribute.name })}</h1>
<section class="panel">
<dl class="props"><dt>${m.t('settings.attr.type')}</dt><dd>${attribute.type}${attribute.multiValued ? ' []' : ''}</dd><dt>SCIM</dt><dd><code>${attribute.scimPath}</code></dd><dt>${m.t('settings.attr.variable')}</dt><dd><code>${attribute.variable}</code></dd></dl>
<form method="post" action="${url(`/attributes/${encodeURIComponent(attribute.name)}`)}">${csrfField(ctx)}
<div class="field"><label for="attr-display">${m.t('settings.attr.displayName')}</label><input type="text" id="attr-display" name="displayName" required maxlength="200" value="${attribute.displayName}"></div>
<div class="field"><label for="attr-description">${m.t('settings.attr.description')}</label><textarea id="attr-description" name="description" maxlength="1000">${attribute.description}</textarea></div>
<div class="actions"><button type="submit">${m.t('common.save')}</button><a class="button secondary" href="${url('/settings')}">${m.t('common.cancel')}</a></div>
</form>
</section>`,
  );
}
