import { Construct, TerraformStack, dependsOnProp, idsBelowStack, logicalIdOf } from '../framework';
import { Problems } from '../validation';
import { AppGroupAssignment, AppUser, DataOktaUser } from './bindings';
import type { IOktaGroup } from './groups';
import type { IScimApp } from './scim-app';

const KEY = /^[a-z][a-z0-9-]{0,30}$/;
const LOGIN = /^[^@\s/]+@[^@\s/]+$/;

export interface AssignmentsProps {
  /**
   * The app assigned. Users assigned before provisioning is enabled are never provisioned
   * automatically (Okta's "Provision unprovisioned users", per user), so nothing is assigned until
   * the app's provisioning gate is open, like attributes and group push.
   */
  readonly app: IScimApp;
  /** Groups, in priority order (the first one's app profile wins); each is addressed by its key. @default [] */
  readonly groups?: readonly IOktaGroup[];
  /** Okta logins of people assigned directly; each is addressed by its (lower-cased) login. @default [] */
  readonly people?: readonly string[];
  /**
   * Emit `moved` blocks from the positional addresses of earlier releases (`assignment-<i>`) to the
   * login-based ones, in today's list order: set for one deploy after upgrading, then remove.
   * @default false
   */
  readonly moveFromPositionalIds?: boolean;
}

/** Who the app is assigned to: one okta_app_group_assignment per group key, one okta_app_user per login. */
export class Assignments extends Construct {
  /** By group key. */
  readonly groupAssignments: Readonly<Record<string, AppGroupAssignment>>;
  /** By lower-cased login. */
  readonly userAssignments: Readonly<Record<string, AppUser>>;

  constructor(scope: Construct, id: string, props: AssignmentsProps) {
    super(scope, id);
    const people = props.people ?? [];
    const groups = props.groups ?? [];
    const problems = new Problems('Assignments');
    const seen = new Set<string>();
    people.forEach((login, i) => {
      problems.check(LOGIN.test(login), `people[${i}]: expected an Okta login (an e-mail address)`);
      problems.check(!seen.has(login.toLowerCase()), `people[${i}]: duplicate "${login}"`);
      seen.add(login.toLowerCase());
    });
    const keys = new Set<string>();
    groups.forEach((g, i) => {
      problems.check(KEY.test(g.key), `groups[${i}].key: expected a lower-case identifier (a-z, 0-9, -)`);
      problems.check(!keys.has(g.key), `groups[${i}].key: duplicate "${g.key}"`);
      keys.add(g.key);
    });
    problems.throwIfAny();

    const groupAssignments: Record<string, AppGroupAssignment> = {};
    const userAssignments: Record<string, AppUser> = {};
    this.groupAssignments = groupAssignments;
    this.userAssignments = userAssignments;
    const gate = props.app.provisioning;
    const waiting = `${groups.length} group and ${people.length} person assignment(s) wait for provisioning.confirmed: users assigned before provisioning is enabled are not provisioned automatically.`;
    if (!gate.admits(this, groups.length + people.length > 0 ? waiting : undefined)) return;
    const appId = props.app.appId;
    const dependsOn = dependsOnProp(gate.dependsOn);
    groups.forEach((group, priority) => {
      const assignment = new AppGroupAssignment(this, `group-${group.key}`, { appId, groupId: group.groupId, priority, ...dependsOn });
      // Earlier releases declared every group in one okta_app_group_assignments: Terraform cannot move
      // state across types, so each group is imported and the old resource forgotten, never destroyed.
      if (props.moveFromPositionalIds) assignment.importFrom(`${appId}/${group.groupId}`);
      groupAssignments[group.key] = assignment;
    });
    if (props.moveFromPositionalIds && groups.length > 0) {
      TerraformStack.of(this).addOverride('removed', [
        { from: `okta_app_group_assignments.${logicalIdOf([...idsBelowStack(this), 'Groups'])}`, lifecycle: { destroy: false } },
      ]);
    }
    people.forEach((login, i) => {
      const key = login.toLowerCase();
      const user = new DataOktaUser(this, `lookup-${key}`, { search: [{ name: 'profile.login', value: login }] });
      const assignment = new AppUser(this, key, { appId, userId: user.id, username: login, ...dependsOn });
      if (props.moveFromPositionalIds) assignment.moveFromId(`okta_app_user.${logicalIdOf([...idsBelowStack(this), `assignment-${i}`])}`);
      userAssignments[key] = assignment;
    });
  }
}
