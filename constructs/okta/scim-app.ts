import { Construct } from '../framework';
import { mentionsEnvironment } from '../environment-name';
import { Problems } from '../validation';
import { AppAutoLogin, AppSaml } from './bindings';

/** Sign-on mode of each SCIM 2.0 Test App catalog entry (behaviour doc §15). */
const CATALOG_SIGN_ON = { scim2testapp: 'SAML_2_0', scim2headerauth: 'AUTO_LOGIN' } as const;
export type ScimCatalogApp = keyof typeof CATALOG_SIGN_ON;

export interface ScimAppProps {
  /** Environment name (dev, prod…); the label must contain it. */
  readonly environment: string;
  /** Label of the app in Okta. */
  readonly label: string;
  /**
   * Catalog app to create: `scim2testapp` = "SCIM 2.0 Test App (OAuth Bearer Token)" (created as
   * `okta_app_saml`), `scim2headerauth` = "(Header Auth)" (created as `okta_app_auto_login`).
   * @default 'scim2testapp'
   */
  readonly catalogName?: ScimCatalogApp;
  /**
   * Reference an app that already exists (its id) instead of creating one.
   * @default - a new app is created from the catalog
   */
  readonly existingAppId?: string;
}

/** The Okta application that provisions into the receiver: created from the catalog, or referenced by id. */
export class ScimApp extends Construct {
  /** The app's id (0oa…): created app's attribute, or the given existing id. */
  readonly appId: string;
  /** The catalog app resource; undefined when an existing app is referenced. */
  readonly resource?: AppSaml | AppAutoLogin;
  readonly catalogName: ScimCatalogApp;

  constructor(scope: Construct, id: string, props: ScimAppProps) {
    super(scope, id);
    this.catalogName = props.catalogName ?? 'scim2testapp';
    new Problems('ScimApp')
      .check(props.label.trim().length > 0 && props.label.length <= 100, 'label: expected 1 to 100 characters')
      .check(mentionsEnvironment(props.label, props.environment), `label: must contain the environment name "${props.environment}"`)
      .check(this.catalogName in CATALOG_SIGN_ON, `catalogName: expected one of ${Object.keys(CATALOG_SIGN_ON).join(', ')}`)
      .check(props.existingAppId === undefined || /^0oa[A-Za-z0-9]{17}$/.test(props.existingAppId), 'existingAppId: expected an Okta app id (0oa…)')
      .throwIfAny();

    if (props.existingAppId) {
      this.appId = props.existingAppId;
      return;
    }
    const common = { label: props.label, preconfiguredApp: this.catalogName, status: 'ACTIVE' };
    this.resource = CATALOG_SIGN_ON[this.catalogName] === 'SAML_2_0' ? new AppSaml(this, 'App', common) : new AppAutoLogin(this, 'App', common);
    this.appId = this.resource.id;
  }
}
