import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The few cookies the portal sets, parsed and written here (RFC 6265 subset: name=value pairs, no
 * quoting). Values are URL-safe base64 or locale codes; anything else in a request is ignored.
 */
export interface CookieOptions {
  readonly path: string;
  readonly httpOnly: boolean;
  readonly sameSite: 'lax' | 'strict';
  readonly secure: boolean;
  /** Seconds; a session cookie when omitted. */
  readonly maxAge?: number;
}

const TOKEN = /^[A-Za-z0-9_-]{1,200}$/;

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header || header.length > 8192) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0 || part.slice(0, index).trim() !== name) continue;
    const value = part.slice(index + 1).trim();
    return TOKEN.test(value) ? value : undefined;
  }
  return undefined;
}

function serialize(name: string, value: string, options: CookieOptions): string {
  const attributes = [`${name}=${value}`, `Path=${options.path}`, `SameSite=${options.sameSite === 'lax' ? 'Lax' : 'Strict'}`];
  if (options.httpOnly) attributes.push('HttpOnly');
  if (options.secure) attributes.push('Secure');
  if (options.maxAge !== undefined) attributes.push(`Max-Age=${options.maxAge}`);
  return attributes.join('; ');
}

function append(reply: FastifyReply, cookie: string): void {
  const existing = reply.getHeader('set-cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  reply.header('set-cookie', [...list, cookie]);
}

export function setCookie(reply: FastifyReply, name: string, value: string, options: CookieOptions): void {
  if (!TOKEN.test(value)) throw new Error(`cookie ${name}: unexpected value`);
  append(reply, serialize(name, value, options));
}

export function clearCookie(reply: FastifyReply, name: string, options: CookieOptions): void {
  append(reply, `${serialize(name, '', { ...options, maxAge: 0 })}; Expires=Thu, 01 Jan 1970 00:00:00 GMT`);
}
