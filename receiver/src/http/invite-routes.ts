import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AcceptOutcome, InvitationsService } from '../admin/invitations-service';

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#1f2933}button{font-size:1rem;padding:.6rem 1.2rem}</style>
</head><body><h1>${title}</h1>${body}</body></html>`;
}

const FAILURES: Record<Exclude<AcceptOutcome, 'accepted'>, [number, string, string]> = {
  unknown: [404, 'Invitation not found', '<p>This link is not valid. Ask your administrator for a new invitation.</p>'],
  used: [410, 'Invitation already used', '<p>This link has already been used. You are enrolled.</p>'],
  expired: [410, 'Invitation expired', '<p>This link has expired. Ask your administrator for a new invitation.</p>'],
};

function fail(reply: FastifyReply, outcome: Exclude<AcceptOutcome, 'accepted'>) {
  const [status, title, body] = FAILURES[outcome];
  return reply.code(status).type('text/html; charset=utf-8').send(page(title, body));
}

/**
 * `/invite/{token}`: the link in invitation e-mails. GET only shows a confirmation (mail scanners
 * prefetch links); the POST that the button sends uses the single-use token and enrols the user.
 */
export async function inviteRoutes(app: FastifyInstance, options: { invitations: InvitationsService }): Promise<void> {
  // The confirmation form posts an empty urlencoded body; nothing in it is read.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, _body, done) => done(null, undefined));

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('cache-control', 'no-store');
    reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
    return payload;
  });

  app.get<{ Params: { token: string } }>('/:token', async (request, reply) => {
    const { outcome } = await options.invitations.check(request.params.token);
    if (outcome !== 'accepted') return fail(reply, outcome);
    return reply
      .type('text/html; charset=utf-8')
      .send(page('Accept your invitation', `<form method="post"><p>Confirm to activate your account.</p><button type="submit">Enrol</button></form>`));
  });

  app.post<{ Params: { token: string } }>('/:token', async (request, reply) => {
    const { outcome } = await options.invitations.accept(request.params.token);
    if (outcome !== 'accepted') return fail(reply, outcome);
    return reply.type('text/html; charset=utf-8').send(page('You are enrolled', '<p>Your account is ready. You can close this page.</p>'));
  });
}
