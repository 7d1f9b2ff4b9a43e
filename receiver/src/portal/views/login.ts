import type { Html } from '../html';
import { html } from '../html';
import type { Messages } from '../i18n';
import { bare, languageSwitcher, url } from './layout';

export interface LoginView {
  readonly csrf: string;
  readonly next?: string;
  readonly username?: string;
  readonly notice?: { readonly kind: 'ok' | 'error' | 'warn'; readonly text: string };
}

export function loginPage(m: Messages, view: LoginView): Html {
  return bare(
    m,
    m.t('auth.title'),
    html`<div class="panel">
<p class="muted">${m.t('app.name')}</p>
<h1>${m.t('auth.title')}</h1>
${view.notice ? html`<div class="notice notice-${view.notice.kind}" role="${view.notice.kind === 'error' ? 'alert' : 'status'}">${view.notice.text}</div>` : ''}
<form method="post" action="${url('/login')}">
<input type="hidden" name="_csrf" value="${view.csrf}">
${view.next ? html`<input type="hidden" name="next" value="${view.next}">` : ''}
<div class="field"><label for="username">${m.t('auth.username')}</label><input type="text" id="username" name="username" required maxlength="100" autocomplete="username" value="${view.username ?? ''}" autofocus></div>
<div class="field"><label for="password">${m.t('auth.password')}</label><input type="password" id="password" name="password" required maxlength="1000" autocomplete="current-password"></div>
<button type="submit">${m.t('auth.submit')}</button>
</form>
<p class="hint">${m.t('auth.firstStart')}</p>
${languageSwitcher(m, url('/login', { next: view.next }))}
</div>`,
  );
}

export function errorPage(m: Messages, title: string, body: string, back?: string): Html {
  return bare(m, title, html`<div class="panel"><h1>${title}</h1><p>${body}</p>${back ? html`<p><a href="${back}">${m.t('nav.users')}</a></p>` : ''}</div>`);
}
