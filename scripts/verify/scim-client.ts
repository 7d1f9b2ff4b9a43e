/** Okta's side of the wire: SCIM requests with a bearer token, as Okta sends them (docs/okta-scim-behavior.md §2). */
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
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/scim+json', 'user-agent': 'Okta SCIM Client 1.0.0 (okta-scim-kit verify)' };
    if (body !== undefined) headers['content-type'] = 'application/scim+json; charset=utf-8';
    const response = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      // Okta gives up after 60 s without an answer (docs/okta-scim-behavior.md §2).
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: response.status, body: parsed };
  };
}
