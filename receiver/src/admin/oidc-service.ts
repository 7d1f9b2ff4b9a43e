import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { JWTPayload, createRemoteJWKSet } from 'jose';
import type { OidcSettings } from '../settings';
import type { ScimStore } from '../store/types';
import type { Clock } from '../time/clock';
import type { OpenedSession, SessionsService } from './sessions-service';

/** Why a sign-in with Okta did not open a session; each has its own message in the portal. */
export type OidcFailure =
  /** The pre-login cookie is missing, expired or does not match `state` (a forged or replayed callback). */
  | 'state'
  /** The provider answered `error=…` (access_denied: the user is not assigned to the app, or cancelled). */
  | 'denied'
  /** The provider could not be reached or answered something unusable (discovery, token endpoint, JWKS). */
  | 'provider'
  /** The ID token failed verification (signature, iss, aud, exp/iat, nonce). */
  | 'token'
  /** A valid user without the admin claim. */
  | 'forbidden';

export class OidcError extends Error {
  constructor(
    readonly failure: OidcFailure,
    detail: string,
    /** The provider's own error code (`access_denied`), safe to show. */
    readonly providerError?: string,
  ) {
    super(detail);
    this.name = 'OidcError';
  }
}

/** What the browser keeps between the redirect to Okta and the callback (in an HttpOnly cookie). */
export interface PendingLogin {
  /** URL-safe; `state` + `nonce` + PKCE verifier, 43 characters each. */
  readonly cookie: string;
  readonly authorizationUrl: string;
}

export interface OidcIdentity {
  readonly subject: string;
  readonly email?: string;
  readonly name?: string;
}

interface Discovery {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly jwks_uri: string;
  readonly token_endpoint_auth_methods_supported?: readonly string[];
  readonly id_token_signing_alg_values_supported?: readonly string[];
}

const PART = 43; // 32 random bytes in base64url
const random = () => randomBytes(32).toString('base64url');
const HTTP_TIMEOUT_MS = 10_000;
/** Okta's and most providers' clocks are close; a minute absorbs a drifting host. */
const CLOCK_TOLERANCE_SECONDS = 60;
const DISCOVERY_TTL_MS = 3_600_000;
/** Algorithms accepted when discovery does not list them; never `none` or HMAC (the secret is shared). */
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

const sameText = (a: string, b: string) => {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y) && a === b;
};

/**
 * Sign-in with Okta for the portal: authorization code flow with PKCE (S256), `state` and `nonce`
 * bound to the browser, the code exchanged with the client secret, the ID token verified with jose
 * against the provider's JWKS; an admin claim opens a portal session like a password sign-in.
 */
export class OidcService {
  private discovery?: { readonly value: Discovery; readonly at: number };
  private jwks?: { readonly uri: string; readonly set: ReturnType<typeof createRemoteJWKSet> };

  constructor(
    private readonly settings: OidcSettings,
    private readonly store: ScimStore,
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
  ) {}

  get redirectUrl(): string {
    return this.settings.redirectUrl;
  }

  async begin(): Promise<PendingLogin> {
    const provider = await this.discover();
    const [state, nonce, verifier] = [random(), random(), random()];
    const target = new URL(provider.authorization_endpoint);
    const params = {
      response_type: 'code',
      client_id: this.settings.clientId,
      redirect_uri: this.settings.redirectUrl,
      scope: this.settings.scopes,
      state,
      nonce,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    };
    for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
    return { cookie: `${state}${nonce}${verifier}`, authorizationUrl: target.toString() };
  }

