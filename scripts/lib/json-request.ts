/**
 * One HTTP request to the receiver as its clients make them (Okta, the admin API's callers): a bearer
 * token, a JSON body, the answer's body parsed. Shared by the verify command and the tests that drive a
 * receiver over the network; the receiver itself never imports it.
 */

export interface JsonRequestOptions {
  /** The bearer token (it wins over an authorization in `headers`); none sent when undefined. */
  readonly token?: string | undefined;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Sent as is instead of `body` (a malformed or hand-written payload). */
  readonly raw?: string | undefined;
  /** Added to (and overriding) the defaults: accept and, with a body, content-type `application/scim+json`. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly timeoutMs?: number | undefined;
  /**
   * `json`: a non-empty answer that is not JSON throws (a caller that only ever expects JSON);
   * `json-or-text` (the default): such an answer is returned as its text.
   */
  readonly parse?: 'json' | 'json-or-text';
}

export interface JsonReply<T = unknown> {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed answer; undefined when it was empty. */
  readonly body: T;
  readonly text: string;
}

export async function jsonRequest<T = unknown>(method: string, url: string, options: JsonRequestOptions = {}): Promise<JsonReply<T>> {
  const headers: Record<string, string> = { accept: 'application/scim+json' };
  const payload = options.raw ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined);
  if (payload !== undefined) headers['content-type'] = 'application/scim+json; charset=utf-8';
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    // Header names are case-insensitive: a caller's Content-Type replaces the default content-type.
    for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    headers[name] = value;
  }
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(url, {
    method,
    headers,
    ...(payload !== undefined ? { body: payload } : {}),
    ...(options.timeoutMs !== undefined ? { signal: AbortSignal.timeout(options.timeoutMs) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: parseBody(text, options.parse ?? 'json-or-text', method, url, response.status) as T, text };
}

function parseBody(text: string, parse: 'json' | 'json-or-text', method: string, url: string, status: number): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    if (parse === 'json-or-text') return text;
    throw new Error(`${method} ${url}: ${status} answered with a body that is not JSON: ${text.slice(0, 200)}`, { cause: error });
  }
}
