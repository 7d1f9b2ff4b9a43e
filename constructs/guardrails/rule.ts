import type { IConstruct } from '../framework';
import type { TerraformResource } from '../framework';

/** One guardrail: an id to cite and suppress it by, and the check itself. */
export interface GuardrailRule {
  /** Stable id, e.g. `OKTA-001`: what a suppression names. */
  readonly id: string;
  /** What it asks for, in a few words. */
  readonly summary: string;
  /** The rule's findings on `node` (one sentence each); empty when it complies or the rule does not apply. */
  check(node: IConstruct): string[];
}

/** A resource's own attributes, as they will be synthesized (snake_case, tokens unresolved). */
export function synthesizedAttributes(node: TerraformResource): Record<string, unknown> {
  const config = node.toTerraform() as { resource?: Record<string, Record<string, Record<string, unknown>>> };
  return Object.values(config.resource?.[node.terraformResourceType] ?? {})[0] ?? {};
}
