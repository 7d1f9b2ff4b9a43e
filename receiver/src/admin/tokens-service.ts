import { generateTokenSecret, sha256Hex } from '../auth/tokens';
import type { TokenVerifier } from '../auth/tokens';
import type { ActivityInput, ScimStore, TokenRecord, TokenStatus } from '../store/types';
import { conflict, notFoundError } from './errors';

/** At most this many SCIM tokens exist at a time (the product rule: one in use, one for rotation). */
export const MAX_TOKENS = 2;

export interface TokenView {
  readonly id: string;
  readonly label: string;
  readonly status: TokenStatus;
  readonly created?: string;
  readonly lastUsed?: string;
  /** Provided by hash through SCIM_TOKEN_SHA256: listed, never changed here. */
  readonly managed: boolean;
}

export interface IssuedToken extends TokenView {
  /** The secret, shown once. */
  readonly token: string;
}

/** SCIM bearer tokens: generate, list, activate/deactivate, renew, remove, each recorded in the activity log. */
export class TokensService {
  constructor(
    private readonly store: ScimStore,
    private readonly verifier: TokenVerifier,
    private readonly environmentHashes: readonly string[],
  ) {}

  async list(): Promise<TokenView[]> {
    const managed: TokenView[] = this.environmentHashes.map((_h, i) => ({
      id: `env-${i + 1}`,
      label: `SCIM_TOKEN_SHA256 #${i + 1}`,
      status: 'active',
      managed: true,
    }));
    return [...managed, ...(await this.store.tokens.list('scim')).map(view)];
  }

  async generate(label: string, actor: string): Promise<IssuedToken> {
    const existing = await this.store.tokens.list('scim');
    if (existing.length >= MAX_TOKENS) {
      throw conflict(`At most ${MAX_TOKENS} tokens can exist at a time; remove or renew one instead.`, undefined, {
        tokens: existing.map((t) => ({ id: t.id, label: t.label })),
      });
    }
    const secret = generateTokenSecret();
    const record = await this.store.tokens.insert(
      { label, sha256: sha256Hex(secret), kind: 'scim' },
      { actor, action: 'token.create', resourceType: 'Token', summary: `Generated token "${label}"` },
    );
    await this.verifier.reload();
    return { ...view(record), token: secret };
  }

  async setStatus(id: string, status: TokenStatus, actor: string): Promise<TokenView> {
    const record = await this.require(id);
    if (record.status === status) return view(record);
    const verb = status === 'active' ? 'activate' : 'deactivate';
    const updated = await this.store.tokens.update(id, { status }, this.activity(actor, `token.${verb}`, record, `${verb === 'activate' ? 'Activated' : 'Deactivated'} token "${record.label}"`));
    await this.verifier.reload();
    return view(updated ?? record);
  }

  /** A new secret in the same slot; the old secret stops working at once. */
  async renew(id: string, actor: string): Promise<IssuedToken> {
    const record = await this.require(id);
    const secret = generateTokenSecret();
    const updated = await this.store.tokens.update(id, { sha256: sha256Hex(secret) }, this.activity(actor, 'token.renew', record, `Renewed token "${record.label}"`));
    await this.verifier.reload();
    return { ...view(updated ?? record), token: secret };
  }

  async remove(id: string, actor: string): Promise<void> {
    const record = await this.require(id);
    await this.store.tokens.delete(id, this.activity(actor, 'token.delete', record, `Removed token "${record.label}"`));
    await this.verifier.reload();
  }

  private async require(id: string): Promise<TokenRecord> {
    if (/^env-\d+$/.test(id)) throw conflict(`Token ${id} is provided by SCIM_TOKEN_SHA256 (managed by code); change it there.`);
    const record = await this.store.tokens.get(id);
    if (!record || record.kind !== 'scim') throw notFoundError(`Token ${id} not found.`);
    return record;
  }

  private activity(actor: string, action: string, record: TokenRecord, summary: string): ActivityInput {
    return { actor, action, resourceType: 'Token', resourceId: record.id, summary };
  }
}

function view(record: TokenRecord): TokenView {
  return {
    id: record.id,
    label: record.label,
    status: record.status,
    created: record.created,
    ...(record.lastUsed ? { lastUsed: record.lastUsed } : {}),
    managed: false,
  };
}
