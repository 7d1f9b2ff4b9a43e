import { Construct, Token } from '../framework';
import { Problems } from '../validation';
import type { DeploymentV1SpecTemplateSpec, StatefulSetV1SpecTemplateSpec } from './bindings';
import {
  ConfigMapV1,
  DeploymentV1,
  HorizontalPodAutoscalerV2,
  IngressV1,
  NamespaceV1,
  NetworkPolicyV1,
  PodDisruptionBudgetV1,
  SecretV1,
  ServiceV1,
  StatefulSetV1,
} from './bindings';
import type { ReceiverSettings } from './receiver-settings';
import { CONFIG_MOUNT_DIR, CONTAINER_PORT, receiverConfigJson, receiverEnvironment, rolloutChecksum } from './receiver-settings';

export interface KubernetesResources {
  /** @default '100m' */
  readonly cpuRequest?: string;
  /** @default '128Mi' */
  readonly memoryRequest?: string;
  /** @default '1' */
  readonly cpuLimit?: string;
  /** @default '384Mi' */
  readonly memoryLimit?: string;
}

export interface KubernetesIngress {
  readonly host: string;
  /** Secret holding the TLS certificate for `host`. */
  readonly tlsSecretName: string;
  /** @default - the cluster's default ingress class */
  readonly className?: string;
  /** @default {} */
  readonly annotations?: Record<string, string>;
}

/** Where the receiver keeps its data. */
export type KubernetesDatabase =
  /** One replica: a StatefulSet on a persistent volume. */
  | { readonly kind: 'sqlite' }
  /** PostgreSQL, the URL as a sensitive reference (a variable), stored in the receiver's Secret. */
  | { readonly kind: 'postgres'; readonly url: string }
  /** PostgreSQL, the URL in a Secret that already exists in the namespace. */
  | { readonly kind: 'postgres'; readonly existingSecret: { readonly name: string; readonly key: string } };

export interface KubernetesAutoscaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** @default 70 */
  readonly cpuUtilization?: number;
}

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
   * `sqlite`: one replica, a StatefulSet on a persistent volume. PostgreSQL: a Deployment of
   * `replicas` pods with a HorizontalPodAutoscaler and a PodDisruptionBudget; the receiver gets the URL
   * as DATABASE_URL.
   * @default { kind: 'sqlite' }
   */
  readonly database?: KubernetesDatabase;
  /** Replicas (PostgreSQL only; SQLite runs one). @default 1 */
  readonly replicas?: number;
  /**
   * Horizontal autoscaling (PostgreSQL only).
   * @default - with PostgreSQL: from `replicas` to twice as many, at 70% CPU
   */
  readonly autoscaling?: KubernetesAutoscaling;
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
  /** @default - no ingress (the service is cluster-internal) */
  readonly ingress?: KubernetesIngress;
  /**
   * Labels of the namespaces allowed to reach the receiver (the ingress controller's).
   * @default - any namespace, on the receiver's port only
   */
  readonly allowFromNamespaceLabels?: Record<string, string>;
  /** SMTP URL for invitations (sensitive reference). @default - none */
  readonly smtpUrl?: string;
}

const QUANTITY = /^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** Pod-template annotation carrying the rollout checksum. */
export const ROLLOUT_ANNOTATION = 'okta-scim-kit/rollout-checksum';

/** The receiver on Kubernetes, hardened: non-root, read-only root filesystem, no privilege escalation, no capabilities. */
export class KubernetesReceiver extends Construct {
  readonly namespace: NamespaceV1;
  readonly secret: SecretV1;
  readonly configMap: ConfigMapV1;
  readonly workload: StatefulSetV1 | DeploymentV1;
  readonly service: ServiceV1;
  readonly ingress?: IngressV1;
  readonly autoscaler?: HorizontalPodAutoscalerV2;
  readonly disruptionBudget: PodDisruptionBudgetV1;
  readonly networkPolicy: NetworkPolicyV1;

