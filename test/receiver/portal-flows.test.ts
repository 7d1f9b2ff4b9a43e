/**
 * The integration guide's portal flows in a real browser (Chromium through playwright-core) against a
 * real receiver process on a real SQLite file and a real SMTP server process: once in English, once
 * in French. Every page is checked with axe-core at desktop and phone width and photographed.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { CATALOGS } from '../../receiver/src/portal/i18n';
import type { Locale, MessageKey } from '../../receiver/src/portal/i18n';
import { CUSTOM_URN, ENTERPRISE_URN } from './support/harness';
import type { PortalReceiver } from './support/portal';
import { launchChromium, screenshot, seriousViolations, signIn, startPortalReceiver, watchPage } from './support/portal';
import { SmtpSink, waitFor } from './support/smtp';

jest.setTimeout(120_000);

let browser: Browser;
let receiver: PortalReceiver;
let sink: SmtpSink;

beforeAll(async () => {
  sink = await SmtpSink.start();
  [browser, receiver] = await Promise.all([launchChromium(), startPortalReceiver({ SMTP_URL: sink.url, INVITATION_POLL_MS: '200' })]);
});

afterAll(async () => {
  await browser?.close();
  await receiver?.stop();
  await sink?.stop();
});

interface Session {
  context: BrowserContext;
  page: Page;
  watch: ReturnType<typeof watchPage>;
  t: (key: MessageKey) => string;
  lang: Locale;
}

async function session(lang: Locale): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: lang === 'fr' ? 'fr-FR' : 'en-US' });
  const page = await context.newPage();
  const watch = watchPage(page);
  await signIn(page, receiver);
  return { context, page, watch, lang, t: (key) => CATALOGS[lang][key] };
}

const admin = (path: string) => `${receiver.url}/admin${path}`;

/**
 * Every page once per width: a screenshot, no CSP refusal and (`axe`) no serious or critical axe-core
 * violation. The pages are the same templates in both languages, so axe runs on one language's pass.
 */
async function auditPages(s: Session, pages: readonly [string, string][], axe: boolean): Promise<void> {
  for (const width of [1280, 390]) {
    await s.page.setViewportSize({ width, height: width === 1280 ? 900 : 844 });
    for (const [name, path] of pages) {
      await s.page.goto(admin(path));
      if (axe) expect({ page: name, width, violations: await seriousViolations(s.page) }).toEqual({ page: name, width, violations: [] });
      // Nothing wider than the screen (tables scroll inside their own box).
      expect({ page: name, width, scrollWidth: await s.page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth) }).toEqual({ page: name, width, scrollWidth: width });
      await screenshot(s.page, `${s.lang}-${name}-${width === 1280 ? 'desktop' : 'phone'}`);
    }
  }
  await s.page.setViewportSize({ width: 1280, height: 900 });
  expect(s.watch.problems).toEqual([]);
}

