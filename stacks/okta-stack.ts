import type { EnvironmentConfig } from '../config/schema';
import type { Construct } from '../constructs/framework';
import { Aspects, TerraformOutput, TerraformStack, TerraformVariable } from '../constructs/framework';
import { EnvironmentInLabels, NoPlaintextSecrets, SafeGroupPush } from '../constructs/guardrails';
import { Assignments } from '../constructs/okta/assignments';
import { OKTA_PROVIDER_VERSION, OktaProvider } from '../constructs/okta/bindings';
import { GroupPush } from '../constructs/okta/group-push';
import { OktaGroups } from '../constructs/okta/groups';
import { ProfileAttributes } from '../constructs/okta/profile-attributes';
import { ProfileMappings } from '../constructs/okta/profile-mappings';
import { ProvisioningConnection } from '../constructs/okta/provisioning-connection';
import { ScimApp } from '../constructs/okta/scim-app';
import { configureBackend } from './backend';

/** Where Okta reaches the receiver. Both values are references when the receiver is deployed in code. */
export interface ReceiverEndpoint {
  /** https://…/scim/v2 */
  readonly scimBaseUrl: string;
  /** The bearer token, as a sensitive reference. */
  readonly token: string;
}

export interface OktaStackProps {
  readonly environment: EnvironmentConfig;
  /**
   * The receiver's endpoint. @default - the base URL from config (or the `scim_base_url` variable) and
   * the token from the sensitive variable `scim_token` (TF_VAR_scim_token)
   */
  readonly receiver?: ReceiverEndpoint;
}

/** `okta-<env>`: the Okta side of one environment's SCIM integration. */
export class OktaStack extends TerraformStack {
  readonly app: ScimApp;
  readonly connection: ProvisioningConnection;

  constructor(scope: Construct, id: string, props: OktaStackProps) {
    super(scope, id);
    const env = props.environment;
    configureBackend(this, env, id, 'okta');

    // Credentials come from the environment (OKTA_API_TOKEN, or OKTA_API_CLIENT_ID + OKTA_API_PRIVATE_KEY
    // + OKTA_API_PRIVATE_KEY_ID + OKTA_API_SCOPES); nothing secret is written here.
    new OktaProvider(this, 'okta', { orgName: env.okta.orgName, baseUrl: env.okta.baseUrl });
    // The prebuilt bindings pin the 4.20 provider; the 6.x resources need 6.12.
    this.addOverride('terraform.required_providers.okta.version', OKTA_PROVIDER_VERSION);

    const receiver = props.receiver ?? this.receiverFromVariables(env);

    this.app = new ScimApp(this, 'App', {
      environment: env.name,
      label: env.app.label,
      catalogName: env.app.catalogName,
      ...(env.app.existingAppId ? { existingAppId: env.app.existingAppId } : {}),
    });
    const appId = this.app.appId;

    this.connection = new ProvisioningConnection(this, 'Provisioning', {
      appId,
      scimBaseUrl: receiver.scimBaseUrl,
      token: receiver.token,
      mode: env.provisioning.mode,
      confirmed: env.provisioning.confirmed,
      create: env.provisioning.create,
      update: env.provisioning.update,
      deactivate: env.provisioning.deactivate,
    });

    const attributes = new ProfileAttributes(this, 'Attributes', {
      appId,
      extensionUrn: env.scimExtensionUrn,
      attributes: env.attributes,
      provisioningConfirmed: env.provisioning.confirmed,
    });
    const mapped = env.provisioning.confirmed ? env.attributes.filter((a) => a.source) : [];
    new ProfileMappings(this, 'Mappings', {
      appId,
      mappings: mapped.map((a) => ({ attribute: a.name, expression: a.source as string })),
      dependsOn: Object.values(attributes.properties),
    });

    const groups = new OktaGroups(this, 'Groups', { groups: env.groups });
    const assignments = new Assignments(this, 'Assignments', {
      appId,
      groupIds: env.assignments.groups.map((key) => groups.idOf(key)),
      people: env.assignments.people,
    });
    new GroupPush(this, 'GroupPush', {
      appId,
      provisioningConfirmed: env.provisioning.confirmed,
      groups: env.groupPush.map((p) => ({
        groupId: groups.idOf(p.group),
        targetName: p.targetName ?? env.groups.find((g) => g.key === p.group)?.name,
        deleteDownstreamOnDestroy: p.deleteDownstreamOnDestroy,
      })),
      dependsOn: assignments.groupAssignments ? [assignments.groupAssignments] : [],
    });

    new TerraformOutput(this, 'app_id', { value: appId, description: 'Okta app id' });

    Aspects.of(this).add(new NoPlaintextSecrets());
    Aspects.of(this).add(new EnvironmentInLabels(env.name));
    Aspects.of(this).add(new SafeGroupPush());
  }

  private receiverFromVariables(env: EnvironmentConfig): ReceiverEndpoint {
    const scimBaseUrl =
      env.receiver.scimBaseUrl ??
      new TerraformVariable(this, 'scim_base_url', { type: 'string', description: "The receiver's SCIM base URL (https://…/scim/v2)" }).stringValue;
    const token = new TerraformVariable(this, 'scim_token', {
      type: 'string',
      sensitive: true,
      description: "The receiver's SCIM bearer token (set TF_VAR_scim_token; never commit it)",
    }).stringValue;
    return { scimBaseUrl, token };
  }
}
