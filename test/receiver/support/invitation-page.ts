import type { ReceivedMail } from './smtp';

/** The invitation link an invitation e-mail carries. */
export function invitationLinkIn(mail: ReceivedMail): string {
  const match = /(http:\/\/\S+\/invite\/inv_[A-Za-z0-9_-]+)/.exec(mail.text);
  if (!match) throw new Error(`no invitation link in ${mail.text}`);
  return match[1]!;
}

/** Opens (GET) or submits (POST, an empty form) the invitation page, as a browser would. */
export async function invitationPage(url: string, method: 'GET' | 'POST') {
  const response = await fetch(url, { method, ...(method === 'POST' ? { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' } : {}) });
  return { status: response.status, text: await response.text(), headers: response.headers };
}
