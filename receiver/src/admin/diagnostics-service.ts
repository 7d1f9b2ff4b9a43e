import type { ScimStore, UndeclaredAttributeRecord } from '../store/types';
import type { DynamicSchemaCatalog } from './custom-schema';
import { SMTP_NOT_CONFIGURED } from './invitations-service';
import type { TokensService } from './tokens-service';

export interface UndeclaredAttributeView extends UndeclaredAttributeRecord {
  readonly hint: string;
  /** Under the receiver's own extension: one click (or one POST) declares it. */
  readonly declarable: boolean;
}

/** What needs an admin's attention: attributes Okta sends that are not declared, invitations, tokens. */
export class DiagnosticsService {
  constructor(
    private readonly store: ScimStore,
    private readonly catalog: DynamicSchemaCatalog,
    private readonly tokens: TokensService,
    private readonly smtpConfigured: boolean,
  ) {}

  async undeclared(): Promise<UndeclaredAttributeView[]> {
    return (await this.store.diagnostics.undeclared()).map((u) => {
      const declarable = u.urn === this.catalog.extensionUrn;
      return {
        ...u,
        declarable,
        hint: declarable
          ? `Okta sends "${u.name}" but the receiver does not declare it: add it (POST /api/attributes) or to RECEIVER_CONFIG, or remove it from the Okta app's profile.`
          : `Attribute "${u.name}" is not part of ${u.urn}.`,
      };
    });
  }

  async report() {
    const invitationCounts = await this.store.invitations.counts();
    return {
      extensionUrn: this.catalog.extensionUrn,
      undeclaredAttributes: (await this.undeclared()).map(({ declarable: _d, ...u }) => u),
      invitations: {
        ...invitationCounts,
        smtpConfigured: this.smtpConfigured,
        ...(this.smtpConfigured ? {} : { blockedReason: SMTP_NOT_CONFIGURED }),
      },
      tokens: (await this.tokens.list()).map((t) => ({ id: t.id, label: t.label, status: t.status, lastUsed: t.lastUsed ?? null, managed: t.managed })),
    };
  }
}
