import type { StatefulSetV1SpecTemplateSpec } from '../bindings';
import type { ReceiverSettings } from '../receiver-settings';
import { CONFIG_MOUNT_DIR, CONTAINER_PORT, receiverEnvironment } from '../receiver-settings';
import type { SecretEnv } from './database';

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

export const DEFAULT_RESOURCES: Required<KubernetesResources> = { cpuRequest: '100m', memoryRequest: '128Mi', cpuLimit: '1', memoryLimit: '384Mi' };

export interface ReceiverPodOptions {
  readonly image: string;
  readonly settings: ReceiverSettings;
  readonly secretEnv: readonly SecretEnv[];
  readonly resources: Required<KubernetesResources>;
  readonly configMapName: string;
  /** /data is scratch space only (PostgreSQL holds the data): an emptyDir instead of the claim. */
  readonly scratchData: boolean;
}

function probe(path: string, period: number, failures: number) {
  return { httpGet: { path, port: String(CONTAINER_PORT) }, periodSeconds: period, timeoutSeconds: 3, failureThreshold: failures };
}

/** The receiver's pod, hardened: non-root, read-only root filesystem, no privilege escalation, no capabilities. */
export function receiverPodSpec(options: ReceiverPodOptions): StatefulSetV1SpecTemplateSpec {
  const { resources } = options;
  return {
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
        image: options.image,
        port: [{ name: 'http', containerPort: CONTAINER_PORT }],
        env: [...Object.entries(receiverEnvironment(options.settings)).map(([name, value]) => ({ name, value })), ...options.secretEnv],
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
      { name: 'config', configMap: { name: options.configMapName } },
      { name: 'tmp', emptyDir: { sizeLimit: '16Mi' } },
      ...(options.scratchData ? [{ name: 'data', emptyDir: { sizeLimit: '64Mi' } }] : []),
    ],
  };
}
