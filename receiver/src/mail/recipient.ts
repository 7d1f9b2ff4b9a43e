import addressparser from 'nodemailer/lib/addressparser';

export type RecipientCheck = { readonly ok: true; readonly address: string } | { readonly ok: false; readonly reason: string };

/** RFC 5321 §4.5.3.1.3: a forward-path holds at most 254 characters of address. */
const MAX_ADDRESS_LENGTH = 254;
/** A dot-atom local part and a domain of letter/digit/hyphen labels (Unicode letters allowed, SMTPUTF8). */
const ADDR_SPEC = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*@[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)*$/u;

/**
 * Accepts exactly one bare addr-spec (`user@example.com`) and nothing else: no display name, no list
 * (`,` `;`), no group syntax, no CR/LF or other control characters, no quoted local part, no address
 * literal. An attacker-controlled SCIM value otherwise becomes a recipient list (`victim@x\r\nBcc: …`).
 * nodemailer's own address parser must agree that the value is that single address.
 */
export function checkRecipient(value: unknown): RecipientCheck {
  if (typeof value !== 'string' || value.trim() === '') return { ok: false, reason: 'the e-mail address is empty' };
  const address = value.trim();
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be found
  if (/[\u0000-\u001f\u007f]/.test(address)) return { ok: false, reason: 'the e-mail address contains a line break or control character' };
  if (/[,;]/.test(address)) return { ok: false, reason: 'the e-mail address is a list (it contains "," or ";")' };
  if (address.length > MAX_ADDRESS_LENGTH) return { ok: false, reason: `the e-mail address is longer than ${MAX_ADDRESS_LENGTH} characters` };
  if (!ADDR_SPEC.test(address)) return { ok: false, reason: 'the e-mail address is not a single plain address such as user@example.com' };
  const parsed = addressparser(address);
  const only = parsed.length === 1 ? parsed[0] : undefined;
  if (!only || 'group' in only || only.name !== '' || only.address !== address) {
    return { ok: false, reason: 'the e-mail address does not parse as exactly one mailbox' };
  }
  return { ok: true, address };
}

/** Shown to admins: the value, quoted and cut, with control characters made visible. */
export function describeRefused(value: unknown, reason: string): string {
  const shown = JSON.stringify(typeof value === 'string' ? value.slice(0, 120) : value);
  return `Refused recipient ${shown}: ${reason}.`;
}
