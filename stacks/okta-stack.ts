import type { EnvironmentConfig } from '../config/schema';
import type { Construct } from '../constructs/framework';
import { Aspects, TerraformOutput, TerraformStack, TerraformVariable } from '../constructs/framework';
import { Guardrails } from '../constructs/guardrails/guardrails';
import { oktaStackRules } from '../constructs/guardrails/packs';
import { Assignments } from '../constructs/okta/assignments';
import type { OktaProviderConfig } from '../constructs/okta/bindings';
import { OKTA_PROVIDER_VERSION, OktaProvider } from '../constructs/okta/bindings';
import { GroupPush } from '../constructs/okta/group-push';
import { OktaGroups } from '../constructs/okta/groups';
import { OktaUserAttributes } from '../constructs/okta/okta-user-attributes';
import { ProfileAttributes } from '../constructs/okta/profile-attributes';
import { ProfileMappings } from '../constructs/okta/profile-mappings';
import { ProvisioningConnection } from '../constructs/okta/provisioning-connection';
import type { IScimApp } from '../constructs/okta/scim-app';
import { ScimApp } from '../constructs/okta/scim-app';
import { configureBackend } from './backend';

/** Where Okta reaches the receiver. */
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

/** Scopes an OAuth service app needs to apply (manage) this stack; a plan needs only their `.read` forms. */
export const OKTA_APPLY_SCOPES = ['okta.apps.manage', 'okta.groups.manage', 'okta.schemas.manage', 'okta.profileMappings.manage', 'okta.users.read'] as const;
export const OKTA_PLAN_SCOPES = ['okta.apps.read', 'okta.groups.read', 'okta.schemas.read', 'okta.profileMappings.read', 'okta.users.read'] as const;

/** The Terraform variable names of an environment's Okta credentials (TF_VAR_<name>). */
export function oktaCredentialVariables(environment: string): { apiToken: string; privateKey: string; scopes: string } {
  const suffix = environment.replace(/-/g, '_');
  return { apiToken: `okta_api_token_${suffix}`, privateKey: `okta_private_key_${suffix}`, scopes: `okta_scopes_${suffix}` };
}

/** `okta-<env>`: the Okta side of one environment's SCIM integration. */
export class OktaStack extends TerraformStack {
  readonly app: IScimApp;
  readonly connection: ProvisioningConnection;

  constructor(scope: Construct, id: string, props: OktaStackProps) {
    super(scope, id);
    const env = props.environment;
    configureBackend(this, env, id, 'okta');

    new OktaProvider(this, 'okta', { orgName: env.okta.orgName, baseUrl: env.okta.baseUrl, ...this.credentials(env) });
    // The prebuilt bindings pin the 4.20 provider; the 6.x resources need 6.12 (and never 6.14.0 or 7).
    this.addOverride('terraform.required_providers.okta.version', OKTA_PROVIDER_VERSION);

    const receiver = props.receiver ?? this.receiverFromVariables(env);
    const protect = env.destroyProtection;
    const migrate = env.migrateFromPositionalIds;

    const app = env.app.existingAppId
      ? ScimApp.fromAppId(this, 'App', env.app.existingAppId)
      : new ScimApp(this, 'App', { environment: env.name, label: env.app.label, catalogName: env.app.catalogName });
    this.app = app;

    // Opens the app's provisioning gate once confirmed (in api mode behind the features resource):
    // attributes, mappings, assignments and group push below all wait on it.
    this.connection = new ProvisioningConnection(this, 'Provisioning', {
      app,
      scimBaseUrl: receiver.scimBaseUrl,
      token: receiver.token,
      mode: env.provisioning.mode,
      confirmed: env.provisioning.confirmed,
      appSupportsConnectionApi: env.app.connectionApiSupported,
      create: env.provisioning.create,
      update: env.provisioning.update,
      deactivate: env.provisioning.deactivate,
    });

    const userAttributes = new OktaUserAttributes(this, 'OktaUserAttributes', {
      attributes: env.oktaUserAttributes.filter((a) => a.source === 'create'),
      preventDestroy: protect,
    });
    const attributes = new ProfileAttributes(this, 'Attributes', {
      app,
      extensionUrn: env.scimExtensionUrn,
      attributes: env.attributes,
      preventDestroy: protect,
    });
    new ProfileMappings(this, 'Mappings', {
      app,
      mappings: env.attributes.filter((a) => a.source).map((a) => ({ attribute: a.name, expression: a.source as string })),
      dependsOn: [...Object.values(attributes.properties), ...Object.values(userAttributes.properties)],
      preventDestroy: protect,
    });

    const groups = new OktaGroups(this, 'Groups', { groups: env.groups });
    const assignments = new Assignments(this, 'Assignments', {
      app,
      groups: env.assignments.groups.map((key) => groups.group(key)),
      people: env.assignments.people,
      moveFromPositionalIds: migrate,
    });
    new GroupPush(this, 'GroupPush', {
      app,
      groups: env.groupPush.map((p) => ({
        group: groups.group(p.group),
        ...(p.targetName ? { targetName: p.targetName } : {}),
        deleteDownstreamOnDestroy: p.deleteDownstreamOnDestroy,
        // Okta pushes only members assigned to the app: the group's own assignment first.
        dependsOn: assignments.groupAssignments[p.group] ? [assignments.groupAssignments[p.group]!] : [],
      })),
      moveFromPositionalIds: migrate,
    });

    new TerraformOutput(this, 'app_id', { value: app.appId, description: 'Okta app id' });

    Aspects.of(this).add(new Guardrails(oktaStackRules(env.name)));
  }

  /** One provider per org, with this environment's own credentials (sensitive variables named after it). */
  private credentials(env: EnvironmentConfig): Partial<OktaProviderConfig> {
    const names = oktaCredentialVariables(env.name);
    const credentials = env.okta.credentials;
    if (credentials.type === 'apiToken') {
      const token = new TerraformVariable(this, names.apiToken, {
        type: 'string',
        sensitive: true,
        description: `Okta API token for ${env.okta.orgName}.${env.okta.baseUrl} (TF_VAR_${names.apiToken}; a read-only admin's token suffices to plan)`,
      });
      return { apiToken: token.stringValue };
    }
    const key = new TerraformVariable(this, names.privateKey, {
      type: 'string',
      sensitive: true,
      description: `PEM private key of the OAuth service app ${credentials.clientId} of ${env.okta.orgName}.${env.okta.baseUrl} (TF_VAR_${names.privateKey})`,
    });
    const scopes = new TerraformVariable(this, names.scopes, {
      type: 'list(string)',
      default: [...OKTA_APPLY_SCOPES],
      description: `OAuth scopes to request (TF_VAR_${names.scopes}); a plan-only run needs only: ${OKTA_PLAN_SCOPES.join(', ')}`,
    });
    return { clientId: credentials.clientId, privateKey: key.stringValue, scopes: scopes.listValue, ...(credentials.privateKeyId ? { privateKeyId: credentials.privateKeyId } : {}) };
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
