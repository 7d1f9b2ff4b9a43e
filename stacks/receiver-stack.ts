import type { EnvironmentConfig } from '../config/schema';
import type { Construct } from '../constructs/framework';
import { Aspects, TerraformOutput, TerraformStack, TerraformVariable } from '../constructs/framework';
import { NoPlaintextSecrets } from '../constructs/guardrails';
import { DockerProvider, KubernetesProvider, RandomProvider } from '../constructs/receiver/bindings';
import { DockerReceiver } from '../constructs/receiver/docker-receiver';
import { KubernetesReceiver } from '../constructs/receiver/kubernetes-receiver';
import { ReceiverCredentials } from '../constructs/receiver/receiver-credentials';
import type { ReceiverSettings } from '../constructs/receiver/receiver-settings';
import { configureBackend } from './backend';
import type { ReceiverEndpoint } from './okta-stack';

export interface ReceiverStackProps {
  /** An environment whose `receiver.deploy` is set. */
  readonly environment: EnvironmentConfig;
}

/**
 * `receiver-<env>`: the SCIM receiver of one environment on Docker or Kubernetes, with a token that
 * Terraform generates: the receiver gets its hash, the Okta stack the token as a sensitive reference.
 */
export class ReceiverStack extends TerraformStack {
  /** For the Okta stack: the public SCIM base URL and the token (cross-stack, sensitive). */
  readonly endpoint: ReceiverEndpoint;
  readonly credentials: ReceiverCredentials;

  constructor(scope: Construct, id: string, props: ReceiverStackProps) {
    super(scope, id);
    const env = props.environment;
    const deploy = env.receiver.deploy;
    if (!deploy) throw new Error(`ReceiverStack: environment ${env.name} has no receiver.deploy`);
    configureBackend(this, env, id, 'receiver');

    new RandomProvider(this, 'random');
    this.credentials = new ReceiverCredentials(this, 'Credentials', {
      tokenGeneration: deploy.token.generation,
      ...(deploy.token.previousGeneration !== undefined ? { previousTokenGeneration: deploy.token.previousGeneration } : {}),
    });
    const smtpUrl = deploy.smtp
      ? new TerraformVariable(this, 'smtp_url', { type: 'string', sensitive: true, description: 'SMTP URL for invitations (TF_VAR_smtp_url; never commit it)' }).stringValue
      : undefined;

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
      scimTokenHashes: this.credentials.scimTokenHashes,
      adminKeyHash: this.credentials.adminKeyHash,
      ...(smtpUrl ? { smtpUrl } : {}),
    };

    if (deploy.target === 'docker') {
      new DockerProvider(this, 'docker', deploy.docker.host ? { host: deploy.docker.host } : {});
      new DockerReceiver(this, 'Receiver', {
        ...common,
        name: `okta-scim-receiver-${env.name}`,
        hostPort: deploy.docker.hostPort,
        ...(deploy.image ? { image: deploy.image } : {}),
      });
    } else {
      // Cluster credentials come from the kubeconfig (KUBE_CONFIG_PATH) or the in-cluster service account.
      new KubernetesProvider(this, 'kubernetes', deploy.kubernetes.context ? { configContext: deploy.kubernetes.context } : {});
      const k8s = deploy.kubernetes;
      new KubernetesReceiver(this, 'Receiver', {
        ...common,
        name: 'scim-receiver',
        namespace: k8s.namespace ?? `okta-scim-${env.name}`,
        image: deploy.image as string,
        replicas: deploy.replicas,
        storage: { size: k8s.storageSize, ...(k8s.storageClassName ? { storageClassName: k8s.storageClassName } : {}) },
        ...(k8s.ingress ? { ingress: k8s.ingress } : {}),
        ...(k8s.allowFromNamespaceLabels ? { allowFromNamespaceLabels: k8s.allowFromNamespaceLabels } : {}),
      });
    }

    this.endpoint = { scimBaseUrl: `${publicUrl}/scim/v2`, token: this.credentials.scimToken };
    new TerraformOutput(this, 'scim_base_url', { value: this.endpoint.scimBaseUrl, description: 'The SCIM base URL Okta calls' });
    new TerraformOutput(this, 'admin_api_key', {
      value: this.credentials.adminKey,
      sensitive: true,
      description: `Admin API key for ${publicUrl}/api (terraform output -raw admin_api_key)`,
    });
    Aspects.of(this).add(new NoPlaintextSecrets());
  }
}
