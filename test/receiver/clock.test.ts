/**
 * Time-driven behaviour, driven by the receiver's one clock: each test moves a TestClock and watches
 * the receiver over HTTP (SCIM, admin API, portal, invitation links) instead of sleeping.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestReceiver, patchOp } from './support/harness';
import { portalLogin, portalSignIn, printedAccount } from './support/portal-http';
import { SmtpSink, waitFor } from './support/smtp';
import { invitationLinkIn, invitationPage } from './support/invitation-page';
import { DAY, HOUR, MINUTE, SECOND, TestClock } from './support/test-clock';

describe('SCIM resources and tokens', () => {
  const clock = new TestClock();
  let r: TestReceiver;
  beforeAll(async () => {
    r = await TestReceiver.start({}, { clock });
  });
  afterAll(async () => {
    await r.stop();
  });

  it('stamps meta.created and meta.lastModified with the clock', async () => {
    const createdAt = clock.iso();
    const user = await r.createUser('clocked@example.com');
    expect(user.meta).toMatchObject({ created: createdAt, lastModified: createdAt });
    const group = await r.createGroup('Clocked', [user.id]);
    expect(group.meta).toMatchObject({ created: createdAt, lastModified: createdAt });

    clock.advance(HOUR);
    const patched = await r.patch(`/Users/${user.id}`, patchOp({ op: 'replace', path: 'title', value: 'Clockmaker' }));
    expect(patched.body.meta).toMatchObject({ created: createdAt, lastModified: clock.iso() });
    const renamed = await r.patch(`/Groups/${group.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Clocked Again' }));
    expect(renamed.status).toBe(200);
    expect((await r.get(`/Groups/${group.id}`)).body.meta).toMatchObject({ created: createdAt, lastModified: clock.iso() });
    const activity = (await r.api('GET', `/activity?resourceId=${user.id}`)).body.items.map((a: { at: string }) => a.at);
    expect(activity).toEqual([clock.iso(), createdAt]);
  });

  it("records a token's use at most once a minute", async () => {
    const issued = (await r.api('POST', '/tokens', { label: 'clocked' })).body;
    const lastUsed = async () => (await r.api('GET', '/tokens')).body.items.find((t: { id: string }) => t.id === issued.id)?.lastUsed;
    const firstUse = clock.iso();
    expect((await r.get('/Users?count=1', { token: issued.token })).status).toBe(200);
    await waitFor(async () => (await lastUsed()) === firstUse, 10_000, 'the first use recorded');

    clock.advance(59 * SECOND);
    expect((await r.get('/Users?count=1', { token: issued.token })).status).toBe(200);
    expect(await lastUsed()).toBe(firstUse);

    clock.advance(SECOND);
    const laterUse = clock.iso();
    expect((await r.get('/Users?count=1', { token: issued.token })).status).toBe(200);
    await waitFor(async () => (await lastUsed()) === laterUse, 10_000, 'the use a minute later recorded');
  });
});

describe('portal sessions and sign-in', () => {
  it('ends a session left idle for PORTAL_SESSION_IDLE_SECONDS, and activity keeps it open', async () => {
    const clock = new TestClock();
    const r = await TestReceiver.start({ PORTAL_SESSION_IDLE_SECONDS: '1800' }, { clock });
    try {
      const session = await portalSignIn(r);
      expect((await session.page('/users')).status).toBe(200);
      // Each visit inside the window restarts it.
      for (let i = 0; i < 3; i++) {
        clock.advance(29 * MINUTE);
        expect((await session.page('/users')).status).toBe(200);
      }
      clock.advance(30 * MINUTE);
      const expired = await session.page('/users');
      expect(expired.status).toBe(303);
      expect(expired.location).toContain('reason=expired');
      const login = await fetch(`${r.receiver.url}${expired.location!}`);
      expect(await login.text()).toContain('Your session has expired');
      // The expired session was deleted: the cookie now names no session at all.
      const again = await session.page('/users');
      expect(again.status).toBe(303);
      expect(again.location).not.toContain('reason=expired');
    } finally {
      await r.stop();
    }
  });

  it('ends a session PORTAL_SESSION_MAX_SECONDS after sign-in, however active', async () => {
    const clock = new TestClock();
    const r = await TestReceiver.start({ PORTAL_SESSION_IDLE_SECONDS: '1800', PORTAL_SESSION_MAX_SECONDS: String(8 * 3600) }, { clock });
    try {
      const session = await portalSignIn(r);
      for (let elapsed = 0; elapsed < 8 * HOUR - 20 * MINUTE; elapsed += 20 * MINUTE) {
        clock.advance(20 * MINUTE);
        expect((await session.page('/users')).status).toBe(200);
      }
      clock.advance(19 * MINUTE);
      expect((await session.page('/users')).status).toBe(200);
      clock.advance(MINUTE);
      const expired = await session.page('/users');
      expect(expired.status).toBe(303);
      expect(expired.location).toContain('reason=expired');
    } finally {
      await r.stop();
    }
  });

  it('locks sign-in for PORTAL_LOGIN_LOCK_SECONDS after PORTAL_LOGIN_MAX_ATTEMPTS failures', async () => {
    const clock = new TestClock();
    const r = await TestReceiver.start({ PORTAL_LOGIN_MAX_ATTEMPTS: '3', PORTAL_LOGIN_LOCK_SECONDS: '600' }, { clock });
    try {
      const { username, password } = printedAccount(r);
      expect((await portalLogin(r, username, 'wrong-1')).status).toBe(401);
      expect((await portalLogin(r, username, 'wrong-2')).status).toBe(401);
      const locked = await portalLogin(r, username, 'wrong-3');
      expect(locked.status).toBe(429);
      expect(locked.headers.get('retry-after')).toBe('600');

      clock.advance(599 * SECOND);
      const stillLocked = await portalLogin(r, username, password);
      expect(stillLocked.status).toBe(429);
      expect(stillLocked.headers.get('retry-after')).toBe('1');

      clock.advance(SECOND);
      expect((await portalLogin(r, username, password)).status).toBe(303);
    } finally {
      await r.stop();
    }
  });
});

describe('invitations', () => {
  it('refuses a link once INVITATION_LINK_TTL_SECONDS have passed, and does not enrol', async () => {
    const clock = new TestClock();
    const sink = await SmtpSink.start();
    const r = await TestReceiver.start({ SMTP_URL: sink.url, INVITATION_LINK_TTL_SECONDS: String(72 * 3600), INVITATION_POLL_MS: '60000' }, { clock });
    try {
      await r.api('PUT', '/settings', { autoInvite: true });
      const user = await r.createUser('slow.reader@example.com');
      await waitFor(() => sink.messages.length === 1, 10_000, 'the invitation');
      const url = invitationLinkIn(sink.messages[0]!).replace(/^http:\/\/localhost:\d+/, r.receiver.url);
      await waitFor(async () => (await r.api('GET', `/invitations?userId=${user.id}`)).body.items[0]?.status === 'sent', 10_000, 'status sent');
      expect((await r.api('GET', `/invitations?userId=${user.id}`)).body.items[0].expiresAt).toBe(clock.iso(72 * HOUR));

      clock.advance(72 * HOUR - SECOND);
      expect((await invitationPage(url, 'GET')).status).toBe(200);
      clock.advance(2 * SECOND);
      const expired = await invitationPage(url, 'POST');
      expect(expired.status).toBe(410);
      expect(expired.text).toContain('expired');
      expect((await invitationPage(url, 'GET')).status).toBe(410);
      expect((await r.api('GET', `/users/${user.id}`)).body.enrolled).toBe(false);
    } finally {
      await r.stop();
      await sink.stop();
    }
  });

  it('retries a failed e-mail after INVITATION_RETRY_BASE_MS, doubling the wait each time', async () => {
    const clock = new TestClock();
    const sink = await SmtpSink.start({ SMTP_SINK_FAIL_FIRST: '2' });
    const r = await TestReceiver.start({ SMTP_URL: sink.url, INVITATION_RETRY_BASE_MS: String(MINUTE), INVITATION_POLL_MS: '60000' }, { clock });
    try {
      await r.api('PUT', '/settings', { autoInvite: true });
      const user = await r.createUser('flaky.relay@example.com');
      const invitation = async () => (await r.api('GET', `/invitations?userId=${user.id}`)).body.items[0];
      await waitFor(async () => (await invitation())?.attempts === 1, 10_000, 'the first attempt');
      expect(await invitation()).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: clock.iso(MINUTE), lastError: expect.stringMatching(/451|Temporary relay failure/) });

      // Not due a second early; due on the minute.
      clock.advance(MINUTE - SECOND);
      await r.receiver.sendInvitations();
      expect((await invitation()).attempts).toBe(1);
      clock.advance(SECOND);
      await r.receiver.sendInvitations();
      await waitFor(async () => (await invitation())?.attempts === 2, 10_000, 'the second attempt');
      expect(await invitation()).toMatchObject({ status: 'pending', attempts: 2, nextAttemptAt: clock.iso(2 * MINUTE) });

      clock.advance(2 * MINUTE - SECOND);
      await r.receiver.sendInvitations();
      expect((await invitation()).attempts).toBe(2);
      expect(sink.messages).toHaveLength(0);
      clock.advance(SECOND);
      await r.receiver.sendInvitations();
      await waitFor(async () => (await invitation())?.status === 'sent', 10_000, 'status sent');
      expect(await invitation()).toMatchObject({ status: 'sent', attempts: 3, sentAt: clock.iso() });
      expect((await invitation()).lastError).toBeUndefined();
      expect(sink.messages).toHaveLength(1);
    } finally {
      await r.stop();
      await sink.stop();
    }
  });
  it('gives up after INVITATION_MAX_ATTEMPTS and says so', async () => {
    const clock = new TestClock();
    const sink = await SmtpSink.start({ SMTP_SINK_FAIL_FIRST: '100' });
    const r = await TestReceiver.start({ SMTP_URL: sink.url, INVITATION_RETRY_BASE_MS: String(MINUTE), INVITATION_POLL_MS: '60000', INVITATION_MAX_ATTEMPTS: '2' }, { clock });
    try {
      await r.api('PUT', '/settings', { autoInvite: true });
      const user = await r.createUser('never.delivered@example.com');
      const invitation = async () => (await r.api('GET', `/invitations?userId=${user.id}`)).body.items[0];
      await waitFor(async () => (await invitation())?.attempts === 1, 10_000, 'the first attempt');
      expect(await invitation()).toMatchObject({ status: 'pending', attempts: 1 });
      clock.advance(MINUTE);
      await r.receiver.sendInvitations();
      await waitFor(async () => (await invitation())?.status === 'failed', 10_000, 'status failed');
      expect(await invitation()).toMatchObject({ status: 'failed', attempts: 2 });
      expect((await r.api('GET', '/diagnostics')).body.invitations).toMatchObject({ failed: 1, smtpConfigured: true });
      // Failed is final: no later pass tries again.
      clock.advance(DAY);
      await r.receiver.sendInvitations();
      expect(await invitation()).toMatchObject({ status: 'failed', attempts: 2 });
    } finally {
      await r.stop();
      await sink.stop();
    }
  });
});

describe('activity retention', () => {
  it('drops entries older than ACTIVITY_RETENTION_DAYS when the pruner runs', async () => {
    const clock = new TestClock();
    const dir = mkdtempSync(join(tmpdir(), 'scim-retention-'));
    const env = { DATA_DIR: dir, ACTIVITY_RETENTION_DAYS: '30' };
    const first = await TestReceiver.start(env, { clock });
    try {
      await first.createUser('old.entry@example.com');
      clock.advance(2 * DAY);
      await first.createUser('newer.entry@example.com');
    } finally {
      await first.receiver.close();
    }

    // The pruner runs at start (then every six hours): 30 days and a minute after the first entries
    // (the portal account's creation and the first user), only they are past the cut.
    clock.advance(28 * DAY + MINUTE);
    const second = await TestReceiver.start(env, { clock });
    try {
      const summaries = async () => (await second.api('GET', '/activity')).body.items.map((a: { summary: string }) => a.summary);
      await waitFor(async () => (await summaries()).length === 1, 10_000, 'the old entries pruned');
      expect(await summaries()).toEqual(['Created newer.entry@example.com']);
    } finally {
      await second.stop();
    }
  });
});
