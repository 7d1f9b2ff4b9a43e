/**
 * Sign-in with Okta (OpenID Connect) for the admin portal, in Chromium against a real receiver
 * process and a real OIDC provider process (the npm oidc-provider package): an admin of the
 * configured group gets a portal session, another user is refused, a forged callback is refused;
 * and the OIDC_* settings are validated together at start.
 */
import type { Browser, Page } from 'playwright-core';
import { loadSettings } from '../../receiver/src/settings';
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, freePort, startOidcProvider } from './support/oidc';
import type { OidcProviderProcess } from './support/oidc';
import type { PortalReceiver } from './support/portal';
import { launchChromium, screenshot, startPortalReceiver, watchPage } from './support/portal';

jest.setTimeout(60_000);

let provider: OidcProviderProcess;
let receiver: PortalReceiver;
let browser: Browser;

beforeAll(async () => {
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const started = await Promise.all([launchChromium(), startOidcProvider(`${publicUrl}/admin/oidc/callback`)]);
  browser = started[0];
  provider = started[1];
  receiver = await startPortalReceiver({
    PORT: String(port),
    PUBLIC_URL: publicUrl,
    LOG_LEVEL: 'info',
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID,
    OIDC_CLIENT_SECRET,
    OIDC_ADMIN_GROUP: 'okta-scim-admins',
  });
});
afterAll(async () => {
  await browser?.close();
  await receiver?.stop();
  await provider?.stop();
});

/** From the portal's sign-in page through the provider's login form, as the given account. */
async function signInWithOkta(page: Page, login: string): Promise<void> {
  await page.goto(`${receiver.url}/admin/users`);
  await page.locator('#oidc-sign-in').click();
  await page.waitForURL((u) => u.toString().startsWith(provider.issuer));
  // The pending sign-in is bound to this browser: an HttpOnly, Lax, short-lived cookie.
  const pending = (await page.context().cookies(`${receiver.url}/admin/oidc/callback`)).find((c) => c.name === 'portal_oidc');
  expect(pending).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/admin' });
  expect(pending!.expires).toBeGreaterThan(0);
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('any password');
  await page.locator('button[type=submit]').click();
}

test('an admin of the Okta group signs in with Okta and sees the Users page; the sign-in is in the activity log', async () => {
  await receiver.createUser('oidc.visible@example.com');
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  const watch = watchPage(page);
  await page.goto(`${receiver.url}/admin/login`);
  await expect(page.locator('#oidc-sign-in').textContent()).resolves.toBe('Sign in with Okta');
  await screenshot(page, 'oidc-login-en');
  await signInWithOkta(page, 'ada-admin');
  await page.waitForURL(/\/admin\/users/);
  await expect(page.locator('main').textContent()).resolves.toContain('oidc.visible@example.com');
  await expect(page.locator('body').textContent()).resolves.toContain('Signed in as oidc:ada-admin');
  const session = (await context.cookies()).find((c) => c.name === 'portal_session');
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/admin' });
  expect((await context.cookies()).some((c) => c.name === 'portal_oidc')).toBe(false);

  await page.goto(`${receiver.url}/admin/activity`);
  await expect(page.locator('main').textContent()).resolves.toContain('Signed in to the admin portal with Okta: Ada Admin <ada@example.com> (oidc:ada-admin)');
  // The same session and CSRF as a password sign-in: a state change goes through.
  await page.locator('form[action="/admin/logout"] button').click();
  await page.waitForURL(/\/admin\/login\?reason=signed-out/);
  expect(watch.problems).toEqual([]);
  expect(receiver.stdout()).not.toContain(OIDC_CLIENT_SECRET);
  // The log has the callback's request line, without its one-time code.
  expect(receiver.stdout()).toContain('/admin/oidc/callback?code=[redacted]&state=[redacted]');
  await context.close();
});

test('a user without the admin group is told they are not authorized and gets no session', async () => {
  const context = await browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(`${receiver.url}/admin/login`);
  await expect(page.locator('#oidc-sign-in').textContent()).resolves.toBe('Se connecter avec Okta');
  const answered = page.waitForResponse((r) => r.url().includes('/admin/oidc/callback'));
  await signInWithOkta(page, 'bob-plain');
  expect((await answered).status()).toBe(403);
  await expect(page.locator('h1').textContent()).resolves.toBe('Accès non autorisé');
  await screenshot(page, 'oidc-forbidden-fr');
  expect((await context.cookies()).some((c) => c.name === 'portal_session')).toBe(false);
  await page.goto(`${receiver.url}/admin/users`);
  await page.waitForURL(/\/admin\/login/);
  await context.close();
});

