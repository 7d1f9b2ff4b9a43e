/**
 * The portal's defences, through HTTP and the browser against a real receiver process: every route
 * authenticated, login CSRF and throttling, CSRF on state changes, logout, strict CSP and
 * user-controlled values rendered inert. Session expiry (idle and absolute) and the end of a sign-in
 * lock are time-driven: clock.test.ts moves the receiver's clock for them.
 */
import type { Browser } from 'playwright-core';
import { CUSTOM_URN } from './support/harness';
import type { PortalReceiver } from './support/portal';
import { launchChromium, screenshot, signIn, startPortalReceiver, watchPage } from './support/portal';

jest.setTimeout(90_000);

let receiver: PortalReceiver;
let browser: Browser;

beforeAll(async () => {
  [browser, receiver] = await Promise.all([launchChromium(), startPortalReceiver({ PORTAL_LOGIN_MAX_ATTEMPTS: '3', PORTAL_LOGIN_LOCK_SECONDS: '600' })]);
});
afterAll(async () => {
  await browser?.close();
  await receiver?.stop();
});

/** A tiny cookie jar over fetch: what a browser would send back to this origin. */
class Client {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  async request(method: string, path: string, form?: Record<string, string>) {
    const headers: Record<string, string> = { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(`${this.base}${path}`, { method, headers, redirect: 'manual', ...(form ? { body: new URLSearchParams(form).toString() } : {}) });
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const [name = '', ...value] = pair.split('=');
      if (attributes.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a.trim())) || value.join('=') === '') this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value.join('='));
    }
    return { status: response.status, location: response.headers.get('location'), headers: response.headers, text: await response.text() };
  }

  cookie(name: string) {
    return this.cookies.get(name);
  }

  async signIn(username: string, password: string) {
    const form = await this.request('GET', '/admin/login');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.text)![1]!;
    return this.request('POST', '/admin/login', { _csrf: csrf, username, password });
  }

  /** The synchronizer token of the signed-in session, as the pages carry it. */
  async csrf() {
    const page = await this.request('GET', '/admin/settings');
    return /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
  }
}

const PORTAL_PAGES = ['/admin', '/admin/users', '/admin/users/x', '/admin/groups', '/admin/groups/x', '/admin/settings', '/admin/tokens', '/admin/templates', '/admin/templates/new', '/admin/activity', '/admin/activity/feed', '/admin/diagnostics', '/admin/okta-setup', '/admin/attributes/x'];

test('every portal page requires a session; / leads to the portal; the CSP is strict', async () => {
  const anonymous = new Client(receiver.url);
  const root = await anonymous.request('GET', '/');
  expect(root.status).toBe(303);
  expect(root.location).toBe('/admin/users');
  for (const path of PORTAL_PAGES) {
    const response = await anonymous.request('GET', path);
    expect({ path, status: response.status, location: response.location?.split('?')[0] }).toEqual({ path, status: 303, location: '/admin/login' });
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    );
  }
  for (const path of ['/admin/settings', '/admin/tokens', '/admin/attributes', '/admin/logout']) {
    const response = await anonymous.request('POST', path, { _csrf: 'x' });
    expect({ path, status: response.status }).toEqual({ path, status: 303 });
  }
  const login = await anonymous.request('GET', '/admin/login');
  expect(login.status).toBe(200);
  expect(login.text).not.toMatch(/<script>|<style>|\sstyle=|\son[a-z]+=/i);
  expect(login.headers.get('x-frame-options')).toBe('DENY');
  const cookie = login.headers.getSetCookie().join('\n');
  expect(cookie).toMatch(/portal_login=.*HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Strict/i);
});

test('sign-in refuses a form without its login CSRF value; sign-out ends the session', async () => {
  const client = new Client(receiver.url);
  const forged = await client.request('POST', '/admin/login', { _csrf: 'forged', username: receiver.username, password: receiver.password });
  expect(forged.status).toBe(403);
  expect(client.cookie('portal_session')).toBeUndefined();

  const signedIn = await client.signIn(receiver.username, receiver.password);
  expect(signedIn.status).toBe(303);
  expect(signedIn.location).toBe('/admin/users');
  const sessionCookie = signedIn.headers.getSetCookie().find((c) => c.startsWith('portal_session='))!;
  expect(sessionCookie).toMatch(/HttpOnly/i);
  expect(sessionCookie).toMatch(/SameSite=Lax/i);
  expect(sessionCookie).toMatch(/Path=\/admin/);
  expect(sessionCookie).not.toMatch(/Secure/); // plain http; Secure behind https (PUBLIC_URL https://…)
  expect((await client.request('GET', '/admin/users')).status).toBe(200);

  const stolen = client.cookie('portal_session')!;
  const csrf = await client.csrf();
  expect((await client.request('POST', '/admin/logout', { _csrf: csrf })).location).toBe('/admin/login?reason=signed-out');
  // The old cookie value no longer opens anything (the session is gone server-side, not just in the browser).
  const replay = new Client(receiver.url);
  (replay as any).cookies.set('portal_session', stolen);
  expect((await replay.request('GET', '/admin/users')).status).toBe(303);
});

