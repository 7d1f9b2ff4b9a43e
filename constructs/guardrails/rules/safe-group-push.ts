import type { IConstruct } from '../../framework';
import { TerraformResource } from '../../framework';
import type { GuardrailRule } from '../rule';
import { synthesizedAttributes } from '../rule';

/**
 * OKTA-003: a group push never deletes the downstream group on destroy (the provider's default does,
 * and it cannot be undone). GroupPush suppresses it, with the reason, where config asks for deletion.
 */
export const SAFE_GROUP_PUSH: GuardrailRule = {
  id: 'OKTA-003',
  summary: 'group pushes keep the downstream group on destroy',
  check(node: IConstruct): string[] {
    if (!(node instanceof TerraformResource) || node.terraformResourceType !== 'okta_push_group') return [];
    if (synthesizedAttributes(node).delete_target_group_on_destroy === false) return [];
    return [
      'delete_target_group_on_destroy must be false (the provider defaults to true and would delete the group in the application); set deleteDownstreamOnDestroy in config to allow it',
    ];
  },
};