  constructor(scope: Construct, id: string, props: KubernetesReceiverProps) {
    super(scope, id);
    const database = props.database ?? { kind: 'sqlite' };
    const postgres = database.kind === 'postgres';
    const replicas = props.replicas ?? 1;
    const autoscaling = postgres ? (props.autoscaling ?? { minReplicas: replicas, maxReplicas: replicas * 2 }) : props.autoscaling;
    const resources = { cpuRequest: '100m', memoryRequest: '128Mi', cpuLimit: '1', memoryLimit: '384Mi', ...props.resources };
    const storage = { size: '1Gi', ...props.storage };
    const problems = new Problems('KubernetesReceiver')
      .check(DNS_LABEL.test(props.name), 'name: expected a DNS label')
      .check(DNS_LABEL.test(props.namespace), 'namespace: expected a DNS label')
      .check(imageProblem(props.image) === undefined, `image: ${imageProblem(props.image) ?? ''}`)
      .check(Number.isInteger(replicas) && replicas >= 1, 'replicas: expected an integer ≥ 1')
      .check(postgres || replicas === 1, 'replicas: SQLite allows a single replica (a StatefulSet on a persistent volume); several replicas require PostgreSQL')
      .check(postgres || props.autoscaling === undefined, 'autoscaling: requires PostgreSQL (SQLite runs as a single replica)');
    if (database.kind === 'postgres' && 'url' in database) {
      problems.check(Token.isUnresolved(database.url), 'database.url: pass a sensitive reference (a variable or an existing Secret), never a literal URL');
    }
    if (database.kind === 'postgres' && 'existingSecret' in database) {
      problems.check(DNS_SUBDOMAIN.test(database.existingSecret.name), 'database.existingSecret.name: expected a Secret name');
      problems.check(/^[-._a-zA-Z0-9]+$/.test(database.existingSecret.key), 'database.existingSecret.key: expected a Secret key');
    }
    if (autoscaling) {
      problems.check(autoscaling.minReplicas >= 1 && autoscaling.maxReplicas >= autoscaling.minReplicas, 'autoscaling: expected 1 ≤ minReplicas ≤ maxReplicas');
    }
    for (const [key, value] of Object.entries(resources)) problems.check(QUANTITY.test(value), `resources.${key}: expected a Kubernetes quantity such as 100m or 128Mi`);
    problems.check(QUANTITY.test(storage.size), 'storage.size: expected a quantity such as 1Gi');
    if (props.ingress) problems.check(/^[a-z0-9.-]+$/.test(props.ingress.host), 'ingress.host: expected a host name');
    problems.throwIfAny();

    const labels = { 'app.kubernetes.io/name': props.name, 'app.kubernetes.io/part-of': 'okta-scim-kit' };
    const metadata = { name: props.name, namespace: props.namespace, labels };

    this.namespace = new NamespaceV1(this, 'Namespace', {
      metadata: { name: props.namespace, labels: { 'app.kubernetes.io/part-of': 'okta-scim-kit' } },
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    const inNamespace = { ...metadata, namespace: this.namespace.metadata.name };

    this.secret = new SecretV1(this, 'Secret', {
      metadata: { ...inNamespace, name: `${props.name}-secrets` },
      type: 'Opaque',
      data: {
        SCIM_TOKEN_SHA256: props.scimTokenHashes,
        ADMIN_API_KEY_SHA256: props.adminKeyHash,
        ...(props.smtpUrl ? { SMTP_URL: props.smtpUrl } : {}),
        ...(database.kind === 'postgres' && 'url' in database ? { DATABASE_URL: database.url } : {}),
      },
    });
    this.configMap = new ConfigMapV1(this, 'Config', {
      metadata: { ...inNamespace, name: `${props.name}-config` },
      data: { 'config.json': receiverConfigJson(props.settings) },
    });

    const ownSecretKeys = ['SCIM_TOKEN_SHA256', 'ADMIN_API_KEY_SHA256', ...(props.smtpUrl ? ['SMTP_URL'] : []), ...(database.kind === 'postgres' && 'url' in database ? ['DATABASE_URL'] : [])];
    const secretEnv = [
      ...ownSecretKeys.map((key) => ({ name: key, valueFrom: { secretKeyRef: { name: this.secret.metadata.name, key } } })),
      ...(database.kind === 'postgres' && 'existingSecret' in database
        ? [{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: database.existingSecret.name, key: database.existingSecret.key } } }]
        : []),
    ];
    // A changed Secret or ConfigMap restarts no pod: this annotation changes with them, and rolls it.
    const checksum = rolloutChecksum(props.settings, props.scimTokenGeneration ?? 1, [
      props.scimTokenHashes,
      props.adminKeyHash,
      ...(props.smtpUrl ? [props.smtpUrl] : []),
      ...(database.kind === 'postgres' && 'url' in database ? [database.url] : []),
      ...(database.kind === 'postgres' && 'existingSecret' in database ? [`${database.existingSecret.name}/${database.existingSecret.key}`] : []),
    ]);
    const probe = (path: string, period: number, failures: number) => ({
      httpGet: { path, port: String(CONTAINER_PORT) },
      periodSeconds: period,
      timeoutSeconds: 3,
      failureThreshold: failures,
    });
    const podSpec: StatefulSetV1SpecTemplateSpec = {
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: 30,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: '1000',
        runAsGroup: '1000',
        fsGroup: '1000',
        seccompProfile: { type: 'RuntimeDefault' },
      },
      container: [
        {
          name: 'receiver',
          image: props.image,
          port: [{ name: 'http', containerPort: CONTAINER_PORT }],
          env: [
            ...Object.entries(receiverEnvironment(props.settings)).map(([name, value]) => ({ name, value })),
            ...secretEnv,
          ],
          readinessProbe: probe('/readyz', 5, 3),
          livenessProbe: probe('/healthz', 10, 3),
          startupProbe: probe('/healthz', 2, 30),
          resources: {
            requests: { cpu: resources.cpuRequest, memory: resources.memoryRequest },
            limits: { cpu: resources.cpuLimit, memory: resources.memoryLimit },
          },
          securityContext: {
            runAsNonRoot: true,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            privileged: false,
            capabilities: { drop: ['ALL'] },
          },
          volumeMount: [
            { name: 'data', mountPath: '/data' },
            { name: 'config', mountPath: CONFIG_MOUNT_DIR, readOnly: true },
            { name: 'tmp', mountPath: '/tmp' },
          ],
        },
      ],
      volume: [
        { name: 'config', configMap: { name: this.configMap.metadata.name } },
        { name: 'tmp', emptyDir: { sizeLimit: '16Mi' } },
        // PostgreSQL holds the data; /data is scratch space only.
        ...(postgres ? [{ name: 'data', emptyDir: { sizeLimit: '64Mi' } }] : []),
      ],
    };
    const selector = { matchLabels: labels };
    const template = { metadata: { labels, annotations: { [ROLLOUT_ANNOTATION]: checksum } }, spec: podSpec };

