import type { Construct } from '../../framework';
import { HorizontalPodAutoscalerV2 } from '../bindings';
import type { ReceiverMetadata } from './metadata';

export interface KubernetesAutoscaling {
  /** @default - the workload's replicas */
  readonly minReplicas?: number;
  /** @default - twice minReplicas */
  readonly maxReplicas?: number;
  /** @default 70 */
  readonly cpuUtilization?: number;
}

/** CPU-based scaling of the receiver's Deployment between `minReplicas` and `maxReplicas`. */
export function receiverAutoscaler(scope: Construct, metadata: ReceiverMetadata, range: { readonly minReplicas: number; readonly maxReplicas: number; readonly cpuUtilization: number }): HorizontalPodAutoscalerV2 {
  return new HorizontalPodAutoscalerV2(scope, 'Autoscaler', {
    metadata,
    spec: {
      minReplicas: range.minReplicas,
      maxReplicas: range.maxReplicas,
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: metadata.name },
      metric: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: range.cpuUtilization } } }],
    },
  });
}
