import { Construct } from '../framework';
import { Problems } from '../validation';
import type { DeploymentV1, HorizontalPodAutoscalerV2, IngressV1, NetworkPolicyV1, PodDisruptionBudgetV1, StatefulSetV1 } from './bindings';
import { ConfigMapV1, NamespaceV1, SecretV1, ServiceV1 } from './bindings';
import type { KubernetesAutoscaling } from './kubernetes/autoscaler';
import { receiverAutoscaler } from './kubernetes/autoscaler';
import { ReceiverDatabase } from './kubernetes/database';
import { receiverDisruptionBudget } from './kubernetes/disruption-budget';
import type { KubernetesIngress } from './kubernetes/ingress';
import { ingressProblem, receiverIngress } from './kubernetes/ingress';
import type { ReceiverMetadata } from './kubernetes/metadata';
import type { IsolationOptions } from './kubernetes/network-policy';
import { receiverNetworkPolicy } from './kubernetes/network-policy';
import type { KubernetesResources } from './kubernetes/pod-template';
import { DEFAULT_RESOURCES, receiverPodSpec } from './kubernetes/pod-template';
import { postgresDeployment, sqliteStatefulSet } from './kubernetes/workload';
import type { ReceiverSettings } from './receiver-settings';
import { CONTAINER_PORT, receiverConfigJson, rolloutChecksum } from './receiver-settings';

export type { KubernetesAutoscaling } from './kubernetes/autoscaler';
export { ReceiverDatabase } from './kubernetes/database';
export type { KubernetesIngress } from './kubernetes/ingress';
export type { IsolationOptions } from './kubernetes/network-policy';
export type { KubernetesResources } from './kubernetes/pod-template';

/** Why `image` is not a pinned reference (registry/name:tag or …@sha256:…), or undefined (shared with config/schema.ts). */
export function imageProblem(image: string): string | undefined {
  if (/@sha256:[0-9a-f]{64}$/.test(image) && !/\s/.test(image)) return undefined;
  const last = image.slice(image.lastIndexOf('/') + 1);
  const tag = /^[a-z0-9._-]+:([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})$/.exec(last)?.[1];
  if (/\s/.test(image) || tag === undefined) return 'expected a pinned reference (registry/name:tag or name@sha256:…)';
  if (tag === 'latest') return 'pin a tag or digest; "latest" makes deployments unreproducible';
  return undefined;
}

export interface KubernetesReceiverProps {
  /** Name of the workload, service and related objects, e.g. `scim-receiver`. */
  readonly name: string;
  /** Namespace, created here. */
  readonly namespace: string;
  /** Image reference in a registry the cluster pulls from (a tag or digest, not `latest`). */
  readonly image: string;
  readonly settings: ReceiverSettings;
  /** SHA-256 digests for SCIM_TOKEN_SHA256 (a reference). */
  readonly scimTokenHashes: string;
  readonly adminKeyHash: string;
  /**
   * Generation of the SCIM token, part of the pod template's checksum so that a rotation rolls the
   * receiver. @default 1
   */
  readonly scimTokenGeneration?: number;
  /**
   * SQLite: one replica, a StatefulSet on a persistent volume. PostgreSQL: a Deployment of `replicas`
   * pods (see `autoscale()`); the receiver gets the URL as DATABASE_URL.
   * @default ReceiverDatabase.sqlite()
   */
  readonly database?: ReceiverDatabase;
  /** Replicas (PostgreSQL only; SQLite runs one). @default 1 */
  readonly replicas?: number;
  /**
   * Refuse to destroy the namespace (`prevent_destroy`): with it go the persistent volume claim
   * holding the SQLite data and every other object of the receiver.
   * @default true
   */
  readonly preventDestroy?: boolean;
  /** Persistent volume for the SQLite data. @default { size: '1Gi' } */
  readonly storage?: { readonly size?: string; readonly storageClassName?: string };
  /** @default - the defaults of KubernetesResources */
  readonly resources?: KubernetesResources;
  /** SMTP URL for invitations (sensitive reference). @default - none */
  readonly smtpUrl?: string;
}

const QUANTITY = /^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Pod-template annotation carrying the rollout checksum. */
export const ROLLOUT_ANNOTATION = 'okta-scim-kit/rollout-checksum';

/**
 * The receiver's workload on Kubernetes: its namespace, Secret, ConfigMap, the StatefulSet (SQLite)
 * or Deployment (PostgreSQL), a ClusterIP service and a PodDisruptionBudget. What is optional comes
 * from verbs, each returning what it declares: `exposeViaIngress()`, `isolate()` (NetworkPolicy),
 * `autoscale()` (HorizontalPodAutoscaler, PostgreSQL only).
 */
export class KubernetesReceiver extends Construct {
  readonly namespace: NamespaceV1;
  readonly secret: SecretV1;
  readonly configMap: ConfigMapV1;
  readonly workload: StatefulSetV1 | DeploymentV1;
  readonly service: ServiceV1;
  readonly disruptionBudget: PodDisruptionBudgetV1;
  readonly database: ReceiverDatabase;
  readonly replicas: number;
  private readonly metadata: ReceiverMetadata;
  private readonly smtp: boolean;
  private autoscaler?: HorizontalPodAutoscalerV2;
  private minReplicas: number;

