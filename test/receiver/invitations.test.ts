/**
 * Automatic and manual e-mail invitations, delivered to a real SMTP server process. Link expiry, retry
 * backoff and giving up are time-driven: clock.test.ts moves the receiver's clock for them.
 */
import { TestReceiver, oktaUser, patchOp } from './support/harness';
import { SmtpSink, waitFor } from './support/smtp';
import { invitationLinkIn, invitationPage } from './support/invitation-page';

describe('with an SMTP server', () => {
  let sink: SmtpSink;
  let r: TestReceiver;
  beforeAll(async () => {
    sink = await SmtpSink.start();
    r = await TestReceiver.start({ SMTP_URL: sink.url, MAIL_FROM: 'Provisioning <provisioning@example.com>', INVITATION_POLL_MS: '60000' });
  });
  afterAll(async () => {
    await r.stop();
    await sink.stop();
  });

  it('sends nothing while autoInvite is off', async () => {
    await r.createUser('not.invited@example.com');
    expect(await r.receiver.sendInvitations()).toBe(0);
    expect(sink.messages).toHaveLength(0);
    expect((await r.api('GET', '/invitations')).body.items).toEqual([]);
  });

  it('invites a user Okta creates exactly once, with a single-use link that enrols the user', async () => {
    await r.api('PUT', '/settings', { autoInvite: true });
    const user = await r.createUser('grace.hopper@example.com', {
      emails: [{ value: 'grace@home.example', type: 'home' }, { value: 'grace@work.example', type: 'work', primary: true }],
    });
    await waitFor(() => sink.messages.length === 1, 10_000, 'the invitation e-mail');
    const mail = sink.messages[0]!;
    expect(mail.to).toEqual(['grace@work.example']);
    expect(mail.from).toBe('provisioning@example.com');
    expect(mail.subject).toBe('You are invited');
    const link = invitationLinkIn(mail);
    expect(link.startsWith(`http://localhost:`)).toBe(true);

    // Okta's later traffic for the same user never sends a second invitation.
    const read = (await r.get(`/Users/${user.id}`)).body;
    await r.put(`/Users/${user.id}`, { ...read, title: 'Rear Admiral' });
    await r.patch(`/Users/${user.id}`, patchOp({ op: 'replace', value: { active: false } }));
    await r.patch(`/Users/${user.id}`, patchOp({ op: 'replace', value: { active: true } }));
    await r.receiver.sendInvitations();
    expect(sink.messages).toHaveLength(1);

    await waitFor(async () => (await r.api('GET', `/invitations?userId=${user.id}`)).body.items[0]?.status === 'sent', 10_000, 'the invitation to be marked sent');
    const invitation = (await r.api('GET', `/invitations?userId=${user.id}`)).body.items;
    expect(invitation).toEqual([expect.objectContaining({ status: 'sent', attempts: 1, email: 'grace@work.example', reason: 'auto' })]);
    expect(JSON.stringify(invitation)).not.toContain(link.split('/invite/')[1]);

    const url = link.replace(/^http:\/\/localhost:\d+/, r.receiver.url);
    const page = await invitationPage(url, 'GET');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<form method="post">');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect((await r.api('GET', `/users/${user.id}`)).body.enrolled).toBe(false); // GET alone changes nothing

    const accepted = await invitationPage(url, 'POST');
    expect(accepted.status).toBe(200);
    expect(accepted.text).toContain('You are enrolled');
    const detail = (await r.api('GET', `/users/${user.id}`)).body;
    expect(detail.enrolled).toBe(true);
    expect(detail.enrolledAt).toEqual(expect.any(String));

    const again = await invitationPage(url, 'POST');
    expect(again.status).toBe(410);
    expect(again.text).toContain('already been used');
    expect((await invitationPage(`${r.receiver.url}/invite/inv_forged`, 'GET')).status).toBe(404);

    const trail = (await r.api('GET', `/activity?resourceId=${user.id}&action=invitation.`)).body.items.map((a: { action: string }) => a.action);
    expect(trail).toEqual(['invitation.accepted', 'invitation.sent']);
  });

  it('does not invite users created inactive or without an e-mail', async () => {
    const before = sink.messages.length;
    await r.post('/Users', oktaUser('inactive.new@example.com', { active: false }));
    await r.post('/Users', oktaUser('no.mail@example.com', { emails: undefined }));
    await r.receiver.sendInvitations();
    expect(sink.messages).toHaveLength(before);
  });

  it('lets an admin re-invite: a new e-mail and link, the old link stops working', async () => {
    await r.api('PUT', '/settings', { autoInvite: true }); // independent of the tests before it
    const user = await r.createUser('reinvite@example.com');
    await waitFor(() => sink.messages.some((m) => m.to.includes('reinvite@example.com')), 10_000, 'the first invitation');
    const firstLink = invitationLinkIn(sink.messages.find((m) => m.to.includes('reinvite@example.com'))!).replace(/^http:\/\/localhost:\d+/, r.receiver.url);

    const reinvite = await r.api('POST', `/users/${user.id}/invitations`);
    expect(reinvite.status).toBe(201);
    expect(reinvite.body).toMatchObject({ reason: 'manual', status: 'pending', email: 'reinvite@example.com' });
    await waitFor(() => sink.messages.filter((m) => m.to.includes('reinvite@example.com')).length === 2, 10_000, 'the second invitation');
    const secondLink = invitationLinkIn(sink.messages.filter((m) => m.to.includes('reinvite@example.com'))[1]!).replace(/^http:\/\/localhost:\d+/, r.receiver.url);
    // The e-mail leaves before the worker records the link's digest: wait for that too.
    await waitFor(
      async () => (await r.api('GET', `/invitations?userId=${user.id}`)).body.items.some((i: { reason: string; status: string }) => i.reason === 'manual' && i.status === 'sent'),
      10_000,
      'the second invitation to be marked sent',
    );
    expect(secondLink).not.toBe(firstLink);
    expect((await invitationPage(firstLink, 'POST')).status).toBe(404);
    expect((await invitationPage(secondLink, 'POST')).status).toBe(200);
  });

  it('refuses a manual invitation for unknown users and users without e-mail', async () => {
    expect((await r.api('POST', '/users/nope/invitations')).status).toBe(404);
    const noMail = (await r.post('/Users', oktaUser('nomail2@example.com', { emails: undefined }))).body;
    const response = await r.api('POST', `/users/${noMail.id}/invitations`);
    expect(response.status).toBe(400);
    expect(response.body.error.field).toBe('emails');
  });
});

it('without SMTP, keeps invitations pending and says why', async () => {
  const r = await TestReceiver.start();
  try {
    await r.api('PUT', '/settings', { autoInvite: true });
    const user = await r.createUser('waiting@example.com');
    const items = (await r.api('GET', `/invitations?userId=${user.id}`)).body.items;
    expect(items).toEqual([expect.objectContaining({ status: 'pending', attempts: 0, blockedReason: expect.stringMatching(/SMTP_URL/) })]);
    const diagnostics = (await r.api('GET', '/diagnostics')).body.invitations;
    expect(diagnostics).toMatchObject({ pending: 1, smtpConfigured: false, blockedReason: expect.stringMatching(/SMTP_URL/) });
  } finally {
    await r.stop();
  }
});