test('a callback whose state was tampered with is refused, and the pre-login cookie is spent', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  // The redirect to Okta leaves with a state that is not this browser's, as a forged or swapped callback would come back.
  await page.route('**/admin/oidc/start**', async (route) => {
    const response = await route.fetch({ maxRedirects: 0 });
    const location = new URL(response.headers().location!);
    location.searchParams.set('state', `${location.searchParams.get('state')!.slice(0, -2)}xx`);
    await route.fulfill({ response, headers: { ...response.headers(), location: location.toString() } });
  });
  const answered = page.waitForResponse((r) => r.url().includes('/admin/oidc/callback'));
  await signInWithOkta(page, 'ada-admin');
  const refused = await answered;
  expect(refused.status()).toBe(400);
  expect(new URL(refused.url()).searchParams.get('code')).toBeTruthy();
  await page.waitForLoadState();
  await expect(page.locator('h1').textContent()).resolves.toBe('Sign-in with Okta failed');
  await expect(page.locator('body').textContent()).resolves.not.toMatch(/Error:|at .*\.js/);
  const cookies = await context.cookies();
  expect(cookies.some((c) => c.name === 'portal_session')).toBe(false);
  expect(cookies.some((c) => c.name === 'portal_oidc')).toBe(false);
  // Replaying the callback is refused too: the pending sign-in was used up.
  expect((await page.goto(refused.url()))?.status()).toBe(400);

  await context.close();
});

test('the provider refusing the sign-in (access_denied) is a portal page, never a 500', async () => {
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${receiver.url}/admin/login`);
  const authorize = page.waitForRequest((r) => r.url().startsWith(`${provider.issuer}/auth?`));
  await page.locator('#oidc-sign-in').click();
  const state = new URL((await authorize).url()).searchParams.get('state')!;
  expect(new URL((await authorize).url()).searchParams.get('code_challenge_method')).toBe('S256');
  // What Okta sends back for a user not assigned to the app.
  const denied = await page.goto(`${receiver.url}/admin/oidc/callback?${new URLSearchParams({ error: 'access_denied', error_description: '<b>User is not assigned</b>', state })}`);
  expect(denied?.status()).toBe(401);
  await expect(page.locator('h1').textContent()).resolves.toBe('Sign-in with Okta failed');
  await expect(page.locator('[role=alert]').textContent()).resolves.toContain('(access_denied)');
  expect((await context.cookies()).some((c) => c.name === 'portal_session')).toBe(false);
  await context.close();
});

test('the OIDC settings are validated together, and the secret is never echoed', () => {
  const base = { PUBLIC_URL: 'https://scim.example.com' };
  expect(() => loadSettings({ ...base, OIDC_ISSUER: 'https://acme.okta.com', OIDC_CLIENT_SECRET: 'very-secret-value' })).toThrow(
    /OIDC_CLIENT_ID: required when OIDC_ISSUER and OIDC_CLIENT_SECRET are set[\s\S]*OIDC_ADMIN_GROUP: required/,
  );
  try {
    loadSettings({ ...base, OIDC_ISSUER: 'http://acme.okta.com', OIDC_CLIENT_ID: 'x', OIDC_CLIENT_SECRET: 'very-secret-value', OIDC_SCOPES: 'profile' });
    throw new Error('accepted');
  } catch (error) {
    const text = String(error);
    expect(text).toMatch(/OIDC_ISSUER: must be https/);
    expect(text).toMatch(/OIDC_SCOPES: must include "openid"/);
    expect(text).not.toContain('very-secret-value');
  }
  expect(() => loadSettings({ OIDC_ISSUER: 'https://acme.okta.com', OIDC_CLIENT_ID: 'x', OIDC_CLIENT_SECRET: 'y', OIDC_ADMIN_GROUP: 'admins' })).toThrow(/OIDC_REDIRECT_URL: required when PUBLIC_URL is not set/);
  const settings = loadSettings({ ...base, OIDC_ISSUER: 'https://acme.okta.com/', OIDC_CLIENT_ID: 'x', OIDC_CLIENT_SECRET: 'y', OIDC_ADMIN_GROUP: 'okta-scim-admins' });
  expect(settings.oidc).toEqual({
    issuer: 'https://acme.okta.com',
    clientId: 'x',
    clientSecret: 'y',
    redirectUrl: 'https://scim.example.com/admin/oidc/callback',
    scopes: 'openid profile email groups',
    adminClaim: 'groups',
    adminValue: 'okta-scim-admins',
  });
  expect(loadSettings({ ...base, OIDC_ISSUER: 'https://acme.okta.com', OIDC_CLIENT_ID: 'x', OIDC_CLIENT_SECRET: 'y', OIDC_ADMIN_CLAIM: 'role', OIDC_ADMIN_VALUE: 'portal-admin' }).oidc).toMatchObject({ adminClaim: 'role', adminValue: 'portal-admin' });
});
