import type { OutgoingMail } from './mailer';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function invitationEmail(to: string, name: string, link: string, expiresAt: string): OutgoingMail {
  const expires = new Date(expiresAt).toUTCString();
  return {
    to,
    subject: 'You are invited',
    text: `Hello ${name},\n\nYour account has been created. Open this link to enrol:\n\n${link}\n\nThe link works once and expires on ${expires}.\n`,
    html: `<p>Hello ${escapeHtml(name)},</p><p>Your account has been created. <a href="${escapeHtml(link)}">Enrol now</a>.</p><p>The link works once and expires on ${escapeHtml(expires)}.</p>`,
  };
}
