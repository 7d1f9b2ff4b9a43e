import type { GuardrailRule } from './rule';
import { ENVIRONMENT_IN_LABELS_ID, environmentInLabels } from './rules/environment-in-labels';
import { NO_PLAINTEXT_SECRETS } from './rules/no-plaintext-secrets';
import { SAFE_GROUP_PUSH } from './rules/safe-group-push';

/** Every rule id, for suppressions to be checked against. */
export const ALL_RULE_IDS: readonly string[] = [NO_PLAINTEXT_SECRETS.id, ENVIRONMENT_IN_LABELS_ID, SAFE_GROUP_PUSH.id];

/** The rules of an `okta-<env>` stack. */
export function oktaStackRules(environment: string): GuardrailRule[] {
  return [NO_PLAINTEXT_SECRETS, environmentInLabels(environment), SAFE_GROUP_PUSH];
}

/** The rules of the receiver's stacks (`scim-token-<env>`, `receiver-<env>`): they hold credentials, no Okta object. */
export function receiverStackRules(): GuardrailRule[] {
  return [NO_PLAINTEXT_SECRETS];
}
