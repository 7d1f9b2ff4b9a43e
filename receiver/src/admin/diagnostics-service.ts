import type { ScimStore, UndeclaredAttributeRecord } from '../store/types';
import type { DynamicSchemaCatalog } from './custom-schema';
import { UNKNOWN_SCHEMA_ONLY, undeclaredHint } from './diagnostics';
import type { InvitationsService } from './invitations-service';
import { SMTP_NOT_CONFIGURED } from './invitations-service';
import type { TokensService } from './tokens-service';

/**
 * Where an ignored attribute came from: under the receiver's extension (declarable), under a schema the
 * receiver knows but that has no such attribute, or under a URN the receiver does not know at all (the
 * Okta app's external namespace differs from SCIM_EXTENSION_URN).
 */
export type UndeclaredKind = 'extension' | 'known-schema' | 'unknown-schema';

export interface UndeclaredAttributeView extends UndeclaredAttributeRecord {
  readonly hint: string;
  readonly kind: UndeclaredKind;
  /** Under the receiver's own extension: one click (or one POST) declares it. */
  readonly declarable: boolean;
  /** The URN was listed in `schemas` with no attribute under it (the name is UNKNOWN_SCHEMA_ONLY). */
  readonly schemaOnly: boolean;
}

export interface InvitationFailureView {
  readonly id: string;
  readonly userId: string;
  readonly userName: string;
  readonly email: string;
  readonly lastError: string | null;
  readonly created: string;
}

/** How many of the latest failed invitations diagnostics lists (with their reasons). */
const RECENT_FAILURES = 20;

/** What needs an admin's attention: attributes Okta sends that are not declared, invitations, tokens. */
export class DiagnosticsService {
  constructor(
    private readonly store: ScimStore,
    private readonly catalog: DynamicSchemaCatalog,
    private readonly tokens: TokensService,
    private readonly invitations: InvitationsService,
    private readonly smtpConfigured: boolean,
  ) {}

  async undeclared(): Promise<UndeclaredAttributeView[]> {
    const extensionUrn = this.catalog.extensionUrn;
    const knownUrns = this.catalog.resourceTypes().flatMap((t) => [t.schema.id, ...t.extensions.map((e) => e.id)]);
    const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
    return (await this.store.diagnostics.undeclared()).map((u) => {
      const kind: UndeclaredKind = same(u.urn, extensionUrn) ? 'extension' : knownUrns.some((k) => same(k, u.urn)) ? 'known-schema' : 'unknown-schema';
      return {
        ...u,
        kind,
        declarable: kind === 'extension',
        schemaOnly: u.name === UNKNOWN_SCHEMA_ONLY,
        hint: undeclaredHint(u, extensionUrn, knownUrns),
      };
    });
  }

  /** The latest failed invitations with their reasons (a refused recipient is one), for the admin to act on. */
  async recentFailures(): Promise<InvitationFailureView[]> {
    const failed = await this.invitations.list({ status: 'failed', limit: RECENT_FAILURES });
    return failed.map((i) => ({ id: i.id, userId: i.userId, userName: i.userName, email: i.email, lastError: i.lastError ?? null, created: i.created }));
  }

  async report() {
    const invitationCounts = await this.store.invitations.counts();
    return {
      extensionUrn: this.catalog.extensionUrn,
      undeclaredAttributes: (await this.undeclared()).map(({ declarable: _d, kind: _k, schemaOnly: _s, ...u }) => u),
      invitations: {
        ...invitationCounts,
        smtpConfigured: this.smtpConfigured,
        ...(this.smtpConfigured ? {} : { blockedReason: SMTP_NOT_CONFIGURED }),
        recentFailures: await this.recentFailures(),
      },
      tokens: (await this.tokens.list()).map((t) => ({ id: t.id, label: t.label, status: t.status, lastUsed: t.lastUsed ?? null, managed: t.managed })),
    };
  }
}
