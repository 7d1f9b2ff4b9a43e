/**
 * The Okta provider bindings in use, imported module by module (the provider's root index loads
 * hundreds of resources and slows synthesis down). Prebuilt 4.20 bindings from @cdktf/provider-okta;
 * okta_app_connection, okta_app_features and okta_push_group (provider ≥ 6.5) from the bindings that
 * scripts/generate-okta-bindings.ts generates offline from the 6.12 schema into .gen/.
 */
export { OktaProvider } from '@cdktf/provider-okta/lib/provider';
export type { OktaProviderConfig } from '@cdktf/provider-okta/lib/provider';
export { AppSaml } from '@cdktf/provider-okta/lib/app-saml';
export { AppAutoLogin } from '@cdktf/provider-okta/lib/app-auto-login';
export { AppUserSchemaProperty } from '@cdktf/provider-okta/lib/app-user-schema-property';
export { ProfileMapping } from '@cdktf/provider-okta/lib/profile-mapping';
export { AppGroupAssignment } from '@cdktf/provider-okta/lib/app-group-assignment';
export { UserSchemaProperty } from '@cdktf/provider-okta/lib/user-schema-property';
export { AppUser } from '@cdktf/provider-okta/lib/app-user';
export { Group } from '@cdktf/provider-okta/lib/group';
export { DataOktaGroup } from '@cdktf/provider-okta/lib/data-okta-group';
export { DataOktaUser } from '@cdktf/provider-okta/lib/data-okta-user';
export { DataOktaUserProfileMappingSource } from '@cdktf/provider-okta/lib/data-okta-user-profile-mapping-source';
export { AppConnection } from '../../.gen/okta-6.12/providers/okta/app-connection';
export { AppFeatures } from '../../.gen/okta-6.12/providers/okta/app-features';
export { PushGroup } from '../../.gen/okta-6.12/providers/okta/push-group';

/**
 * The provider versions the synthesized configuration admits (the prebuilt bindings would pin 4.20.0):
 * 6.12 or later, never 6.14.0 (Okta asks users not to install it: accidental breaking changes), and
 * not 7 (a deliberate breaking release).
 */
export const OKTA_PROVIDER_VERSION = '>= 6.12.0, != 6.14.0, < 7.0.0';
