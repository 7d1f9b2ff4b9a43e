/** Okta's side of the wire: SCIM requests with a bearer token, as Okta sends them (docs/okta-scim-behavior.md §2). */
import { jsonRequest } from '../lib/json-request';
import type { ScimCall } from './okta-simulator';

/** A base URL fit for printing: no credentials, query or fragment. */
export function printableUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    u.search = '';
    u.hash = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(invalid URL)';
  }
}

export function scimClient(baseUrl: string, token: string, timeoutMs = 60_000): ScimCall {
  const base = baseUrl.replace(/\/+$/, '');
  return async (method, path, body) => {
    const reply = await jsonRequest(method, `${base}${path}`, {
      token,
      body,
      headers: { 'user-agent': 'Okta SCIM Client 1.0.0 (okta-scim-kit verify)' },
      // Okta gives up after 60 s without an answer (docs/okta-scim-behavior.md §2).
      timeoutMs,
    });
    return { status: reply.status, body: reply.body };
  };
}
