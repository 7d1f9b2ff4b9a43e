/**
 * The admin portal over plain HTTP (no browser): signs in with the account a TestReceiver printed at
 * start and returns page fetchers carrying the session cookie.
 */
import type { TestReceiver } from './harness';

export interface PortalHttpSession {
  /** GET a portal path (e.g. `/users?q=x`): its status, HTML and redirect target (redirects are not followed). */
  page(path: string): Promise<{ status: number; html: string; location?: string }>;
}

function cookieValue(response: globalThis.Response, name: string): string {
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith(`${name}=`));
  if (!cookie) throw new Error(`no ${name} cookie in ${response.status} ${response.url}`);
  return cookie.slice(name.length + 1);
}

/** The first-start portal account the receiver printed. */
export function printedAccount(r: TestReceiver): { username: string; password: string } {
  const account = /Admin portal account \(shown once; only its scrypt hash is stored\): (\S+) \/ (\S+)/.exec(r.printed.join('\n'));
  if (!account) throw new Error(`no portal account printed: ${r.printed.join('\n')}`);
  return { username: account[1]!, password: account[2]! };
}

/** One sign-in attempt through the login form (fetched first for its CSRF token): the form's answer, redirects not followed. */
export async function portalLogin(r: TestReceiver, username: string, password: string): Promise<globalThis.Response> {
  const admin = `${r.receiver.url}/admin`;
  const login = await fetch(`${admin}/login`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())![1]!;
  return fetch(`${admin}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `portal_login=${cookieValue(login, 'portal_login')}` },
    body: new URLSearchParams({ _csrf: csrf, username, password }).toString(),
  });
}

export async function portalSignIn(r: TestReceiver): Promise<PortalHttpSession> {
  const account = printedAccount(r);
  const admin = `${r.receiver.url}/admin`;
  const signedIn = await portalLogin(r, account.username, account.password);
  if (signedIn.status !== 303) throw new Error(`portal sign-in: ${signedIn.status}`);
  const session = cookieValue(signedIn, 'portal_session');
  return {
    async page(path) {
      const response = await fetch(`${admin}${path}`, { headers: { cookie: `portal_session=${session}` }, redirect: 'manual' });
      const location = response.headers.get('location');
      return { status: response.status, html: await response.text(), ...(location ? { location } : {}) };
    },
  };
}
