import type { ITerraformDependable } from '../framework';
import { Construct, dependsOnProp, idsBelowStack, logicalIdOf } from '../framework';
import { Guardrails } from '../guardrails/guardrails';
import { SAFE_GROUP_PUSH } from '../guardrails/rules/safe-group-push';
import { Problems } from '../validation';
import { PushGroup } from './bindings';
import type { IOktaGroup } from './groups';
import type { IScimApp } from './scim-app';

const KEY = /^[a-z][a-z0-9-]{0,30}$/;

export interface PushedGroup {
  /** The group pushed; its key is the push's construct id, so its address never depends on list order. */
  readonly group: IOktaGroup;
  /** Name of the group in the application. @default - the Okta group's name (`group.name`, or Okta's default) */
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
  /** The app pushed to; Okta pushes groups only once provisioning is enabled (its provisioning gate is open). */
  readonly app: IScimApp;
  readonly groups: readonly PushedGroup[];
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
    props.groups.forEach(({ group, targetName }, i) => {
      problems.check(KEY.test(group.key), `groups[${i}].key: expected a lower-case identifier (a-z, 0-9, -)`);
      problems.check(!keys.has(group.key), `groups[${i}].key: duplicate "${group.key}"`);
      problems.check(targetName === undefined || targetName.trim().length > 0, `groups[${i}].targetName: must not be empty`);
      keys.add(group.key);
    });
    problems.throwIfAny();
    const pushes: Record<string, PushGroup> = {};
    this.pushes = pushes;
    const gate = props.app.provisioning;
    const waiting = `${props.groups.length} group push(es) wait for provisioning.confirmed: Okta pushes groups only once provisioning is enabled.`;
    if (!gate.admits(this, props.groups.length > 0 ? waiting : undefined)) return;
    props.groups.forEach((pushed, i) => {
      const { group } = pushed;
      const deleteDownstream = pushed.deleteDownstreamOnDestroy ?? false;
      const targetName = pushed.targetName ?? group.name;
      const push = new PushGroup(this, group.key, {
        appId: props.app.appId,
        sourceGroupId: group.groupId,
        ...(targetName ? { targetGroupName: targetName } : {}),
        status: 'ACTIVE',
        deleteTargetGroupOnDestroy: deleteDownstream,
        ...dependsOnProp([...gate.dependsOn, ...(pushed.dependsOn ?? [])]),
      });
      if (deleteDownstream) {
        Guardrails.suppress(push, SAFE_GROUP_PUSH.id, `deleteDownstreamOnDestroy is set for group "${group.key}": destroying this push deletes the group in the application`);
      }
      if (props.moveFromPositionalIds) push.moveFromId(`okta_push_group.${logicalIdOf([...idsBelowStack(this), `push-${i}`])}`);
      pushes[group.key] = push;
    });
  }
}

