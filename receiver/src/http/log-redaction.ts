/** Query parameters whose values are credentials wherever they appear. */
const SECRET_PARAMETER = /token|key|secret|passw|code|sig|auth|session|state|assertion|ticket|nonce|csrf/i;
/** Secrets this receiver issues carry a prefix (auth/tokens.ts, mail/invitation-worker.ts). */
const SECRET_VALUE = /^(?:scim|adm|inv)_/;

/**
 * A URL fit for a log line: the invitation token in `/invite/<token>` and credential-like query values
 * are replaced by `[redacted]`. Applied to every logged request URL (the link is the credential).
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).replace(/\/invite\/[^/?#]*/gi, '/invite/[redacted]');
  if (q < 0) return path;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      const name = pair.slice(0, eq);
      let value = pair.slice(eq + 1);
      try {
        value = decodeURIComponent(value.replace(/\+/g, ' '));
      } catch {
        // keep it encoded
      }
      return SECRET_PARAMETER.test(name) || SECRET_VALUE.test(value) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${path}?${query}`;
}
