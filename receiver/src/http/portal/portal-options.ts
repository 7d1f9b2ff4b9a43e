import type { AdminServices } from '../../admin/admin-services';
import type { AccountsService } from '../../admin/accounts-service';
import type { OidcService } from '../../admin/oidc-service';
import type { SessionsService } from '../../admin/sessions-service';

/** The portal talks to the same services as /api; nothing here reaches the store. */
export interface PortalOptions extends AdminServices {
  readonly accounts: AccountsService;
  readonly sessions: SessionsService;
  /** Sign-in with Okta, when OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET are set. */
  readonly oidc?: OidcService;
  readonly smtpConfigured: boolean;
  /** PUBLIC_URL: the base URL shown for Okta, and https there makes cookies Secure. */
  readonly publicUrl?: string;
  /** The port the receiver listens on (for the tunnel instructions). */
  readonly port: number;
}
