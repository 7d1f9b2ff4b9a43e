import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { CredentialKind, TokenStore } from '../store/types';
import type { Clock } from '../time/clock';
import { isoAt } from '../time/clock';

export function sha256Hex(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * 256 bits of randomness, URL-safe, with a prefix that says what the secret opens (and makes leaked
 * secrets easy to scan for): `scim_` for SCIM tokens, `adm_` for admin API keys.
 */
export function generateTokenSecret(kind: CredentialKind = 'scim'): string {
  return `${kind === 'admin' ? 'adm' : 'scim'}_${randomBytes(32).toString('base64url')}`;
}

/** A credential the verifier accepts. */
export interface Credential {
  readonly id: string;
  readonly source: 'environment' | 'store';
}

interface KnownDigest extends Credential {
  readonly digest: Buffer;
}

/**
 * Accepts `Authorization: Bearer <token>` (scheme case-insensitive). The SCIM 2.0 Test App (Header Auth)
 * sends whatever the admin typed; a bare token without a scheme is accepted too.
 */
export function tokenFromHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  const match = /^bearer\s+(.+)$/i.exec(trimmed);
  const token = match ? match[1]!.trim() : trimmed;
  return token === '' || /\s/.test(token) ? undefined : token;
}

/**
 * Checks presented tokens against stored SHA-256 digests. Every digest is compared with
 * timingSafeEqual, without stopping at the first match, so timing reveals nothing about which one matched.
 */
export class TokenVerifier {
  private digests: KnownDigest[] = [];
  private readonly lastTouched = new Map<string, number>();

  constructor(
    private readonly store: TokenStore,
    private readonly kind: CredentialKind,
    private readonly environmentHashes: readonly string[],
    private readonly clock: Clock,
    /** Minimum interval between `lastUsed` writes per token, so auth does not write on every request. */
    private readonly touchIntervalMs = 60_000,
  ) {}

  /** Re-reads the active tokens; call after any token change (an inactive token fails at once). */
  async reload(): Promise<void> {
    const stored = (await this.store.list(this.kind)).filter((t) => t.status === 'active');
    this.digests = [
      ...this.environmentHashes.map((h, i) => ({ id: `env-${i + 1}`, source: 'environment' as const, digest: Buffer.from(h, 'hex') })),
      ...stored.map((t) => ({ id: t.id, source: 'store' as const, digest: Buffer.from(t.sha256, 'hex') })),
    ];
  }

  get count(): number {
    return this.digests.length;
  }

  verify(header: string | undefined): Credential | undefined {
    const token = tokenFromHeader(header);
    if (!token) return undefined;
    const presented = createHash('sha256').update(token, 'utf8').digest();
    let found: KnownDigest | undefined;
    for (const known of this.digests) {
      if (timingSafeEqual(known.digest, presented) && !found) found = known;
    }
    if (found?.source === 'store') this.touch(found.id);
    return found ? { id: found.id, source: found.source } : undefined;
  }

  private touch(id: string): void {
    const now = this.clock.now();
    if (now - (this.lastTouched.get(id) ?? 0) < this.touchIntervalMs) return;
    this.lastTouched.set(id, now);
    this.store.touch(id, isoAt(now)).catch(() => {
      this.lastTouched.delete(id); // best effort: bookkeeping must never fail a request
    });
  }
}
