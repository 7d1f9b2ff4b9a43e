import type { ITerraformDependable } from '../framework';
import { Construct, dependsOnProp } from '../framework';
import { Problems } from '../validation';
import { DataOktaUserProfileMappingSource, ProfileMapping } from './bindings';
import type { IScimApp } from './scim-app';

export interface AttributeMapping {
  /** Target: the app-user attribute's variable name. */
  readonly attribute: string;
  /** Okta expression over the Okta user, e.g. `user.costCenter`. */
  readonly expression: string;
}

export interface ProfileMappingsProps {
  /** The app whose profile the mappings target; nothing is declared until its provisioning gate is open. */
  readonly app: IScimApp;
  readonly mappings: readonly AttributeMapping[];
  /** Resources the mappings need first (the attributes they target); the provisioning gate's come after. @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * Refuse to destroy the mapping (`prevent_destroy`): destroying an okta_profile_mapping sets every
   * mapped property to null except `login` (provider issue #1341).
   * @default true
   */
  readonly preventDestroy?: boolean;
}

/** Why `expression` cannot be an Okta mapping expression, or undefined (shared with config/schema.ts). */
export function mappingExpressionProblem(expression: string): string | undefined {
  if (expression.trim().length === 0) return 'must not be empty';
  if (/\$\{/.test(expression)) return 'Okta expressions use user.<attribute>, not ${…}';
  return undefined;
}

/** The Okta user → app user mapping for the declared attributes, pushed on every update. */
export class ProfileMappings extends Construct {
  /** Undefined when there is nothing to map. */
  readonly mapping?: ProfileMapping;

  constructor(scope: Construct, id: string, props: ProfileMappingsProps) {
    super(scope, id);
    const problems = new Problems('ProfileMappings');
    props.mappings.forEach((m, i) => {
      const problem = mappingExpressionProblem(m.expression);
      if (problem) problems.add(`mappings[${i}].expression: ${problem}`);
    });
    problems.throwIfAny();
    // The attributes they target wait for provisioning (their construct warns): so do the mappings.
    if (props.mappings.length === 0 || !props.app.provisioning.admits(this)) return;
    const oktaUser = new DataOktaUserProfileMappingSource(this, 'OktaUser', {});
    this.mapping = new ProfileMapping(this, 'Mapping', {
      sourceId: oktaUser.id,
      targetId: props.app.appId,
      // Never remove mappings that someone added in the console; only manage ours.
      deleteWhenAbsent: false,
      alwaysApply: false,
      mappings: props.mappings.map((m) => ({ id: m.attribute, expression: m.expression, pushStatus: 'PUSH' })),
      ...dependsOnProp([...(props.dependsOn ?? []), ...props.app.provisioning.dependsOn]),
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
  }
}
