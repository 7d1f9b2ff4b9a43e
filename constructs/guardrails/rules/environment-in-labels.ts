import type { IConstruct } from '../../framework';
import { TerraformResource, Token } from '../../framework';
import { mentionsEnvironment } from '../../environment-name';
import type { GuardrailRule } from '../rule';
import { synthesizedAttributes } from '../rule';

export const ENVIRONMENT_IN_LABELS_ID = 'OKTA-002';

/** OKTA-002: every Okta object the stack names carries the environment name, so nobody mistakes dev for prod. */
export function environmentInLabels(environment: string): GuardrailRule {
  return {
    id: ENVIRONMENT_IN_LABELS_ID,
    summary: `Okta labels and group names contain the environment name "${environment}"`,
    check(node: IConstruct): string[] {
      if (!(node instanceof TerraformResource) || !node.terraformResourceType.startsWith('okta_')) return [];
      const attributes = synthesizedAttributes(node);
      const named =
        node.terraformResourceType === 'okta_group' ? 'name' : typeof attributes.label === 'string' || Token.isUnresolved(attributes.label) ? 'label' : undefined;
      if (!named) return [];
      const value = attributes[named];
      if (typeof value !== 'string' || Token.isUnresolved(value) || mentionsEnvironment(value, environment)) return [];
      return [`${node.terraformResourceType}.${named} "${value}" must contain the environment name "${environment}"`];
    },
  };
}
