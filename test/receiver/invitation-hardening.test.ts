/** Issue 10: invitations go to exactly one validated mailbox; the outbox survives shutdowns and races. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestReceiver } from './support/harness';
import { portalSignIn } from './support/portal-http';
import type { ReceivedMail } from './support/smtp';
import { SmtpSink, waitFor } from './support/smtp';
import { withStoreSql } from './support/store-sql';

function linkIn(mail: ReceivedMail, base: string): string {
  const match = /http:\/\/\S+\/invite\/(inv_[A-Za-z0-9_-]+)/.exec(mail.text);
  if (!match) throw new Error(`no invitation link in ${mail.text}`);
  return `${base}/invite/${match[1]}`;
}

const post = (url: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });

describe('recipient validation (defect 1)', () => {
  let sink: SmtpSink;
  let r: TestReceiver;
  beforeAll(async () => {
    sink = await SmtpSink.start();
    r = await TestReceiver.start({ SMTP_URL: sink.url, INVITATION_POLL_MS: '60000' });
    await r.api('PUT', '/settings', { autoInvite: true });
  });
  afterAll(async () => {
    await r.stop();
    await sink.stop();
  });

  it.each([
    ['a CR/LF header injection', 'victim@example.com\r\nBcc: attacker@evil.test'],
    ['a bare LF', 'victim@example.com\nattacker@evil.test'],
    ['a comma-separated list', 'victim@example.com, attacker@evil.test'],
    ['a semicolon-separated list', 'victim@example.com;attacker@evil.test'],
    ['group syntax', 'Friends: victim@example.com, attacker@evil.test;'],
    ['a display name', 'Victim <attacker@evil.test>'],
    ['a quoted local part', '"victim@example.com"@evil.test'],
    ['an address literal', 'victim@[203.0.113.7]'],
    ['no address at all', 'not an address'],
  ])('keeps the user but sends nothing for %s, and says why', async (_name, value) => {
    const user = await r.createUser(`refused.${Math.random().toString(36).slice(2, 8)}@example.com`, { emails: [{ value, primary: true, type: 'work' }] });
    expect(await r.receiver.sendInvitations()).toBe(0);
    expect(sink.messages).toHaveLength(0);
    const [invitation] = (await r.api('GET', `/invitations?userId=${user.id}`)).body.items;
    expect(invitation).toMatchObject({ status: 'failed', attempts: 0, reason: 'auto' });
    expect(invitation.lastError).toMatch(/^Refused recipient .*: the e-mail address/);
    const trail = (await r.api('GET', `/activity?resourceId=${user.id}&action=invitation.`)).body.items;
    expect(trail).toEqual([expect.objectContaining({ action: 'invitation.refused', summary: expect.stringMatching(/Refused recipient/) })]);
    const diagnostics = (await r.api('GET', '/diagnostics')).body.invitations;
    expect(diagnostics.recentFailures).toEqual(expect.arrayContaining([expect.objectContaining({ userId: user.id, lastError: invitation.lastError })]));
    // The portal's Diagnostics page lists it too (same service), linking to the user.
    const page = (await (await portalSignIn(r)).page('/diagnostics')).html;
    expect(page).toContain(`/admin/users/${user.id}`);
    expect(page).toContain('Refused recipient');
    // An admin's re-invitation is refused the same way, naming the field.
    const manual = await r.api('POST', `/users/${user.id}/invitations`);
    expect(manual.status).toBe(400);
    expect(manual.body.error).toMatchObject({ field: 'emails', message: expect.stringMatching(/Refused recipient/) });
  });

  it('sends to a valid address with the SMTP envelope holding exactly that address', async () => {
    await r.createUser('valid.recipient@example.com');
    await waitFor(() => sink.messages.length === 1, 10_000, 'the invitation');
    expect(sink.messages[0]!.to).toEqual(['valid.recipient@example.com']);
  });

  it('checks again right before sending: a bad address already in the outbox is refused, never sent', async () => {
    const user = await r.createUser('outbox.row@example.com', { emails: undefined });
    // A row written by an older version (or by hand): pending, with an injected recipient.
    await withStoreSql(r, (db) =>
      db.run(
        `INSERT INTO invitations (id, user_seq, email, reason, status, attempts, next_attempt_at, created)
        SELECT 'legacy-row', seq, ?, 'manual', 'pending', 0, '2000-01-01T00:00:00.000Z', '2000-01-01T00:00:00.000Z' FROM scim_users WHERE id = ?`,
        ['victim@example.com\r\nBcc: attacker@evil.test', user.id],
      ),
    );
    const before = sink.messages.length;
    expect(await r.receiver.sendInvitations()).toBe(0);
    expect(sink.messages).toHaveLength(before);
    const [invitation] = (await r.api('GET', `/invitations?userId=${user.id}`)).body.items;
    expect(invitation).toMatchObject({ id: 'legacy-row', status: 'failed', lastError: expect.stringMatching(/^Refused recipient/) });
  });
});

describe('with a slow SMTP relay (a send in flight)', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await SmtpSink.start({ SMTP_SINK_DELAY_MS: '1500' });
  });
  afterAll(async () => {
    await sink.stop();
  });

  it('a re-invite while the first e-mail is being sent wins: the first link never works (defect 9)', async () => {
    const r = await TestReceiver.start({ SMTP_URL: sink.url, INVITATION_POLL_MS: '60000' });
    try {
      await r.api('PUT', '/settings', { autoInvite: true });
      const user = await r.createUser('race.reinvite@example.com');
      await waitFor(() => sink.arrived >= 1, 10_000, 'the first e-mail on its way');
      const reinvite = await r.api('POST', `/users/${user.id}/invitations`);
      expect(reinvite.status).toBe(201);
      const mine = () => sink.messages.filter((m) => m.to.includes('race.reinvite@example.com'));
      await waitFor(() => mine().length === 2, 15_000, 'both e-mails');
      const invitations = async () => (await r.api('GET', `/invitations?userId=${user.id}`)).body.items as { reason: string; status: string }[];
      await waitFor(async () => (await invitations()).some((i) => i.reason === 'manual' && i.status === 'sent'), 10_000, 'the re-invitation recorded as sent');
      const [first, second] = mine().map((m) => linkIn(m, r.receiver.url));
      expect((await post(first!)).status).toBe(404);
      expect((await post(second!)).status).toBe(200);
      const items = (await r.api('GET', `/invitations?userId=${user.id}`)).body.items;
      expect(items.find((i: { reason: string }) => i.reason === 'auto')).toMatchObject({ status: 'failed', lastError: 'superseded by a newer invitation' });
      expect(items.find((i: { reason: string }) => i.reason === 'manual')).toMatchObject({ status: 'sent' });
    } finally {
      await r.stop();
    }
  });

  it('on shutdown, claims nothing more and gives back what it claimed; the next start sends it at once (defect 9)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scim-shutdown-'));
    const before = sink.messages.length;
    const arrivedBefore = sink.arrived;
    try {
      const first = await TestReceiver.start({ DATA_DIR: dir, SMTP_URL: sink.url, INVITATION_POLL_MS: '60000' });
      await first.api('PUT', '/settings', { autoInvite: true });
      for (let i = 0; i < 4; i++) await first.createUser(`shutdown.${i}@example.com`);
      await waitFor(() => sink.arrived > arrivedBefore, 10_000, 'a send in flight');
      await first.receiver.close(); // waits for the send in flight; the rest of the batch is released
      const delivered = sink.messages.length - before;
      expect(delivered).toBeGreaterThanOrEqual(1);
      const pending = await withStoreSql(first, (db) => db.all<{ next: string }>(`SELECT next_attempt_at AS next FROM invitations WHERE status = 'pending'`));
      expect(pending).toHaveLength(4 - delivered);
      for (const row of pending) expect(Date.parse(row.next)).toBeLessThanOrEqual(Date.now()); // due now, not after the 5-minute lease

      const second = await TestReceiver.start({ DATA_DIR: dir, SMTP_URL: sink.url, INVITATION_POLL_MS: '60000' });
      try {
        await waitFor(() => sink.messages.length - before === 4, 20_000, 'the remaining invitations after restart');
        expect(new Set(sink.messages.slice(before).map((m) => m.to[0])).size).toBe(4);
      } finally {
        await second.receiver.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
