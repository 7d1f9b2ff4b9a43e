import type { Construct } from '../../framework';
import { NetworkPolicyV1 } from '../bindings';
import { CONTAINER_PORT } from '../receiver-settings';
import type { ReceiverMetadata } from './metadata';

export interface IsolationOptions {
  /**
   * Labels of the namespaces allowed to reach the receiver (the ingress controller's).
   * @default - any namespace, on the receiver's port only
   */
  readonly allowFromNamespaceLabels?: Record<string, string>;
}

/** What the pods may reach besides DNS. */
export interface EgressNeeds {
  readonly smtp: boolean;
  readonly postgres: boolean;
}

/** Ingress on the receiver's port only (from the given namespaces); egress DNS, and SMTP and PostgreSQL when used. */
export function receiverNetworkPolicy(scope: Construct, metadata: ReceiverMetadata, egress: EgressNeeds, options: IsolationOptions): NetworkPolicyV1 {
  return new NetworkPolicyV1(scope, 'NetworkPolicy', {
    metadata,
    spec: {
      podSelector: { matchLabels: metadata.labels },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          ports: [{ port: String(CONTAINER_PORT), protocol: 'TCP' }],
          from: [{ namespaceSelector: options.allowFromNamespaceLabels ? { matchLabels: options.allowFromNamespaceLabels } : {} }],
        },
      ],
      egress: [
        { ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }] },
        ...(egress.smtp ? [{ ports: ['25', '465', '587'].map((p) => ({ port: p, protocol: 'TCP' })) }] : []),
        ...(egress.postgres ? [{ ports: [{ port: '5432', protocol: 'TCP' }] }] : []),
      ],
    },
  });
}
