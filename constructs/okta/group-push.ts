import type { ITerraformDependable } from '../framework';
import { Annotations, Construct, dependsOnProp, idsBelowStack, logicalIdOf } from '../framework';
import { Problems } from '../validation';
import { PushGroup } from './bindings';

/** Marks a push group whose downstream deletion on destroy was asked for explicitly (read by the guardrail). */
export const DOWNSTREAM_DELETE_ALLOWED = 'okta-scim-kit:downstream-delete-allowed';

const KEY = /^[a-z][a-z0-9-]{0,30}$/;

export interface PushedGroup {
  /** What the push is (the group's key): its construct id, so its address never depends on list order. */
  readonly key: string;
  readonly groupId: string;
  /** Name of the group in the application. @default - the Okta group's name */
  readonly targetName?: string;
  /**
   * Delete the group in the application when this push is destroyed. The provider's own default is
   * true; ours is false, because deleting a group downstream is not undoable.
   * @default false
   */
  readonly deleteDownstreamOnDestroy?: boolean;
  /** What this push needs first (the group's assignment: Okta pushes assigned members only). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export interface GroupPushProps {
  readonly appId: string;
  readonly groups: readonly PushedGroup[];
  /** Group push works only once provisioning is enabled on the app. @default false */
  readonly provisioningConfirmed?: boolean;
  /** Resources every push needs first (the provisioning features in api mode). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
  /**
   * Emit `moved` blocks from the positional addresses of earlier releases (`push-<i>`, in today's
   * list order) to the key-based ones: set for one deploy after upgrading, then remove.
   * @default false
   */
  readonly moveFromPositionalIds?: boolean;
}

/** "Push groups by name": okta_push_group per group (provider ≥ 6.6), addressed by group key. */
export class GroupPush extends Construct {
  /** By group key; empty until provisioning is confirmed. */
  readonly pushes: Readonly<Record<string, PushGroup>>;

  constructor(scope: Construct, id: string, props: GroupPushProps) {
    super(scope, id);
    const problems = new Problems('GroupPush');
    const keys = new Set<string>();
    props.groups.forEach((g, i) => {
      problems.check(KEY.test(g.key), `groups[${i}].key: expected a lower-case identifier (a-z, 0-9, -)`);
      problems.check(!keys.has(g.key), `groups[${i}].key: duplicate "${g.key}"`);
      problems.check(g.targetName === undefined || g.targetName.trim().length > 0, `groups[${i}].targetName: must not be empty`);
      keys.add(g.key);
    });
    problems.throwIfAny();
    const pushes: Record<string, PushGroup> = {};
    this.pushes = pushes;
    if (!(props.provisioningConfirmed ?? false)) {
      if (props.groups.length > 0) {
        Annotations.of(this).addWarning(`${props.groups.length} group push(es) wait for provisioning.confirmed: Okta pushes groups only once provisioning is enabled.`);
      }
      return;
    }
    props.groups.forEach((group, i) => {
      const deleteDownstream = group.deleteDownstreamOnDestroy ?? false;
      const push = new PushGroup(this, group.key, {
        appId: props.appId,
        sourceGroupId: group.groupId,
        ...(group.targetName ? { targetGroupName: group.targetName } : {}),
        status: 'ACTIVE',
        deleteTargetGroupOnDestroy: deleteDownstream,
        ...dependsOnProp([...(props.dependsOn ?? []), ...(group.dependsOn ?? [])]),
      });
      if (deleteDownstream) push.node.addMetadata(DOWNSTREAM_DELETE_ALLOWED, true);
      if (props.moveFromPositionalIds) push.moveFromId(`okta_push_group.${logicalIdOf([...idsBelowStack(this), `push-${i}`])}`);
      pushes[group.key] = push;
    });
  }
}

