import { Construct, TerraformOutput } from '../framework';
import { Problems } from '../validation';
import { AppConnection, AppFeatures } from './bindings';
import type { IScimApp } from './scim-app';

export type ProvisioningMode = 'console' | 'api';

export interface ProvisioningConnectionProps {
  /** The app whose provisioning this declares; its provisioning gate opens once `confirmed`. */
  readonly app: IScimApp;
  /** The receiver's SCIM base URL (https://…/scim/v2). */
  readonly scimBaseUrl: string;
  /** The bearer token Okta sends; must be a sensitive reference (a variable or another stack's output). */
  readonly token: string;
  /**
   * `api`: declares okta_app_connection and okta_app_features (Okta documents these APIs for a few
   * catalog apps only); `console`: declares nothing Okta would reject and outputs a runbook.
   * @default 'console'
   */
  readonly mode?: ProvisioningMode;
  /**
   * Provisioning has been enabled on the app (the console step is done). Required for `api` mode.
   * @default false
   */
  readonly confirmed?: boolean;
  /**
   * The app is one whose connection Okta's Connections API really configures (Okta documents it for
   * a few OIN apps such as Org2Org and Zscaler 2.0; you checked that GET
   * /api/v1/apps/{id}/connections/default answers a real authScheme). Required for `api` mode.
   * @default false - the SCIM test apps are not such apps
   */
  readonly appSupportsConnectionApi?: boolean;
  /** Push new users. @default true */
  readonly create?: boolean;
  /** Push profile updates. @default true */
  readonly update?: boolean;
  /** Deactivate users. @default true */
  readonly deactivate?: boolean;
}

const status = (on: boolean) => (on ? 'ENABLED' : 'DISABLED');

/** Why api mode cannot configure this app (shared with config/schema.ts). */
export const API_MODE_UNSUPPORTED =
  "Okta's Connections and Features APIs configure only a few OIN apps (Org2Org, Zscaler 2.0…); for the SCIM test apps they answer 200 with status UNKNOWN, nothing is configured and every plan shows a change. Use mode 'console' and follow the provisioning_runbook output (one console step), then set confirmed: true";

/**
 * The SCIM connection of the app (base URL + token) and its To-App features; it opens the app's
 * provisioning gate (in api mode behind the features resource) once provisioning is confirmed.
 */
export class ProvisioningConnection extends Construct {
  readonly mode: ProvisioningMode;
  /** `api` mode only. */
  readonly connection?: AppConnection;
  readonly features?: AppFeatures;
  /** `console` mode only: what to paste into the app's Provisioning tab. */
  readonly runbookOutput?: TerraformOutput;

  constructor(scope: Construct, id: string, props: ProvisioningConnectionProps) {
    super(scope, id);
    this.mode = props.mode ?? 'console';
    const confirmed = props.confirmed ?? false;
    const features = { create: props.create ?? true, update: props.update ?? true, deactivate: props.deactivate ?? true };
    new Problems('ProvisioningConnection')
      .check(this.mode === 'console' || this.mode === 'api', 'mode: expected "console" or "api"')
      .check(this.mode !== 'api' || (props.appSupportsConnectionApi ?? false), `mode: ${API_MODE_UNSUPPORTED}`)
      .check(this.mode !== 'api' || confirmed, 'confirmed: api mode needs provisioning enabled on the app first (set confirmed once it is)')
      .check(!/^https?:\/\//.test(props.scimBaseUrl) || props.scimBaseUrl.startsWith('https://'), 'scimBaseUrl: Okta only calls https URLs')
      .throwIfAny();
    const appId = props.app.appId;

    if (this.mode === 'api') {
      this.connection = new AppConnection(this, 'Connection', {
        id: appId,
        baseUrl: props.scimBaseUrl,
        action: 'activate',
        profile: { authScheme: 'TOKEN', token: props.token },
      });
      this.features = new AppFeatures(this, 'Features', {
        appId,
        name: 'USER_PROVISIONING',
        status: 'ENABLED',
        capabilities: {
          create: { lifecycleCreate: { status: status(features.create) } },
          update: { profile: { status: status(features.update) }, lifecycleDeactivate: { status: status(features.deactivate) } },
        },
        dependsOn: [this.connection],
      });
      props.app.provisioning.declare(this.node.path, confirmed, [this.features]);
      return;
    }

    props.app.provisioning.declare(this.node.path, confirmed);

    new TerraformOutput(this, 'scim_base_url', { value: props.scimBaseUrl, description: 'Base URL to paste into the app (Provisioning > Integration)' });
    new TerraformOutput(this, 'scim_token', {
      value: props.token,
      sensitive: true,
      description: 'API token to paste into the app; read it with `terraform output -raw` in the stack directory',
    });
    const enabled = Object.entries(features)
      .filter(([, on]) => on)
      .map(([name]) => ({ create: 'Create Users', update: 'Update User Attributes', deactivate: 'Deactivate Users' })[name]);
    this.runbookOutput = new TerraformOutput(this, 'provisioning_runbook', {
      description: 'The one-time console step that enables provisioning',
      value: [
        `1. Okta Admin Console > Applications > the app (id ${appId}) > Provisioning > Configure API Integration.`,
        `2. Enable API integration; Base URL: ${props.scimBaseUrl}; API Token: the scim_token output. Test API Credentials, then Save.`,
        `3. Provisioning > To App: enable ${enabled.join(', ') || 'nothing (all features are off in config)'}; Save.`,
        `4. Set provisioning.confirmed = true in the environment config and deploy again: custom attributes, mappings, assignments and group push follow (assigned users are then provisioned automatically).`,
      ].join('\n'),
    });
  }
}