  constructor(scope: Construct, id: string, props: KubernetesReceiverProps) {
    super(scope, id);
    const database = props.database ?? ReceiverDatabase.sqlite();
    const postgres = database.kind === 'postgres';
    const replicas = props.replicas ?? 1;
    const resources = { ...DEFAULT_RESOURCES, ...props.resources };
    const storage = { size: '1Gi', ...props.storage };
    const problems = new Problems('KubernetesReceiver')
      .check(DNS_LABEL.test(props.name), 'name: expected a DNS label')
      .check(DNS_LABEL.test(props.namespace), 'namespace: expected a DNS label')
      .check(imageProblem(props.image) === undefined, `image: ${imageProblem(props.image) ?? ''}`)
      .check(Number.isInteger(replicas) && replicas >= 1, 'replicas: expected an integer ≥ 1')
      .check(postgres || replicas === 1, 'replicas: SQLite allows a single replica (a StatefulSet on a persistent volume); several replicas require PostgreSQL');
    database.problems().forEach((problem) => problems.add(problem));
    for (const [key, value] of Object.entries(resources)) problems.check(QUANTITY.test(value), `resources.${key}: expected a Kubernetes quantity such as 100m or 128Mi`);
    problems.check(QUANTITY.test(storage.size), 'storage.size: expected a quantity such as 1Gi');
    problems.throwIfAny();
    this.database = database;
    this.replicas = replicas;
    this.minReplicas = replicas;
    this.smtp = props.smtpUrl !== undefined;

    const labels = { 'app.kubernetes.io/name': props.name, 'app.kubernetes.io/part-of': 'okta-scim-kit' };
    this.namespace = new NamespaceV1(this, 'Namespace', {
      metadata: { name: props.namespace, labels: { 'app.kubernetes.io/part-of': 'okta-scim-kit' } },
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    this.metadata = { name: props.name, namespace: this.namespace.metadata.name, labels };

    const ownSecrets: Record<string, string> = {
      SCIM_TOKEN_SHA256: props.scimTokenHashes,
      ADMIN_API_KEY_SHA256: props.adminKeyHash,
      ...(props.smtpUrl ? { SMTP_URL: props.smtpUrl } : {}),
      ...database.secretData,
    };
    this.secret = new SecretV1(this, 'Secret', { metadata: { ...this.metadata, name: `${props.name}-secrets` }, type: 'Opaque', data: ownSecrets });
    this.configMap = new ConfigMapV1(this, 'Config', {
      metadata: { ...this.metadata, name: `${props.name}-config` },
      data: { 'config.json': receiverConfigJson(props.settings) },
    });

    const podSpec = receiverPodSpec({
      image: props.image,
      settings: props.settings,
      secretEnv: [
        ...Object.keys(ownSecrets).map((key) => ({ name: key, valueFrom: { secretKeyRef: { name: this.secret.metadata.name, key } } })),
        ...database.foreignSecretEnv,
      ],
      resources,
      configMapName: this.configMap.metadata.name,
      scratchData: postgres,
    });
    // A changed Secret or ConfigMap restarts no pod: this annotation changes with them, and rolls it.
    const checksum = rolloutChecksum(props.settings, props.scimTokenGeneration ?? 1, [
      props.scimTokenHashes,
      props.adminKeyHash,
      ...(props.smtpUrl ? [props.smtpUrl] : []),
      ...database.checksumInputs,
    ]);
    const template = { metadata: this.metadata, podSpec, annotations: { [ROLLOUT_ANNOTATION]: checksum } };
    this.workload = postgres ? postgresDeployment(this, template, replicas) : sqliteStatefulSet(this, template, storage);

    this.service = new ServiceV1(this, 'Service', {
      metadata: this.metadata,
      spec: { type: 'ClusterIP', selector: labels, port: [{ name: 'http', port: 80, targetPort: String(CONTAINER_PORT) }] },
    });
    this.disruptionBudget = receiverDisruptionBudget(this, this.metadata, () => (postgres ? this.minReplicas : 1));
  }

  /** Routes `ingress.host` (TLS) to the service. */
  exposeViaIngress(ingress: KubernetesIngress): IngressV1 {
    const problem = ingressProblem(ingress);
    new Problems('KubernetesReceiver.exposeViaIngress').check(problem === undefined, problem ?? '').throwIfAny();
    return receiverIngress(this, this.metadata, this.service, ingress);
  }

  /** A NetworkPolicy: only the receiver's port comes in; only DNS, SMTP (with invitations) and PostgreSQL go out. */
  isolate(options: IsolationOptions = {}): NetworkPolicyV1 {
    return receiverNetworkPolicy(this, this.metadata, { smtp: this.smtp, postgres: this.database.kind === 'postgres' }, options);
  }

  /**
   * Scales the Deployment on CPU (PostgreSQL only: SQLite runs one replica); the disruption budget
   * then keeps one pod serving when at least two run at the fewest.
   */
  autoscale(options: KubernetesAutoscaling = {}): HorizontalPodAutoscalerV2 {
    const minReplicas = options.minReplicas ?? this.replicas;
    const maxReplicas = options.maxReplicas ?? minReplicas * 2;
    new Problems('KubernetesReceiver.autoscale')
      .check(this.database.kind === 'postgres', 'autoscaling: requires PostgreSQL (SQLite runs as a single replica)')
      .check(this.autoscaler === undefined, 'autoscaling: already declared')
      .check(Number.isInteger(minReplicas) && minReplicas >= 1 && maxReplicas >= minReplicas, 'autoscaling: expected 1 ≤ minReplicas ≤ maxReplicas')
      .throwIfAny();
    this.minReplicas = Math.min(this.replicas, minReplicas);
    this.autoscaler = receiverAutoscaler(this, this.metadata, { minReplicas, maxReplicas, cpuUtilization: options.cpuUtilization ?? 70 });
    return this.autoscaler;
  }
}