test('every state change needs the session’s CSRF token', async () => {
  const client = new Client(receiver.url);
  await client.signIn(receiver.username, receiver.password);
  const csrf = await client.csrf();
  for (const [path, form] of [
    ['/admin/settings', { autoInvite: 'yes' }],
    ['/admin/attributes', { name: 'csrfProbe', type: 'string' }],
    ['/admin/tokens', { label: 'csrf probe' }],
  ] as const) {
    const missing = await client.request('POST', path, form);
    const wrong = await client.request('POST', path, { ...form, _csrf: `${csrf.slice(0, -2)}xx` });
    expect({ path, missing: missing.status, wrong: wrong.status }).toEqual({ path, missing: 403, wrong: 403 });
  }
  // Nothing changed.
  expect((await client.request('GET', '/admin/settings')).text).not.toContain('csrfProbe');
  const schema = await receiver.scim('GET', `/Schemas/${CUSTOM_URN}`);
  expect(schema.body.attributes.map((a: { name: string }) => a.name)).not.toContain('csrfProbe');
  // With the token, the same change goes through.
  const accepted = await client.request('POST', '/admin/attributes', { name: 'csrfProbe', type: 'string', _csrf: csrf });
  expect(accepted.status).toBe(303);
});

test('sign-in is throttled per account and address after repeated failures', async () => {
  const client = new Client(receiver.url);
  for (let i = 0; i < 3; i++) {
    const failed = await client.signIn('throttled-admin', 'wrong password');
    expect(failed.status).toBe(i < 2 ? 401 : 429);
    expect(failed.text).toMatch(i < 2 ? /Wrong username or password/ : /Too many failed attempts/);
  }
  const locked = await client.signIn('throttled-admin', 'still wrong');
  expect(locked.status).toBe(429);
  expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  // Another account from the same address is not locked out.
  expect((await client.signIn(receiver.username, receiver.password)).status).toBe(303);
});

test('user-controlled values are escaped everywhere: no script runs, the text shows as typed', async () => {
  const payload = '<img src=x onerror=alert(1)>';
  const quoted = `O'Brien "the <b>bold</b>" & co`;
  const client = new Client(receiver.url);
  await client.signIn(receiver.username, receiver.password);
  const csrf = await client.csrf();
  expect((await client.request('POST', '/admin/attributes', { name: 'petName', type: 'string', displayName: `"><script>alert(3)</script>`, _csrf: csrf })).status).toBe(303);
  const user = await receiver.createUser(`${payload}@example.com`, {
    displayName: `<script>alert(2)</script>`,
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', CUSTOM_URN],
    [CUSTOM_URN]: { petName: quoted },
  });
  await receiver.scim('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `<svg onload=alert(4)>`, members: [{ value: user.id }] });

  const context = await browser.newContext();
  const page = await context.newPage();
  const watch = watchPage(page);
  try {
    await signIn(page, receiver);
    for (const path of ['/users', `/users/${user.id}`, `/users/${user.id}?tab=attributes`, `/users/${user.id}?tab=groups`, '/groups', '/activity', '/settings', '/okta-setup']) {
      await page.goto(`${receiver.url}/admin${path}`);
      expect({ path, injected: await page.locator('main img, main script, main svg, main b').count() }).toEqual({ path, injected: 0 });
    }
    await page.goto(`${receiver.url}/admin/users/${user.id}?tab=attributes`);
    await expect(page.locator('pre', { hasText: 'Brien' }).textContent()).resolves.toBe(quoted);
    await expect(page.locator('h1').textContent()).resolves.toContain(`${payload}@example.com`);
    await screenshot(page, 'en-xss-user-attributes-desktop');
    expect(watch.dialogs).toEqual([]);
    expect(watch.problems).toEqual([]);
  } finally {
    await context.close();
  }
});
