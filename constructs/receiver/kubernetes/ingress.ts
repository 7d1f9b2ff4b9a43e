import type { Construct } from '../../framework';
import type { ServiceV1 } from '../bindings';
import { IngressV1 } from '../bindings';
import type { ReceiverMetadata } from './metadata';

export interface KubernetesIngress {
  readonly host: string;
  /** Secret holding the TLS certificate for `host`. */
  readonly tlsSecretName: string;
  /** @default - the cluster's default ingress class */
  readonly className?: string;
  /** @default {} */
  readonly annotations?: Record<string, string>;
}

/** Why `ingress` cannot be declared, or undefined. */
export function ingressProblem(ingress: KubernetesIngress): string | undefined {
  return /^[a-z0-9.-]+$/.test(ingress.host) ? undefined : 'ingress.host: expected a host name';
}

/** TLS at `host`, every path to the service's port 80. */
export function receiverIngress(scope: Construct, metadata: ReceiverMetadata, service: ServiceV1, ingress: KubernetesIngress): IngressV1 {
  return new IngressV1(scope, 'Ingress', {
    metadata: { ...metadata, annotations: ingress.annotations ?? {} },
    spec: {
      ...(ingress.className ? { ingressClassName: ingress.className } : {}),
      tls: [{ hosts: [ingress.host], secretName: ingress.tlsSecretName }],
      rule: [
        {
          host: ingress.host,
          http: { path: [{ path: '/', pathType: 'Prefix', backend: { service: { name: service.metadata.name, port: { number: 80 } } } }] },
        },
      ],
    },
  });
}
