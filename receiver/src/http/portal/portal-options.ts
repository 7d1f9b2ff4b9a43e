import type { AccountsService } from '../../admin/accounts-service';
import type { ActivityService } from '../../admin/activity-service';
import type { AttributesService } from '../../admin/attributes-service';
import type { DynamicSchemaCatalog } from '../../admin/custom-schema';
import type { DiagnosticsService } from '../../admin/diagnostics-service';
import type { DirectoryService } from '../../admin/directory-service';
import type { InvitationsService } from '../../admin/invitations-service';
import type { SessionsService } from '../../admin/sessions-service';
import type { SettingsService } from '../../admin/settings-service';
import type { TemplatesService } from '../../admin/templates-service';
import type { TokensService } from '../../admin/tokens-service';

/** The portal talks to the same services as /api; nothing here reaches the store. */
export interface PortalOptions {
  readonly catalog: DynamicSchemaCatalog;
  readonly directory: DirectoryService;
  readonly activity: ActivityService;
  readonly diagnostics: DiagnosticsService;
  readonly settings: SettingsService;
  readonly attributes: AttributesService;
  readonly templates: TemplatesService;
  readonly tokens: TokensService;
  readonly invitations: InvitationsService;
  readonly accounts: AccountsService;
  readonly sessions: SessionsService;
  readonly smtpConfigured: boolean;
  /** PUBLIC_URL: the base URL shown for Okta, and https there makes cookies Secure. */
  readonly publicUrl?: string;
  /** The port the receiver listens on (for the tunnel instructions). */
  readonly port: number;
}
