import type { TemplateRecord } from '../../store/types';
import type { PageContext } from '../context';
import type { Html } from '../html';
import { html } from '../html';
import { csrfField, page, sectionPage, url } from './layout';

export function templatesPage(ctx: PageContext, templates: readonly TemplateRecord[]): Html {
  const { m } = ctx;
  return sectionPage(
    ctx,
    'templates',
    m.t('templates.title'),
    html`<p class="lead">${m.t('templates.intro')}</p>
<p><a class="button" href="${url('/templates/new')}">${m.t('templates.new')}</a></p>
<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">${m.t('common.name')}</th><th scope="col">${m.t('templates.fields')}</th><th scope="col">${m.t('common.updated')}</th></tr></thead><tbody>${
      templates.length === 0
        ? html`<tr><td colspan="3" class="muted">${m.t('templates.none')}</td></tr>`
        : templates.map(
            (t) => html`<tr><td><a href="${url(`/templates/${encodeURIComponent(t.id)}`)}">${t.name}</a></td><td>${Object.keys(t.fields).map((f, i) => html`${i > 0 ? ', ' : ''}<code>${f}</code>`)}</td><td>${m.date(t.updated)}</td></tr>`,
          )
    }</tbody></table></div>`,
  );
}

export interface TemplateDraft {
  readonly name: string;
  readonly fields: readonly (readonly [string, string])[];
}

export interface Preview {
  readonly userName: string;
  readonly fields?: Readonly<Record<string, string>>;
  readonly missing?: readonly string[];
  readonly notFound?: boolean;
}

/** The editor (new or existing), the variables one may use and, for a saved template, a per-user preview. */
export function templateEditPage(ctx: PageContext, template: TemplateRecord | undefined, draft: TemplateDraft, variables: readonly string[], preview?: Preview): Html {
  const { m } = ctx;
  const rows = [...draft.fields, ['', ''] as const, ['', ''] as const];
  const title = template ? m.t('templates.editTitle', { name: template.name }) : m.t('templates.new');
  const action = template ? url(`/templates/${encodeURIComponent(template.id)}`) : url('/templates');
  return page(
    ctx,
    'templates',
    title,
    html`<p><a href="${url('/templates')}">← ${m.t('templates.title')}</a></p>
<h1>${title}</h1>
<section class="panel">
<form method="post" action="${action}">${csrfField(ctx)}
<div class="field"><label for="tpl-name">${m.t('common.name')}</label><input type="text" id="tpl-name" name="name" required maxlength="200" value="${draft.name}"></div>
<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">${m.t('templates.fieldName')}</th><th scope="col">${m.t('templates.fieldValue')}</th></tr></thead><tbody>${rows.map(
      ([name, value], i) => html`<tr><td><label class="visually-hidden" for="field-name-${i}">${m.t('templates.fieldName')} ${i + 1}</label><input type="text" id="field-name-${i}" name="fieldName" maxlength="200" value="${name}"></td><td><label class="visually-hidden" for="field-value-${i}">${m.t('templates.fieldValue')} ${i + 1}</label><textarea id="field-value-${i}" name="fieldValue" maxlength="10000">${value}</textarea></td></tr>`,
    )}</tbody></table></div>
<div class="actions"><button type="submit">${m.t('common.save')}</button><a class="button secondary" href="${url('/templates')}">${m.t('common.cancel')}</a></div>
</form>
${
  template
    ? html`<form method="post" action="${url(`/templates/${encodeURIComponent(template.id)}/delete`)}" data-confirm="${m.t('common.confirmDelete')}">${csrfField(ctx)}<p><button class="danger" type="submit">${m.t('common.delete')}</button></p></form>`
    : ''
}
</section>
${
  template
    ? html`<section class="panel" aria-labelledby="preview"><h2 id="preview">${m.t('templates.preview')}</h2>
<form class="toolbar" method="get" action="${url(`/templates/${encodeURIComponent(template.id)}`)}"><div class="field"><label for="preview-user">${m.t('templates.previewUser')}</label><input type="search" id="preview-user" name="preview" maxlength="200" value="${preview?.userName ?? ''}"></div><button type="submit">${m.t('templates.previewSubmit')}</button></form>
${
  preview?.notFound
    ? html`<div class="notice notice-error" role="alert">${m.t('templates.previewNoUser')}</div>`
    : preview?.fields
      ? html`<dl class="props" data-preview>${Object.entries(preview.fields).map(([k, v]) => html`<dt><code>${k}</code></dt><dd>${v}</dd>`)}</dl>${
          preview.missing && preview.missing.length > 0
            ? html`<p class="hint">${m.t('templates.previewMissing', { names: preview.missing.map((n) => `\${${n}}`).join(', ') })}</p>`
            : ''
        }`
      : ''
}
</section>`
    : ''
}
<section class="panel" aria-labelledby="variables"><h2 id="variables">${m.t('templates.variables')}</h2><p class="vars">${variables.map((v, i) => html`${i > 0 ? ' ' : ''}<code>${v}</code>`)}</p></section>`,
  );
}
