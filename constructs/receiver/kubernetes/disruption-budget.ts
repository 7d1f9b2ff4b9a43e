import type { Construct } from '../../framework';
import { Lazy } from '../../framework';
import { PodDisruptionBudgetV1 } from '../bindings';
import type { ReceiverMetadata } from './metadata';

/**
 * One replica: voluntary evictions may take it (a drain must not hang); several: keep one serving.
 * `fewestReplicas` is read at synthesis, so that an autoscaler added later sets the floor.
 */
export function receiverDisruptionBudget(scope: Construct, metadata: ReceiverMetadata, fewestReplicas: () => number): PodDisruptionBudgetV1 {
  const several = () => fewestReplicas() > 1;
  return new PodDisruptionBudgetV1(scope, 'DisruptionBudget', {
    metadata,
    spec: {
      selector: { matchLabels: metadata.labels },
      minAvailable: Lazy.stringValue({ produce: () => (several() ? '1' : undefined) }),
      maxUnavailable: Lazy.stringValue({ produce: () => (several() ? undefined : '1') }),
    },
  });
}
