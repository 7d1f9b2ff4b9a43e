import type { EnvironmentConfig } from '../config/schema';
import type { Construct } from '../constructs/framework';
import { Aspects, TerraformOutput, TerraformStack, TerraformVariable } from '../constructs/framework';
import { Guardrails } from '../constructs/guardrails/guardrails';
import { receiverStackRules } from '../constructs/guardrails/packs';
import { DockerProvider, KubernetesProvider, RandomProvider } from '../constructs/receiver/bindings';
import { DockerReceiver } from '../constructs/receiver/docker-receiver';
import { KubernetesReceiver, ReceiverDatabase } from '../constructs/receiver/kubernetes-receiver';
import { ReceiverCredentials } from '../constructs/receiver/receiver-credentials';
import type { ReceiverSettings } from '../constructs/receiver/receiver-settings';
import type { ScimTokens } from '../constructs/receiver/scim-tokens';
import { configureBackend } from './backend';

export interface ReceiverStackProps {
  /** An environment whose `receiver.deploy` is set. */
  readonly environment: EnvironmentConfig;
  /** The SCIM token slots (the scim-token-<env> stack's): the receiver accepts both. */
  readonly tokens: ScimTokens;
}

/** `<publicUrl>/scim/v2`: what Okta calls, known from config alone. */
export function scimBaseUrlOf(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/scim/v2`;
}

/**
 * `receiver-<env>`: the SCIM receiver of one environment on Docker or Kubernetes. It gets the SHA-256
 * of both token slots (never a token it could leak) and generates its own admin API key.
 */
export class ReceiverStack extends TerraformStack {
  readonly credentials: ReceiverCredentials;
  readonly scimBaseUrl: string;

  constructor(scope: Construct, id: string, props: ReceiverStackProps) {
    super(scope, id);
    const env = props.environment;
    const deploy = env.receiver.deploy;
    if (!deploy) throw new Error(`ReceiverStack: environment ${env.name} has no receiver.deploy`);
    configureBackend(this, env, id, 'receiver');
    const protect = env.destroyProtection;

    new RandomProvider(this, 'random');
    this.credentials = new ReceiverCredentials(this, 'Credentials');
    const smtpUrl = deploy.smtp
      ? new TerraformVariable(this, 'smtp_url', { type: 'string', sensitive: true, description: 'SMTP URL for invitations (TF_VAR_smtp_url; never commit it)' }).stringValue
      : undefined;
    const databaseUrlVariable = () =>
      new TerraformVariable(this, 'database_url', {
        type: 'string',
        sensitive: true,
        description: 'PostgreSQL URL for the receiver, postgres://… (TF_VAR_database_url; never commit it)',
      }).stringValue;

    const publicUrl = deploy.publicUrl.replace(/\/+$/, '');
    // The same list declares the Okta app's attributes (custom namespace) and the receiver's registry.
    const settings: ReceiverSettings = {
      publicUrl,
      extensionUrn: env.scimExtensionUrn,
      attributes: env.attributes.filter((a) => a.namespace === 'custom'),
      autoInvite: deploy.autoInvite,
      ...(deploy.mailFrom ? { mailFrom: deploy.mailFrom } : {}),
    };
    const common = {
      settings,
      scimTokenHashes: props.tokens.hashes,
      scimTokenGeneration: props.tokens.generation,
      adminKeyHash: this.credentials.adminKeyHash,
      preventDestroy: protect,
      ...(smtpUrl ? { smtpUrl } : {}),
    };

    if (deploy.target === 'docker') {
      new DockerProvider(this, 'docker', deploy.docker.host ? { host: deploy.docker.host } : {});
      new DockerReceiver(this, 'Receiver', {
        ...common,
        name: `okta-scim-receiver-${env.name}`,
        hostPort: deploy.docker.hostPort,
        ...(deploy.image ? { image: deploy.image } : {}),
        ...(deploy.database.type === 'postgres' ? { databaseUrl: databaseUrlVariable() } : {}),
      });
    } else {
      // Cluster credentials come from the kubeconfig (KUBE_CONFIG_PATH) or the in-cluster service account.
      new KubernetesProvider(this, 'kubernetes', deploy.kubernetes.context ? { configContext: deploy.kubernetes.context } : {});
      const k8s = deploy.kubernetes;
      const db = deploy.database;
      const database =
        db.type === 'sqlite'
          ? ReceiverDatabase.sqlite()
          : db.existingSecret
            ? ReceiverDatabase.postgresSecret(db.existingSecret.name, db.existingSecret.key)
            : ReceiverDatabase.postgresUrl(databaseUrlVariable());
      const receiver = new KubernetesReceiver(this, 'Receiver', {
        ...common,
        name: 'scim-receiver',
        namespace: k8s.namespace ?? `okta-scim-${env.name}`,
        image: deploy.image as string,
        replicas: deploy.replicas,
        database,
        storage: { size: k8s.storageSize, ...(k8s.storageClassName ? { storageClassName: k8s.storageClassName } : {}) },
      });
      if (k8s.ingress) receiver.exposeViaIngress(k8s.ingress);
      // Several stateless replicas scale on CPU: by default from `replicas` to twice as many.
      if (db.type === 'postgres') receiver.autoscale(deploy.autoscaling ?? {});
      receiver.isolate(k8s.allowFromNamespaceLabels ? { allowFromNamespaceLabels: k8s.allowFromNamespaceLabels } : {});
    }

    this.scimBaseUrl = scimBaseUrlOf(publicUrl);
    new TerraformOutput(this, 'scim_base_url', { value: this.scimBaseUrl, description: 'The SCIM base URL Okta calls' });
    new TerraformOutput(this, 'admin_api_key', {
      value: this.credentials.adminKey,
      sensitive: true,
      description: `Admin API key for ${publicUrl}/api (terraform output -raw admin_api_key)`,
    });
    Aspects.of(this).add(new Guardrails(receiverStackRules()));
  }
}
