/** Issue 10, defect 5: no secret used in a full run ever reaches the log, URLs included (portal sign-in too). */
import { Writable } from 'node:stream';
import pino from 'pino';
import { ADMIN_KEY, TOKEN, TestReceiver, oktaUser } from './support/harness';
import { SmtpSink, waitFor } from './support/smtp';

it('a full run (tokens, admin key, invitation link visited, token-bearing queries) logs none of its secrets', async () => {
  const lines: string[] = [];
  const capture = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  const sink = await SmtpSink.start();
  const r = await TestReceiver.start({ SMTP_URL: sink.url, INVITATION_POLL_MS: '60000' }, { logger: pino({ level: 'trace' }, capture) });
  const secrets = [TOKEN, ADMIN_KEY, 'Sup3r-Secret-Pw'];
  try {
    const generated = await r.api('POST', '/tokens', { label: 'rotation' });
    expect(generated.status).toBe(201);
    secrets.push(generated.body.token);
    expect((await r.get('/Users', { token: generated.body.token })).status).toBe(200);
    const renewed = await r.api('POST', `/tokens/${generated.body.id}/renew`);
    secrets.push(renewed.body.token);

    await r.api('PUT', '/settings', { autoInvite: true });
    const user = (await r.post('/Users', oktaUser('logged.flow@example.com', { password: 'Sup3r-Secret-Pw' }))).body;
    await waitFor(() => sink.messages.length === 1, 10_000, 'the invitation');
    // The relay accepts the message a moment before the receiver records the link as sent.
    await waitFor(async () => (await r.api('GET', `/invitations?userId=${user.id}`)).body.items[0]?.status === 'sent', 10_000, 'status sent');
    const token = /\/invite\/(inv_[A-Za-z0-9_-]+)/.exec(sink.messages[0]!.text)![1]!;
    secrets.push(token);
    const link = `${r.receiver.url}/invite/${token}`;
    expect((await fetch(link)).status).toBe(200);
    expect((await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' })).status).toBe(200);
    expect((await fetch(`${link}?again=1`)).status).toBe(410);

    // Credentials some clients put in query strings, and a wrong token in the header.
    await r.get(`/Users?access_token=${encodeURIComponent(TOKEN)}&filter=${encodeURIComponent('userName pr')}`);
    await r.request('GET', `${r.receiver.url}/api/users?api_key=${encodeURIComponent(ADMIN_KEY)}`, { token: ADMIN_KEY });
    await r.get('/Users', { token: 'scim_wrong-token-value-123' });
    secrets.push('scim_wrong-token-value-123');
    await r.get(`/Users/%ff?token=${encodeURIComponent(TOKEN)}`);

    // The portal: its password (a wrong one too), the login CSRF value, the session cookie and the
    // session's CSRF token, in forms, cookies and (where a client puts it) a query string.
    const account = /Admin portal account \(shown once; only its scrypt hash is stored\): (\S+) \/ (\S+)/.exec(r.printed.join('\n'))!;
    const [, username, password] = account as unknown as [string, string, string];
    secrets.push(password, 'Wr0ng-Portal-Pw');
    const admin = `${r.receiver.url}/admin`;
    const cookieOf = (response: globalThis.Response, name: string) =>
      response.headers
        .getSetCookie()
        .map((c) => c.split(';')[0]!)
        .find((c) => c.startsWith(`${name}=`))!
        .slice(name.length + 1);
    const csrfIn = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
    const formHeaders = (cookie: string) => ({ 'content-type': 'application/x-www-form-urlencoded', cookie });

    const loginPage = await fetch(`${admin}/login`);
    const loginCsrf = csrfIn(await loginPage.text());
    const loginCookie = `portal_login=${cookieOf(loginPage, 'portal_login')}`;
    secrets.push(loginCsrf);
    const refused = await fetch(`${admin}/login`, { method: 'POST', redirect: 'manual', headers: formHeaders(loginCookie), body: form({ _csrf: loginCsrf, username, password: 'Wr0ng-Portal-Pw' }) });
    expect(refused.status).toBe(401);
    const signedIn = await fetch(`${admin}/login`, { method: 'POST', redirect: 'manual', headers: formHeaders(loginCookie), body: form({ _csrf: loginCsrf, username, password }) });
    expect(signedIn.status).toBe(303);
    const session = cookieOf(signedIn, 'portal_session');
    secrets.push(session);
    const users = await fetch(`${admin}/users`, { headers: { cookie: `portal_session=${session}` } });
    expect(users.status).toBe(200);
    const sessionCsrf = csrfIn(await users.text());
    secrets.push(sessionCsrf);
    expect((await fetch(`${admin}/users?q=logged&_csrf=${encodeURIComponent(sessionCsrf)}`, { headers: { cookie: `portal_session=${session}` } })).status).toBe(200);
    const loggedOut = await fetch(`${admin}/logout`, { method: 'POST', redirect: 'manual', headers: formHeaders(`portal_session=${session}`), body: form({ _csrf: sessionCsrf }) });
    expect(loggedOut.status).toBe(303);
  } finally {
    await r.stop();
    await sink.stop();
  }
  const log = lines.join('');
  expect(log).toContain('/invite/[redacted]'); // the link was visited and logged, without its token
  expect(log).toContain('access_token=[redacted]');
  expect(log).toContain('_csrf=[redacted]');
  for (const secret of secrets) {
    expect(log).not.toContain(secret);
    expect(log).not.toContain(encodeURIComponent(secret));
  }
});