  /** Handles the callback's query; throws OidcError for every refusal. */
  async complete(cookie: string | undefined, query: Record<string, unknown>): Promise<{ identity: OidcIdentity; opened: OpenedSession }> {
    const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string).slice(0, 2000) : undefined);
    if (!cookie || cookie.length !== 3 * PART) throw new OidcError('state', 'no pending sign-in in this browser (cookie missing or expired)');
    const [state, nonce, verifier] = [cookie.slice(0, PART), cookie.slice(PART, 2 * PART), cookie.slice(2 * PART)];
    const presented = text('state');
    if (presented === undefined || !sameText(presented, state)) throw new OidcError('state', 'state does not match this browser\u2019s pending sign-in');
    const error = text('error');
    if (error !== undefined) {
      const code = /^[\x20-\x7e]{1,100}$/.test(error) ? error : 'invalid';
      throw new OidcError('denied', `the provider answered ${code}`, code);
    }
    const code = text('code');
    if (!code) throw new OidcError('provider', 'the callback carries no authorization code');
    const provider = await this.discover();
    // RFC 9207: when the provider names itself, it must be the configured one (mix-up defence).
    const iss = text('iss');
    if (iss !== undefined && iss !== provider.issuer) throw new OidcError('token', 'the callback comes from another issuer');

    const idToken = await this.exchange(provider, code, verifier);
    const claims = await this.verify(provider, idToken, nonce);
    const identity: OidcIdentity = {
      subject: claims.sub!,
      ...(typeof claims.email === 'string' ? { email: claims.email.slice(0, 200) } : {}),
      ...(typeof claims.name === 'string' ? { name: claims.name.slice(0, 200) } : {}),
    };
    const principal = `oidc:${identity.subject}`;
    const actor = `portal:${principal}`;
    const shown = [identity.name, identity.email ? `<${identity.email}>` : undefined].filter(Boolean).join(' ') || identity.subject;
    if (!this.isAdmin(claims)) {
      await this.store.activity.append({ actor, action: 'portal.oidc-refused', resourceType: 'Account', summary: `Refused sign-in with Okta for ${shown}: the ID token's "${this.settings.adminClaim}" claim does not grant admin` });
      throw new OidcError('forbidden', `the "${this.settings.adminClaim}" claim does not contain the admin value`);
    }
    const opened = await this.sessions.open(principal);
    await this.store.activity.append({ actor, action: 'portal.sign-in', resourceType: 'Account', summary: `Signed in to the admin portal with Okta: ${shown} (${principal})` });
    return { identity, opened };
  }

  private isAdmin(claims: JWTPayload): boolean {
    const value = claims[this.settings.adminClaim];
    const wanted = this.settings.adminValue;
    if (typeof value === 'string') return value === wanted;
    if (Array.isArray(value)) return value.some((v) => v === wanted);
    return typeof value === 'boolean' && String(value) === wanted;
  }

  private async discover(): Promise<Discovery> {
    if (this.discovery && this.clock.now() - this.discovery.at < DISCOVERY_TTL_MS) return this.discovery.value;
    const where = `${this.settings.issuer}/.well-known/openid-configuration`;
    const body = await this.fetchJson(where, {});
    const value = body as Partial<Discovery>;
    const urls = [value.authorization_endpoint, value.token_endpoint, value.jwks_uri];
    if (value.issuer !== this.settings.issuer || !urls.every((u) => typeof u === 'string' && /^https?:\/\//.test(u))) {
      throw new OidcError('provider', `${where} does not describe issuer ${this.settings.issuer}`);
    }
    this.discovery = { value: value as Discovery, at: this.clock.now() };
    return this.discovery.value;
  }

  private async exchange(provider: Discovery, code: string, verifier: string): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: this.settings.redirectUrl, code_verifier: verifier });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    const methods = provider.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
    if (methods.includes('client_secret_basic') || !methods.includes('client_secret_post')) {
      // RFC 6749 §2.3.1: each part form-encoded before base64.
      const encode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
      headers.authorization = `Basic ${Buffer.from(`${encode(this.settings.clientId)}:${encode(this.settings.clientSecret)}`).toString('base64')}`;
    } else {
      form.set('client_id', this.settings.clientId);
      form.set('client_secret', this.settings.clientSecret);
    }
    const body = (await this.fetchJson(provider.token_endpoint, { method: 'POST', headers, body: form.toString() })) as { id_token?: unknown };
    if (typeof body.id_token !== 'string') throw new OidcError('provider', 'the token endpoint returned no id_token');
    return body.id_token;
  }

  private async verify(provider: Discovery, idToken: string, nonce: string): Promise<JWTPayload> {
    // Loaded at the first sign-in, not at start: most receivers never configure OIDC, and jose is a
    // large module tree (the portal imports OidcError from here either way).
    const { createRemoteJWKSet, jwtVerify } = await import('jose');
    if (this.jwks?.uri !== provider.jwks_uri) {
      this.jwks = { uri: provider.jwks_uri, set: createRemoteJWKSet(new URL(provider.jwks_uri), { timeoutDuration: HTTP_TIMEOUT_MS }) };
    }
    const listed = provider.id_token_signing_alg_values_supported?.filter((a) => ASYMMETRIC.includes(a));
    try {
      const { payload } = await jwtVerify(idToken, this.jwks.set, {
        issuer: provider.issuer,
        audience: this.settings.clientId,
        algorithms: listed && listed.length > 0 ? listed : ASYMMETRIC,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'iat', 'exp', 'nonce'],
        currentDate: new Date(this.clock.now()),
      });
      if (typeof payload.iat === 'number' && payload.iat > this.clock.now() / 1000 + CLOCK_TOLERANCE_SECONDS) throw new OidcError('token', 'ID token issued in the future');
      if (typeof payload.nonce !== 'string' || !sameText(payload.nonce, nonce)) throw new OidcError('token', 'ID token nonce does not match');
      const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      if (audiences.length > 1 && payload.azp !== this.settings.clientId) throw new OidcError('token', 'ID token azp is not this client');
      if (typeof payload.sub !== 'string' || payload.sub === '' || payload.sub.length > 255) throw new OidcError('token', 'ID token has no usable sub');
      return payload;
    } catch (error) {
      if (error instanceof OidcError) throw error;
      const reason = error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : String(error);
      throw new OidcError('token', `ID token refused (${reason})`);
    }
  }

  private async fetchJson(where: string, init: RequestInit): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(where, { ...init, redirect: 'error', signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
    } catch (error) {
      throw new OidcError('provider', `${where} unreachable (${error instanceof Error ? error.message : String(error)})`);
    }
    const text = (await response.text()).slice(0, 1_000_000);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new OidcError('provider', `${where} answered ${response.status} with a body that is not JSON`);
    }
    if (!response.ok || typeof body !== 'object' || body === null) {
      const code = typeof (body as { error?: unknown } | null)?.error === 'string' ? ` ${(body as { error: string }).error.slice(0, 100)}` : '';
      throw new OidcError('provider', `${where} answered ${response.status}${code}`);
    }
    return body;
  }
}
