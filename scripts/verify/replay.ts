/**
 * The declared integration replayed as Okta's traffic against a running receiver, step by step, with
 * throw-away users and groups under a marked prefix that are removed at the end (also after a failure).
 * `npm run verify` prints these steps; test/e2e runs them against real receivers.
 */
import { randomBytes } from 'node:crypto';
import type { OktaStackJson, OktaUserProfile, ScimBody, ScimCall, SchemaProperty } from './okta-simulator';
import { OktaSimulator } from './okta-simulator';

export type StepOutcome = 'passed' | 'failed' | 'skipped';

export interface Step {
  readonly outcome: StepOutcome;
  readonly title: string;
  readonly detail: string;
}

export interface ReplayOptions {
  /** Marks every object the replay creates. @default okta-scim-kit-verify-<random> */
  readonly prefix?: string;
  /** The same receiver with a wrong token: the connection test must fail with it (Okta QA C9340). */
  readonly wrongTokenCall?: ScimCall;
  /** Upper bound of import pages (100 users each) read. @default 100 */
  readonly maxImportPages?: number;
  /** Called for every finished step, as it happens. */
  readonly onStep?: (step: Step) => void;
}

export const VERIFY_PREFIX = 'okta-scim-kit-verify';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

const filterQuery = (attribute: string, value: string) => `filter=${encodeURIComponent(`${attribute} eq "${value}"`)}&startIndex=1&count=100`;

/** A value of the attribute's declared type; `round` makes each pass send a different one. */
function sampleValue(property: SchemaProperty, round: number): string | number | boolean {
  switch (property.type) {
    case 'integer':
      return 40 + round;
    case 'number':
      return 4.5 + round;
    case 'boolean':
      return round % 2 === 1;
    default:
      return `verify-${property.index}-${round}`;
  }
}

function readBack(user: ScimBody, property: SchemaProperty): unknown {
  return user?.[property.external_namespace]?.[property.external_name];
}

class Recorder {
  readonly steps: Step[] = [];
  constructor(private readonly onStep?: (step: Step) => void) {}

  record(outcome: StepOutcome, title: string, detail: string): boolean {
    const step = { outcome, title, detail };
    this.steps.push(step);
    this.onStep?.(step);
    return outcome !== 'failed';
  }

  check(ok: boolean, title: string, passed: string, failed: string): boolean {
    return this.record(ok ? 'passed' : 'failed', title, ok ? passed : failed);
  }

  /** Runs a step; an exception (an unexpected status) fails it with its message. */
  async run<T>(title: string, body: () => Promise<T>): Promise<T | undefined> {
    try {
      return await body();
    } catch (error) {
      // fetch reports network failures (refused, DNS, TLS) in `cause`.
      const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
      this.record('failed', title, `${error instanceof Error ? error.message : String(error)}${cause}`);
      return undefined;
    }
  }
}

