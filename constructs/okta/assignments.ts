import { Construct } from '../framework';
import { Problems } from '../validation';
import { AppGroupAssignments, AppUser, DataOktaUser } from './bindings';

export interface AssignmentsProps {
  readonly appId: string;
  /** Group ids, in priority order. @default [] */
  readonly groupIds?: readonly string[];
  /** Okta logins of people assigned directly. @default [] */
  readonly people?: readonly string[];
}

/** Who the app is assigned to: groups (one okta_app_group_assignments, as the provider requires) and people. */
export class Assignments extends Construct {
  readonly groupAssignments?: AppGroupAssignments;
  readonly userAssignments: readonly AppUser[];

  constructor(scope: Construct, id: string, props: AssignmentsProps) {
    super(scope, id);
    const people = props.people ?? [];
    const problems = new Problems('Assignments');
    const seen = new Set<string>();
    people.forEach((login, i) => {
      problems.check(/^[^@\s]+@[^@\s]+$/.test(login), `people[${i}]: expected an Okta login (an e-mail address)`);
      problems.check(!seen.has(login.toLowerCase()), `people[${i}]: duplicate "${login}"`);
      seen.add(login.toLowerCase());
    });
    problems.throwIfAny();

    const groupIds = props.groupIds ?? [];
    if (groupIds.length > 0) {
      this.groupAssignments = new AppGroupAssignments(this, 'Groups', {
        appId: props.appId,
        group: groupIds.map((groupId, priority) => ({ id: groupId, priority })),
      });
    }
    this.userAssignments = people.map((login, i) => {
      const user = new DataOktaUser(this, `person-${i}`, { search: [{ name: 'profile.login', value: login }] });
      return new AppUser(this, `assignment-${i}`, { appId: props.appId, userId: user.id, username: login });
    });
  }
}