async function guideFlow(lang: Locale, suffix: string): Promise<void> {
  const s = await session(lang);
  const { page, t } = s;
  try {
    // The French flow reaches French through the persisted switcher; English through Accept-Language.
    if (lang === 'fr') {
      await page.getByRole('link', { name: 'Français' }).first().click();
      await page.waitForURL(/\/admin\/users/);
    }
    await expect(page.locator('h1').first().textContent()).resolves.toContain(t('users.title'));
    await expect(page.getByRole('navigation', { name: t('nav.label') }).getByRole('link', { name: t('nav.groups') })).toBeDefined();

    // Settings > Add custom attribute: /Schemas advertises it at once.
    const attribute = `costCenter${suffix}`;
    await page.getByRole('link', { name: t('nav.settings'), exact: true }).click();
    await expect(page.getByRole('heading', { name: t('settings.edit') }).count()).resolves.toBe(1);
    await page.getByLabel(t('settings.attr.name'), { exact: true }).fill(attribute);
    await page.getByLabel(t('settings.attr.displayName'), { exact: true }).fill(`Cost center ${suffix}`);
    await page.getByRole('button', { name: t('settings.attr.add') }).click();
    await page.waitForURL(/done=settings.attr.created/);
    const row = page.locator('tr', { has: page.locator(`code:text-is("${attribute}")`) });
    await expect(row.locator('.badge-idp').textContent()).resolves.toBe('IDP');
    await expect(page.locator('th', { hasText: t('settings.attr.attributeType') }).count()).resolves.toBe(1);
    const schema = await receiver.scim('GET', `/Schemas/${CUSTOM_URN}`);
    expect(schema.body.attributes.map((a: { name: string }) => a.name)).toContain(attribute);

    // A user provisioned over SCIM appears in Users, with its custom (IDP) and enterprise attributes.
    const userName = `ada.${suffix}@example.com`;
    const user = await receiver.createUser(userName, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE_URN, CUSTOM_URN],
      [ENTERPRISE_URN]: { department: `R&D ${suffix}`, employeeNumber: '4242' },
      [CUSTOM_URN]: { [attribute]: `CC-${suffix}` },
    });
    await page.getByRole('link', { name: t('nav.users'), exact: true }).click();
    await page.getByLabel(t('users.searchLabel')).fill(`ada.${suffix}`);
    await page.getByRole('button', { name: t('common.search') }).click();
    await page.getByRole('link', { name: userName }).click();
    await page.getByRole('link', { name: t('user.tab.attributes') }).click();
    await expect(page.locator('pre', { hasText: `R&D ${suffix}` }).count()).resolves.toBe(1);
    const customRow = page.locator('tr', { has: page.locator(`code:text-is("${attribute}")`) });
    await expect(customRow.locator('pre').textContent()).resolves.toBe(`CC-${suffix}`);
    await expect(customRow.locator('.badge-idp').textContent()).resolves.toBe('IDP');

    // A group pushed by Okta appears in User groups with its members.
    const group = await receiver.scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `Engineering ${suffix}`, members: [{ value: user.id }] });
    expect(group.status).toBe(201);
    await page.getByRole('link', { name: t('nav.groups'), exact: true }).click();
    const groupRow = page.locator('tr', { has: page.getByRole('link', { name: `Engineering ${suffix}` }) });
    await expect(groupRow.locator('td.num').textContent()).resolves.toBe('1');
    await groupRow.getByRole('link').click();
    await expect(page.getByRole('link', { name: user.displayName }).count()).resolves.toBe(1);

    // Edit settings > Automatically invite users imported from Okta: Yes, Save changes; the next user gets an e-mail.
    await page.getByRole('link', { name: t('nav.settings'), exact: true }).click();
    await page.getByRole('group', { name: t('settings.autoInvite') }).getByLabel(t('common.yes')).check();
    await page.getByRole('button', { name: t('common.save') }).click();
    await page.waitForURL(/done=common.saved/);
    await expect(page.getByRole('group', { name: t('settings.autoInvite') }).getByLabel(t('common.yes')).isChecked()).resolves.toBe(true);
    const invitee = `grace.${suffix}@example.com`;
    await receiver.createUser(invitee);
    await waitFor(() => sink.messages.some((mail) => mail.to.includes(invitee)), 15_000, `an invitation to ${invitee}`);
    // Users > the invitee > Invitation: sent; Re-invite sends another.
    await page.getByRole('link', { name: t('nav.users'), exact: true }).click();
    await page.getByRole('link', { name: invitee }).click();
    await page.getByRole('link', { name: t('user.tab.invitations') }).click();
    await page.locator('td .badge', { hasText: t('inv.status.sent') }).first().waitFor();
    await page.getByRole('button', { name: t('user.invite') }).click();
    await page.waitForURL(/done=user.invited/);
    await waitFor(() => sink.messages.filter((mail) => mail.to.includes(invitee)).length === 2, 15_000, `a second invitation to ${invitee}`);
    await page.getByRole('link', { name: t('nav.settings'), exact: true }).click();
    await page.getByRole('group', { name: t('settings.autoInvite') }).getByLabel(t('common.no')).check();
    await page.getByRole('button', { name: t('common.save') }).click();
    await page.waitForURL(/done=common.saved/);

    // Tokens: generated once with the base URL; it works for SCIM and stops when deactivated.
    await page.getByRole('link', { name: t('nav.tokens'), exact: true }).click();
    await page.getByLabel(t('tokens.label')).fill(`Okta ${suffix}`);
    await page.getByRole('button', { name: t('tokens.generate') }).click();
    const secret = (await page.locator('#issued-token').textContent())!;
    expect(secret).toMatch(/^scim_/);
    await expect(page.locator('#issued-base-url').textContent()).resolves.toBe(`${receiver.url}/scim/v2`);
    expect((await receiver.scim('GET', '/Users?count=1', undefined, secret)).status).toBe(200);
    await page.goto(admin("/tokens")); // shown once: the page no longer has it
    await expect(page.locator('#issued-token').count()).resolves.toBe(0);
    const tokenRow = page.locator('tr', { has: page.locator(`th:text-is("Okta ${suffix}")`) });
    await tokenRow.getByRole('button', { name: new RegExp(`^${t('tokens.deactivate')}`) }).click();
    await page.waitForURL(/done=tokens.updated/);
    expect((await receiver.scim('GET', '/Users?count=1', undefined, secret)).status).toBe(401);
    await tokenRow.getByRole('button', { name: new RegExp(`^${t('tokens.remove')}`) }).click();
    await page.waitForURL(/done=tokens.removed/);

    // Templates: an unknown ${…} is refused on save; a valid one previews for a user.
    await page.getByRole('link', { name: t('nav.templates'), exact: true }).click();
    await page.getByRole('link', { name: t('templates.new') }).click();
    await page.getByLabel(t('common.name'), { exact: true }).fill(`Welcome ${suffix}`);
    await page.locator('#field-name-0').fill('subject');
    await page.locator('#field-value-0').fill('Hello ${nosuchAttribute}');
    await page.getByRole('button', { name: t('common.save') }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('nosuchAttribute');
    await page.locator('#field-value-0').fill(`Hello \${name.givenName}, cost center \${${attribute}}, \${department}`);
    await page.getByRole('button', { name: t('common.save') }).click();
    await page.waitForURL(/done=templates.created/);
    const templatePath = new URL(page.url()).pathname.replace(/^\/admin/, '');
    await page.getByLabel(t('templates.previewUser')).fill(userName);
    await page.getByRole('button', { name: t('templates.previewSubmit') }).click();
    await expect(page.locator('[data-preview] dd').textContent()).resolves.toBe(`Hello ada, cost center CC-${suffix}, R&D ${suffix}`);

    // Activity: newest first, and live: an event appears without a reload.
    await page.getByRole('link', { name: t('nav.activity'), exact: true }).click();
    const live = `live.${suffix}@example.com`;
    await receiver.createUser(live);
    await page.locator('tbody tr.fresh', { hasText: live }).first().waitFor({ timeout: 15_000 });

    // Diagnostics: an undeclared attribute Okta sends, declared in one click.
    const undeclared = `badge${suffix}`;
    await receiver.createUser(`otto.${suffix}@example.com`, { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', CUSTOM_URN], [CUSTOM_URN]: { [undeclared]: 'x' } });
    await page.getByRole('link', { name: t('nav.diagnostics'), exact: true }).click();
    await page.getByRole('button', { name: `${t('diagnostics.declare')} ${undeclared}` }).click();
    await page.waitForURL(/\/admin\/settings/);
    await expect(page.locator(`code:text-is("${undeclared}")`).count()).resolves.toBe(1);

    // Okta setup: the exact values, from this receiver's configuration.
    await page.getByRole('link', { name: t('nav.oktaSetup'), exact: true }).click();
    await expect(page.locator('#okta-base-url').textContent()).resolves.toBe(`${receiver.url}/scim/v2`);
    await expect(page.locator('td code', { hasText: CUSTOM_URN }).first().count()).resolves.toBe(1);
    await expect(page.locator(`td code:text-is("${attribute}")`).count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('.notice-warn').count()).resolves.toBe(1); // no PUBLIC_URL: how Okta reaches a local receiver

    await auditPages(s, [
      ['users', '/users'],
      ['user-profile', `/users/${user.id}`],
      ['user-attributes', `/users/${user.id}?tab=attributes`],
      ['user-invitation', `/users/${user.id}?tab=invitations`],
      ['groups', '/groups'],
      ['group', `/groups/${group.body.id}`],
      ['settings', '/settings'],
      ['tokens', '/tokens'],
      ['templates', '/templates'],
      ['template-preview', `${templatePath}?preview=${encodeURIComponent(userName)}`],
      ['attribute-edit', `/attributes/${attribute}`],
      ['activity', '/activity'],
      ['diagnostics', '/diagnostics'],
      ['okta-setup', '/okta-setup'],
    ], lang === 'en');
    expect(s.watch.dialogs.every((d) => d.startsWith('confirm'))).toBe(true);
  } finally {
    await s.context.close();
  }
}

test('the guide flow in English: attributes, users, groups, auto-invite, tokens, templates, activity, diagnostics, Okta setup', async () => {
  await guideFlow('en', 'en');
});

test('the whole flow once in French, in the guide’s own words', async () => {
  await guideFlow('fr', 'fr');
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  try {
    // Accept-Language picks French on the sign-in page; the guide's words are on the settings page.
    await page.goto(admin('/login'));
    await expect(page.locator('h1').textContent()).resolves.toBe(CATALOGS.fr['auth.title']);
    await screenshot(page, 'fr-login');
    await page.goto(admin('/lang?to=en&next=/admin/login'));
    await screenshot(page, 'en-login');
    expect(await seriousViolations(page)).toEqual([]);
    await signIn(page, receiver, 'fr');
    await page.goto(admin('/settings'));
    const body = (await page.locator('main').textContent())!;
    for (const words of ['Modifier les paramètres', 'Inviter automatiquement les utilisateurs importés depuis Okta', 'Ajouter un attribut personnalisé', 'Type d’attribut', 'Enregistrer les modifications']) {
      expect(body).toContain(words);
    }
    const nav = (await page.getByRole('navigation').textContent())!;
    expect(nav).toContain('Utilisateurs');
    expect(nav).toContain('Groupes d’utilisateurs');
  } finally {
    await context.close();
  }
});
