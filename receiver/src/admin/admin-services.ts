import type { ActivityService } from './activity-service';
import type { AttributesService } from './attributes-service';
import type { DynamicSchemaCatalog } from './custom-schema';
import type { DiagnosticsService } from './diagnostics-service';
import type { DirectoryService } from './directory-service';
import type { InvitationsService } from './invitations-service';
import type { SettingsService } from './settings-service';
import type { TemplatesService } from './templates-service';
import type { TokensService } from './tokens-service';

/** The services both administration surfaces (/api and the portal) are built on: one set, built once. */
export interface AdminServices {
  readonly catalog: DynamicSchemaCatalog;
  readonly directory: DirectoryService;
  readonly activity: ActivityService;
  readonly diagnostics: DiagnosticsService;
  readonly settings: SettingsService;
  readonly attributes: AttributesService;
  readonly templates: TemplatesService;
  readonly tokens: TokensService;
  readonly invitations: InvitationsService;
}