    if (!postgres) {
      this.workload = new StatefulSetV1(this, 'Workload', {
        metadata: inNamespace,
        spec: {
          serviceName: props.name,
          replicas: '1',
          selector,
          template,
          volumeClaimTemplate: [
            {
              metadata: { name: 'data' },
              spec: {
                accessModes: ['ReadWriteOnce'],
                resources: { requests: { storage: storage.size } },
                ...(storage.storageClassName ? { storageClassName: storage.storageClassName } : {}),
              },
            },
          ],
          // The volume outlives the pod and the StatefulSet: deleting the workload never deletes the directory.
          persistentVolumeClaimRetentionPolicy: [{ whenDeleted: 'Retain', whenScaled: 'Retain' }],
        },
        waitForRollout: true,
      });
    } else {
      this.workload = new DeploymentV1(this, 'Workload', {
        metadata: inNamespace,
        spec: {
          replicas: String(replicas),
          selector,
          template: { ...template, spec: podSpec as DeploymentV1SpecTemplateSpec },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '0', maxSurge: '1' } },
        },
        waitForRollout: true,
        // The autoscaler owns the replica count once it runs.
        lifecycle: { ignoreChanges: ['spec[0].replicas'] },
      });
    }

    this.service = new ServiceV1(this, 'Service', {
      metadata: inNamespace,
      spec: { type: 'ClusterIP', selector: labels, port: [{ name: 'http', port: 80, targetPort: String(CONTAINER_PORT) }] },
    });

    if (props.ingress) {
      this.ingress = new IngressV1(this, 'Ingress', {
        metadata: { ...inNamespace, annotations: props.ingress.annotations ?? {} },
        spec: {
          ...(props.ingress.className ? { ingressClassName: props.ingress.className } : {}),
          tls: [{ hosts: [props.ingress.host], secretName: props.ingress.tlsSecretName }],
          rule: [
            {
              host: props.ingress.host,
              http: { path: [{ path: '/', pathType: 'Prefix', backend: { service: { name: this.service.metadata.name, port: { number: 80 } } } }] },
            },
          ],
        },
      });
    }

    if (autoscaling) {
      this.autoscaler = new HorizontalPodAutoscalerV2(this, 'Autoscaler', {
        metadata: inNamespace,
        spec: {
          minReplicas: autoscaling.minReplicas,
          maxReplicas: autoscaling.maxReplicas,
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.name },
          metric: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: autoscaling.cpuUtilization ?? 70 } } }],
        },
      });
    }

    // One replica: voluntary evictions may take it (a drain must not hang); several: keep one serving.
    const several = postgres && Math.min(replicas, autoscaling?.minReplicas ?? replicas) > 1;
    this.disruptionBudget = new PodDisruptionBudgetV1(this, 'DisruptionBudget', {
      metadata: inNamespace,
      spec: { selector, ...(several ? { minAvailable: '1' } : { maxUnavailable: '1' }) },
    });

    const port = [{ port: String(CONTAINER_PORT), protocol: 'TCP' }];
    this.networkPolicy = new NetworkPolicyV1(this, 'NetworkPolicy', {
      metadata: inNamespace,
      spec: {
        podSelector: { matchLabels: labels },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            ports: port,
            from: [{ namespaceSelector: props.allowFromNamespaceLabels ? { matchLabels: props.allowFromNamespaceLabels } : {} }],
          },
        ],
        egress: [
          { ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }] },
          ...(props.smtpUrl ? [{ ports: ['25', '465', '587'].map((p) => ({ port: p, protocol: 'TCP' })) }] : []),
          ...(postgres ? [{ ports: [{ port: '5432', protocol: 'TCP' }] }] : []),
        ],
      },
    });
  }
}
