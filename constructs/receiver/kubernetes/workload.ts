import type { Construct } from '../../framework';
import type { DeploymentV1SpecTemplateSpec, StatefulSetV1SpecTemplateSpec } from '../bindings';
import { DeploymentV1, StatefulSetV1 } from '../bindings';
import type { ReceiverMetadata } from './metadata';

/** What both workloads run: the pod template and the labels that select it. */
export interface WorkloadTemplate {
  readonly metadata: ReceiverMetadata;
  readonly podSpec: StatefulSetV1SpecTemplateSpec;
  /** Pod-template annotations (the rollout checksum). */
  readonly annotations: Readonly<Record<string, string>>;
}

const ID = 'Workload';

function template(t: WorkloadTemplate) {
  return { metadata: { labels: t.metadata.labels, annotations: t.annotations }, spec: t.podSpec };
}

/** SQLite: one replica on a persistent volume claim that outlives the pod and the StatefulSet. */
export function sqliteStatefulSet(scope: Construct, t: WorkloadTemplate, storage: { readonly size: string; readonly storageClassName?: string }): StatefulSetV1 {
  return new StatefulSetV1(scope, ID, {
    metadata: t.metadata,
    spec: {
      serviceName: t.metadata.name,
      replicas: '1',
      selector: { matchLabels: t.metadata.labels },
      template: template(t),
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
      // Deleting the workload never deletes the directory.
      persistentVolumeClaimRetentionPolicy: [{ whenDeleted: 'Retain', whenScaled: 'Retain' }],
    },
    waitForRollout: true,
  });
}

/** PostgreSQL: a Deployment of `replicas` stateless pods, rolled one extra pod at a time. */
export function postgresDeployment(scope: Construct, t: WorkloadTemplate, replicas: number): DeploymentV1 {
  return new DeploymentV1(scope, ID, {
    metadata: t.metadata,
    spec: {
      replicas: String(replicas),
      selector: { matchLabels: t.metadata.labels },
      template: { ...template(t), spec: t.podSpec as DeploymentV1SpecTemplateSpec },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '0', maxSurge: '1' } },
    },
    waitForRollout: true,
    // An autoscaler owns the replica count once it runs.
    lifecycle: { ignoreChanges: ['spec[0].replicas'] },
  });
}
