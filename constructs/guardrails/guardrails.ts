import type { IAspect, IConstruct } from '../framework';
import { Annotations } from '../framework';
import { Problems } from '../validation';
import type { GuardrailRule } from './rule';
import { ALL_RULE_IDS } from './packs';

/** Metadata type of a suppression (public: `Guardrails.suppressionsOf` reads it; reviewers see it in the tree). */
export const GUARDRAIL_SUPPRESSION = 'okta-scim-kit:guardrail-suppression';

/** Metadata type of a suppression that took effect (a rule found something and was suppressed). */
const SUPPRESSED_FINDING = 'okta-scim-kit:guardrail-suppressed';

export interface GuardrailSuppression {
  readonly ruleId: string;
  /** Why the rule does not hold here: shown on every synth. */
  readonly reason: string;
}

/**
 * Runs a pack of rules over a stack (an aspect): a finding is a synthesis error naming the construct
 * and the rule id; a finding on a construct where the rule is suppressed is a warning with the
 * suppression's reason instead, so every exception is visible in the synth output (manifest.json
 * annotations, the cdktf CLI's warnings, and `npm run synth`'s own output).
 */
export class Guardrails implements IAspect {
  /**
   * Lets `construct` (and what it contains) break `ruleId`, for a stated reason. The reason is
   * required: it is what the warning shows on each synth.
   */
  static suppress(construct: IConstruct, ruleId: string, reason: string): void {
    new Problems('Guardrails.suppress')
      .check(ALL_RULE_IDS.includes(ruleId), `ruleId: unknown rule "${ruleId}" (rules: ${ALL_RULE_IDS.join(', ')})`)
      .check(reason.trim().length >= 10, 'reason: say why the rule does not hold here (at least 10 characters)')
      .throwIfAny();
    const suppression: GuardrailSuppression = { ruleId, reason: reason.trim() };
    construct.node.addMetadata(GUARDRAIL_SUPPRESSION, suppression);
  }

  /** The suppressions in force on `construct`: its own and its scopes'. */
  static suppressionsOf(construct: IConstruct): GuardrailSuppression[] {
    return construct.node.scopes.flatMap((scope) => scope.node.metadata.filter((m) => m.type === GUARDRAIL_SUPPRESSION).map((m) => m.data as GuardrailSuppression));
  }

  /** The suppressions that took effect in `scope`'s tree at synthesis: `<construct path>: <rule id> suppressed: <reason>`. */
  static suppressedFindings(scope: IConstruct): string[] {
    return scope.node
      .findAll()
      .flatMap((node) => node.node.metadata.filter((m) => m.type === SUPPRESSED_FINDING).map((m) => `${node.node.path}: ${String(m.data)}`));
  }

  constructor(readonly rules: readonly GuardrailRule[]) {}

  visit(node: IConstruct): void {
    for (const rule of this.rules) {
      const findings = rule.check(node);
      if (findings.length === 0) continue;
      const suppression = Guardrails.suppressionsOf(node).find((s) => s.ruleId === rule.id);
      if (suppression) node.node.addMetadata(SUPPRESSED_FINDING, `${rule.id} suppressed: ${suppression.reason}`);
      for (const finding of findings) {
        if (suppression) Annotations.of(node).addWarning(`${rule.id} suppressed: ${suppression.reason} (finding: ${finding})`);
        else Annotations.of(node).addError(`${rule.id}: ${finding}`);
      }
    }
  }
}
