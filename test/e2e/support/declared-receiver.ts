/**
 * What a synthesized environment hands its receiver: the configuration file content and the
 * extension URN, read from receiver-<env> (Kubernetes ConfigMap and pod env, or the Docker container's
 * env), or, for a receiver run elsewhere, what its operator must configure (the same attribute list).
 */
import type { EnvironmentConfig } from '../../../config/schema';
import { receiverConfigJson } from '../../../constructs/receiver/receiver-settings';

export interface DeclaredReceiver {
  readonly RECEIVER_CONFIG_JSON: string;
  readonly SCIM_EXTENSION_URN: string;
}

const first = (stack: any, type: string): any => Object.values(stack.resource?.[type] ?? {})[0];

export function declaredReceiver(stacks: Record<string, any>, environment: EnvironmentConfig): DeclaredReceiver {
  const stack = stacks[`receiver-${environment.name}`];
  if (!stack) {
    return {
      RECEIVER_CONFIG_JSON: receiverConfigJson({ publicUrl: '', extensionUrn: environment.scimExtensionUrn, attributes: environment.attributes.filter((a) => a.namespace === 'custom') }),
      SCIM_EXTENSION_URN: environment.scimExtensionUrn,
    };
  }
  const container = first(stack, 'docker_container');
  if (container) {
    const env = Object.fromEntries((container.env as string[]).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
    return { RECEIVER_CONFIG_JSON: env.RECEIVER_CONFIG_JSON!, SCIM_EXTENSION_URN: env.SCIM_EXTENSION_URN! };
  }
  const workload = first(stack, 'kubernetes_stateful_set_v1') ?? first(stack, 'kubernetes_deployment_v1');
  const env = Object.fromEntries(workload.spec.template.spec.container[0].env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
  return { RECEIVER_CONFIG_JSON: first(stack, 'kubernetes_config_map_v1').data['config.json'], SCIM_EXTENSION_URN: env.SCIM_EXTENSION_URN };
}
