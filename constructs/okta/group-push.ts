import type { ITerraformDependable } from '../framework';
import { Annotations, Construct } from '../framework';
import { Problems } from '../validation';
import { PushGroup } from './bindings';

/** Marks a push group whose downstream deletion on destroy was asked for explicitly (read by the guardrail). */
export const DOWNSTREAM_DELETE_ALLOWED = 'okta-scim-kit:downstream-delete-allowed';

export interface PushedGroup {
  readonly groupId: string;
  /** Name of the group in the application. @default - the Okta group's name */
  readonly targetName?: string;
  /**
   * Delete the group in the application when this push is destroyed. The provider's own default is
   * true; ours is false, because deleting a group downstream is not undoable.
   * @default false
   */
  readonly deleteDownstreamOnDestroy?: boolean;
}

export interface GroupPushProps {
  readonly appId: string;
  readonly groups: readonly PushedGroup[];
  /** Group push works only once provisioning is enabled on the app. @default false */
  readonly provisioningConfirmed?: boolean;
  /** Resources the pushes need first (group assignments: Okta pushes assigned members only). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** "Push groups by name": okta_push_group per group (provider ≥ 6.6). */
export class GroupPush extends Construct {
  readonly pushes: readonly PushGroup[];

  constructor(scope: Construct, id: string, props: GroupPushProps) {
    super(scope, id);
    const problems = new Problems('GroupPush');
    props.groups.forEach((g, i) => problems.check(g.targetName === undefined || g.targetName.trim().length > 0, `groups[${i}].targetName: must not be empty`));
    problems.throwIfAny();
    if (!(props.provisioningConfirmed ?? false)) {
      if (props.groups.length > 0) {
        Annotations.of(this).addWarning(`${props.groups.length} group push(es) wait for provisioning.confirmed: Okta pushes groups only once provisioning is enabled.`);
      }
      this.pushes = [];
      return;
    }
    this.pushes = props.groups.map((group, i) => {
      const deleteDownstream = group.deleteDownstreamOnDestroy ?? false;
      const push = new PushGroup(this, `push-${i}`, {
        appId: props.appId,
        sourceGroupId: group.groupId,
        ...(group.targetName ? { targetGroupName: group.targetName } : {}),
        status: 'ACTIVE',
        deleteTargetGroupOnDestroy: deleteDownstream,
        dependsOn: [...(props.dependsOn ?? [])],
      });
      if (deleteDownstream) push.node.addMetadata(DOWNSTREAM_DELETE_ALLOWED, true);
      return push;
    });
  }
}
