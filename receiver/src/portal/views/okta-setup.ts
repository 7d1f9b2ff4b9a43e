import type { AttributeView } from '../../admin/attributes-service';
import { ENTERPRISE_USER_SCHEMA } from '../../schema/urns';
import type { PageContext } from '../context';
import type { Html } from '../html';
import { html } from '../html';
import { sectionPage, url } from './layout';
import { copyable } from './tokens';

export interface OktaSetupFacts {
  readonly scimBaseUrl: string;
  /** PUBLIC_URL is set to an https URL: Okta can call it. */
  readonly publiclyReachable: boolean;
  readonly port: number;
  readonly extensionUrn: string;
  readonly attributes: readonly AttributeView[];
}

/** Okta's profile editor data types for the receiver's attribute types. */
const OKTA_TYPE: Record<string, string> = { string: 'string', boolean: 'boolean', integer: 'integer', decimal: 'number', dateTime: 'string', reference: 'string' };

export function oktaSetupPage(ctx: PageContext, facts: OktaSetupFacts): Html {
  const { m } = ctx;
  return sectionPage(
    ctx,
    'oktaSetup',
    m.t('okta.title'),
    html`<p class="lead">${m.t('okta.intro')}</p>
<section class="panel" aria-labelledby="reach"><h2 id="reach">${m.t('okta.reach.title')}</h2>
${
  facts.publiclyReachable
    ? html`<p>${m.t('okta.reach.public')}</p>${copyable(ctx, 'okta-base-url-reach', facts.scimBaseUrl)}`
    : html`<div class="notice notice-warn" role="status">${m.t('okta.reach.local')}</div>
<p>${m.t('okta.reach.tunnel', { port: String(facts.port) })}</p>
<pre><code>cloudflared tunnel --url http://localhost:${facts.port}
# or: ngrok http ${facts.port}
PUBLIC_URL=https://&lt;your-tunnel-host&gt; npm start</code></pre>
<p>${m.t('okta.reach.deploy')}</p>`
}
</section>
<section class="panel" aria-labelledby="app"><h2 id="app">${m.t('okta.app.title')}</h2>
<ol class="steps">
<li>${m.t('okta.app.step1')}</li>
<li>${m.t('okta.app.step2')}
<dl class="props"><dt>${m.t('okta.app.baseUrl')}</dt><dd>${copyable(ctx, 'okta-base-url', facts.scimBaseUrl)}</dd><dt>${m.t('okta.app.token')}</dt><dd><a href="${url('/tokens')}">${m.t('okta.app.tokenHint')}</a></dd></dl></li>
<li>${m.t('okta.app.step3')}</li>
<li>${m.t('okta.app.step4')}</li>
</ol></section>
<section class="panel" aria-labelledby="attrs"><h2 id="attrs">${m.t('okta.attrs.title')}</h2>
${
  facts.attributes.length === 0
    ? html`<p class="muted">${m.t('okta.attrs.none')} <a href="${url('/settings')}">${m.t('nav.settings')}</a></p>`
    : html`<p>${m.t('okta.attrs.intro')}</p>
<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">${m.t('settings.attr.displayName')}</th><th scope="col">${m.t('okta.attrs.variableName')}</th><th scope="col">${m.t('okta.attrs.externalName')}</th><th scope="col">${m.t('okta.attrs.externalNamespace')}</th><th scope="col">${m.t('okta.attrs.dataType')}</th></tr></thead><tbody>${facts.attributes.map(
        (a) => html`<tr><td>${a.displayName}</td><td><code>${a.name}</code></td><td><code>${a.name}</code></td><td><code>${facts.extensionUrn}</code></td><td>${a.multiValued ? `${OKTA_TYPE[a.type] ?? 'string'} array` : (OKTA_TYPE[a.type] ?? 'string')}</td></tr>`,
      )}</tbody></table></div>`
}
</section>
<section class="panel" aria-labelledby="map"><h2 id="map">${m.t('okta.map.title')}</h2>
<p>${m.t('okta.map.intro')}</p>
<div class="table-wrap" tabindex="0"><table><thead><tr><th scope="col">${m.t('okta.map.source')}</th><th scope="col">${m.t('okta.map.target')}</th></tr></thead><tbody>
<tr><td><code>user.email</code></td><td><code>userName</code>, <code>emails[primary]</code></td></tr>
<tr><td><code>user.firstName</code> / <code>user.lastName</code></td><td><code>name.givenName</code> / <code>name.familyName</code></td></tr>
${facts.attributes.map((a) => html`<tr><td><code>user.${a.name}</code></td><td><code>${a.name}</code> (<code>${a.variable}</code>)</td></tr>`)}
</tbody></table></div></section>
<section class="panel" aria-labelledby="enterprise"><h2 id="enterprise">${m.t('okta.enterprise.title')}</h2><p>${m.t('okta.enterprise.intro')}</p>${copyable(ctx, 'enterprise-urn', ENTERPRISE_USER_SCHEMA)}</section>
<section class="panel" aria-labelledby="push"><h2 id="push">${m.t('okta.push.title')}</h2><p>${m.t('okta.push.intro')}</p></section>`,
  );
}