export async function replayIntegration(stack: OktaStackJson, call: ScimCall, options: ReplayOptions = {}): Promise<Step[]> {
  const prefix = options.prefix ?? `${VERIFY_PREFIX}-${randomBytes(3).toString('hex')}`;
  const steps = new Recorder(options.onStep);
  const okta = new OktaSimulator(stack, call);
  const properties = okta.properties;
  const users = new Map<string, string>(); // login → SCIM id
  const groups = new Map<string, string>(); // display name → SCIM id

  const person = (n: number, round: number): OktaUserProfile => {
    const profile: Record<string, string | number | boolean> = {
      login: `${prefix}-${n}@verify.okta-scim-kit.invalid`,
      firstName: 'Verify',
      lastName: `Person ${n}`,
      email: `${prefix}-${n}@verify.okta-scim-kit.invalid`,
    };
    for (const p of properties) profile[okta.sourceOf(p)] = sampleValue(p, round);
    return profile as OktaUserProfile;
  };

  /** Every declared attribute read back where Okta put it; one step per attribute. */
  const checkAttributes = (title: string, user: ScimBody, round: number) => {
    for (const p of properties) {
      const expected = sampleValue(p, round);
      const got = readBack(user, p);
      steps.check(
        got === expected,
        `${title}: ${p.external_name}`,
        `${JSON.stringify(expected)} under ${p.external_namespace}`,
        got === undefined
          ? `sent ${JSON.stringify(expected)} under ${p.external_namespace}, not returned: the receiver does not declare ${p.external_name} there (npm run drift shows where)`
          : `sent ${JSON.stringify(expected)} under ${p.external_namespace}, got ${JSON.stringify(got)}`,
      );
    }
  };

  try {
    // 1. Connection test (docs/okta-scim-behavior.md §3).
    await steps.run('connection test', async () => {
      const r = await call('GET', '/Users?startIndex=1&count=2');
      const ok = r.status === 200 && Array.isArray(r.body?.schemas) && r.body.schemas.includes(LIST) && Number.isInteger(r.body.totalResults) && Array.isArray(r.body.Resources);
      steps.check(ok, 'connection test', `GET /Users?startIndex=1&count=2 answers a ListResponse (totalResults ${r.body?.totalResults})`, `GET /Users?startIndex=1&count=2 answered ${r.status}, not a complete ListResponse`);
      if (options.wrongTokenCall) {
        const denied = await options.wrongTokenCall('GET', '/Users?startIndex=1&count=2');
        steps.check(denied.status === 401, 'connection test with a wrong token', 'refused with 401', `answered ${denied.status}: a wrong token must fail Okta's "Test API Credentials"`);
      }
    });

    // Without a working connection Okta would stop here too.
    if (steps.steps.some((s) => s.outcome === 'failed')) return steps.steps;

    // 2. Assignment: lookup, then create with every declared attribute (docs/okta-scim-behavior.md §4, §9).
    const first = person(1, 1);
    await steps.run('lookup before create', async () => {
      const r = await call('GET', `/Users?${filterQuery('userName', first.login)}`);
      steps.check(r.status === 200 && r.body?.totalResults === 0, 'lookup before create', `userName eq "${first.login}": not found`, `answered ${r.status} with totalResults ${r.body?.totalResults}`);
    });
    const id = await steps.run('create', async () => {
      const created = await call('POST', '/Users', okta.scimUser(first));
      if (created.status !== 201) throw new Error(`POST /Users answered ${created.status}: ${JSON.stringify(created.body)}`);
      users.set(first.login, created.body.id);
      steps.record('passed', 'create', `POST /Users → 201 with ${properties.length} declared attribute(s)`);
      return created.body.id as string;
    });
    if (id) {
      const read = await call('GET', `/Users/${id}`);
      if (properties.length === 0) steps.record('skipped', 'declared attributes', 'the okta stack declares no app-user attributes (provisioning.confirmed is false, or none are configured)');
      checkAttributes('create', read.body, 1);
      await steps.run('lookup after create', async () => {
        const r = await call('GET', `/Users?${filterQuery('userName', first.login.toUpperCase())}`);
        steps.check(r.body?.totalResults === 1 && r.body.Resources?.[0]?.id === id, 'lookup after create', 'found case-insensitively, same id', `userName eq (upper case) found ${r.body?.totalResults}`);
      });

      // 3. Profile update: GET, then PUT of the whole user (docs/okta-scim-behavior.md §6).
      await steps.run('update', async () => {
        const updated = await okta.update(id, person(1, 2));
        steps.record('passed', 'update', 'GET then PUT /Users/{id} → 200');
        checkAttributes('update', updated, 2);
      });

      // 4. Deactivate and reactivate (docs/okta-scim-behavior.md §7–§8).
      await steps.run('deactivate', async () => {
        const off = await okta.setActive(id, false);
        const found = await call('GET', `/Users?${filterQuery('userName', first.login)}`);
        steps.check(off.active === false && found.body?.Resources?.[0]?.active === false, 'deactivate', 'PATCH active=false; the user stays findable, inactive', `active is ${off.active}`);
      });
      await steps.run('reactivate', async () => {
        const on = await okta.setActive(id, true);
        steps.check(on.active === true && on.id === id, 'reactivate', 'PATCH active=true; same id', `active is ${on.active}, id ${on.id}`);
      });
    }

    // A second person, for group membership and import paging.
    const second = person(2, 1);
    const secondId = await steps.run('create a second person', async () => {
      const created = await call('POST', '/Users', okta.scimUser(second));
      if (created.status !== 201) throw new Error(`POST /Users answered ${created.status}`);
      users.set(second.login, created.body.id);
      return created.body.id as string;
    });

    // 5. Group push: create, members, rename, member removal (docs/okta-scim-behavior.md §11), one throw-away group per declared push.
    if (okta.pushedGroups.length === 0) {
      steps.record('skipped', 'group push', 'the okta stack declares no group push (provisioning.confirmed is false, or none are configured)');
    }
    for (const target of okta.pushedGroups) {
      const name = `${prefix} ${target}`;
      const members = [id, secondId].filter((m): m is string => m !== undefined);
      await steps.run(`group push "${target}"`, async () => {
        const groupId = await okta.pushGroup(name, members);
        groups.set(name, groupId);
        const group = (await call('GET', `/Groups/${groupId}`)).body;
        const memberIds = ((group?.members ?? []) as { value: string }[]).map((m) => m.value).sort();
        steps.check(JSON.stringify(memberIds) === JSON.stringify([...members].sort()), `group push "${target}": create and members`, `"${name}" created with ${members.length} member(s)`, `members are ${JSON.stringify(memberIds)}`);
        const renamed = await okta.renameGroup(groupId, `${name} (renamed)`);
        groups.delete(name);
        groups.set(`${name} (renamed)`, groupId);
        const found = await call('GET', `/Groups?${filterQuery('displayName', `${name} (renamed)`)}`);
        steps.check(renamed.displayName === `${name} (renamed)` && found.body?.totalResults === 1, `group push "${target}": rename`, 'PATCH replace displayName; found under the new name', `displayName is ${JSON.stringify(renamed.displayName)}`);
        if (members[0]) {
          const after = await okta.removeMember(groupId, members[0]);
          const left = ((after?.members ?? []) as { value: string }[]).map((m) => m.value);
          steps.check(!left.includes(members[0]), `group push "${target}": member removal`, `PATCH remove members[value eq "…"]`, 'the member is still there');
        }
      });
    }

    // 6. Import: pages of 100 while the running total is below totalResults (docs/okta-scim-behavior.md §10).
    await steps.run('import paging', async () => {
      const maxPages = options.maxImportPages ?? 100;
      const seen = new Set<string>();
      let total = 0;
      let pages = 0;
      let problem: string | undefined;
      for (let start = 1; pages < maxPages; start += 100) {
        const r = await call('GET', `/Users?startIndex=${start}&count=100`);
        pages++;
        if (r.status !== 200 || !Number.isInteger(r.body?.totalResults) || !Number.isInteger(r.body?.itemsPerPage) || !Array.isArray(r.body?.Resources)) {
          problem = `page at startIndex=${start} answered ${r.status} without integer totalResults/itemsPerPage and Resources`;
          break;
        }
        total = r.body.totalResults;
        for (const u of r.body.Resources as { id: string }[]) {
          if (seen.has(u.id)) problem = `user ${u.id} appears twice (unstable order)`;
          seen.add(u.id);
        }
        if (r.body.Resources.length === 0 || seen.size >= total) break;
      }
      const complete = seen.size >= total;
      const ours = [...users.values()].every((u) => seen.has(u));
      if (!problem && complete && !ours) problem = 'the throw-away users are missing from the import';
      steps.check(!problem, 'import paging', complete ? `${pages} page(s), ${seen.size} user(s), stable order` : `first ${pages} page(s) consistent (${seen.size} of ${total} users read)`, problem ?? '');
    });
  } finally {
    // 7. Clean-up: Okta never deletes users; the replay removes what it created.
    if (users.size === 0 && groups.size === 0) steps.record('skipped', 'cleanup', 'nothing was created');
    else await steps.run('cleanup', async () => {
      const failures: string[] = [];
      for (const [name, groupId] of groups) {
        const r = await call('DELETE', `/Groups/${groupId}`);
        if (r.status !== 204 && r.status !== 404) failures.push(`group "${name}": ${r.status}`);
      }
      for (const [login, userId] of users) {
        const r = await call('DELETE', `/Users/${userId}`);
        if (r.status !== 204 && r.status !== 404) failures.push(`user ${login}: ${r.status}`);
      }
      const left = await call('GET', `/Users?filter=${encodeURIComponent(`userName sw "${prefix}"`)}&startIndex=1&count=100`);
      if (left.body?.totalResults) failures.push(`${left.body.totalResults} user(s) under ${prefix} remain`);
      steps.check(failures.length === 0, 'cleanup', `removed ${users.size} user(s) and ${groups.size} group(s) under ${prefix}`, failures.join('; '));
    });
  }
  return steps.steps;
}

export const SYMBOL: Record<StepOutcome, string> = { passed: '✓', failed: '✗', skipped: '–' };

export function stepLine(step: Step): string {
  return `${SYMBOL[step.outcome]} ${step.title}: ${step.detail}`;
}
