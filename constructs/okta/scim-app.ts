import type { IConstruct } from '../framework';
import { Construct } from '../framework';
import { mentionsEnvironment } from '../environment-name';
import { Problems } from '../validation';
import { AppAutoLogin, AppSaml } from './bindings';
import { ProvisioningGate } from './provisioning-gate';

/** Sign-on mode of each SCIM 2.0 Test App catalog entry (docs/okta-scim-behavior.md §15). */
const CATALOG_SIGN_ON = { scim2testapp: 'SAML_2_0', scim2headerauth: 'AUTO_LOGIN' } as const;
export type ScimCatalogApp = keyof typeof CATALOG_SIGN_ON;

const APP_ID = /^0oa[A-Za-z0-9]{17}$/;

/**
 * An Okta application that provisions into the receiver, created here (`new ScimApp`) or elsewhere
 * (`ScimApp.fromAppId`): what the constructs that configure it need.
 */
export interface IScimApp extends IConstruct {
  /** The app's id (0oa…), a literal or a reference. */
  readonly appId: string;
  /** The app's label, when this stack knows it. */
  readonly label?: string;
  /** Whether provisioning is enabled on the app, and what to wait for: read by every gated construct. */
  readonly provisioning: ProvisioningGate;
}

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
}

/** An app that exists already, referenced by id: nothing is declared for it. */
class ImportedScimApp extends Construct implements IScimApp {
  readonly provisioning = new ProvisioningGate();

  constructor(
    scope: Construct,
    id: string,
    readonly appId: string,
  ) {
    super(scope, id);
  }
}

/** The Okta application that provisions into the receiver, created from the catalog. */
export class ScimApp extends Construct implements IScimApp {
  /** References an app that already exists (created in the console or by another stack). */
  static fromAppId(scope: Construct, id: string, appId: string): IScimApp {
    new Problems('ScimApp.fromAppId').check(APP_ID.test(appId), 'appId: expected an Okta app id (0oa…)').throwIfAny();
    return new ImportedScimApp(scope, id, appId);
  }

  /** The created app's id (a reference). */
  readonly appId: string;
  readonly label: string;
  readonly resource: AppSaml | AppAutoLogin;
  readonly catalogName: ScimCatalogApp;
  readonly provisioning = new ProvisioningGate();

  constructor(scope: Construct, id: string, props: ScimAppProps) {
    super(scope, id);
    this.catalogName = props.catalogName ?? 'scim2testapp';
    this.label = props.label;
    new Problems('ScimApp')
      .check(props.label.trim().length > 0 && props.label.length <= 100, 'label: expected 1 to 100 characters')
      .check(mentionsEnvironment(props.label, props.environment), `label: must contain the environment name "${props.environment}"`)
      .check(this.catalogName in CATALOG_SIGN_ON, `catalogName: expected one of ${Object.keys(CATALOG_SIGN_ON).join(', ')}`)
      .throwIfAny();

    const common = { label: props.label, preconfiguredApp: this.catalogName, status: 'ACTIVE' };
    this.resource = CATALOG_SIGN_ON[this.catalogName] === 'SAML_2_0' ? new AppSaml(this, 'App', common) : new AppAutoLogin(this, 'App', common);
    this.appId = this.resource.id;
  }
}
