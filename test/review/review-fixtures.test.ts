/**
 * `npm run review` on fixture changes in a real temporary git repository: each fixture is a worktree
 * of one base commit with one change; the base's synthesis is shared through REVIEW_CACHE_DIR.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runReview } from '../../scripts/review/main';
import { FixtureRepo, addEnvironment, edit } from './support/fixture-repo';

jest.setTimeout(120_000);

let repo: FixtureRepo;
let cache: string;

beforeAll(() => {
  // The base: the project as it is, with two people assigned directly in staging (to reorder them).
  repo = FixtureRepo.create((r) =>
    edit(r.dir, 'config/environments/staging.ts', "people: ['qa.robot@acme.example']", "people: ['qa.robot@acme.example', 'ada.lovelace@acme.example']"),
  );
  cache = mkdtempSync(join(tmpdir(), 'review-cache-'));
});

afterAll(() => {
  repo.remove();
  rmSync(cache, { recursive: true, force: true });
});

interface Outcome {
  code: number;
  markdown: string;
  stderr: string;
  json: any;
  stack: (name: string) => any;
  lines: (name: string) => string[];
}

async function review(change: (dir: string) => void): Promise<Outcome> {
  const dir = repo.worktree();
  change(dir);
  let markdown = '';
  let stderr = '';
  const jsonFile = join(dir, 'review.json');
  const code = await runReview(['--json', jsonFile], { cwd: dir, env: { ...process.env, REVIEW_CACHE_DIR: cache }, stdout: (t) => (markdown += t), stderr: (t) => (stderr += t) });
  if (code === 2) throw new Error(stderr);
  const json = JSON.parse(readFileSync(jsonFile, 'utf8'));
  const stack = (name: string) => json.stacks.find((s: any) => s.stack === name);
  return { code, markdown, stderr, json, stack, lines: (name) => stack(name).consequences.map((c: any) => c.text) };
}

const changedStacks = (o: Outcome) => o.json.stacks.filter((s: any) => s.status !== 'unchanged').map((s: any) => s.stack);

it('adding an environment: three new stacks (token, receiver, okta), nothing else changes, safe', async () => {
  const o = await review((dir) => addEnvironment(dir, 'qa'));
  expect(changedStacks(o)).toEqual(['okta-qa', 'receiver-qa', 'scim-token-qa']);
  expect(o.stack('scim-token-qa').summary).toBe('scim-token-qa (new stack): 2 added, 2 output(s) changed');
  expect(o.stack('okta-qa').summary).toMatch(/^okta-qa \(new stack\): \d+ added, \d+ output\(s\) changed$/);
  expect(o.stack('receiver-qa').summary).toBe('receiver-qa (new stack): 4 added, 2 output(s) changed');
  expect(o.lines('scim-token-qa')).toEqual([
    expect.stringMatching(/^The receiver gets its first SCIM token \(random_password\.ScimToken_token-a_\w+ \(slot token-a\) and random_password\.ScimToken_token-b_\w+ \(slot token-b\)\), handed to Okta by reference\.$/),
  ]);
  // A copy of dev: console mode, provisioning not yet confirmed, so its assignments wait (nobody gets the app yet).
  expect(o.lines('okta-qa').filter((l) => /gets the app|get the app/.test(l))).toEqual([]);
  expect(o.markdown).toContain('**✅ Safe**');
  expect(o.code).toBe(0);
});

it('removing a group push: the downstream group stays, no longer updated; review needed', async () => {
  const o = await review((dir) => edit(dir, 'config/environments/prod.ts', ", { group: 'device-admins', targetName: 'Device Admins' }", ''));
  expect(changedStacks(o)).toEqual(['okta-prod']);
  expect(o.stack('okta-prod').summary).toBe('okta-prod: 1 destroyed');
  expect(o.lines('okta-prod')).toEqual(['Group push "Device Admins" is removed: the group "Device Admins" stays in the application, but Okta no longer updates its name or members.']);
  expect(o.markdown).toContain('- ⚠️ Group push "Device Admins" is removed');
  expect(o.code).toBe(1);
});

it('reordering people: nobody gains or loses the app', async () => {
  const o = await review((dir) =>
    edit(dir, 'config/environments/staging.ts', "people: ['qa.robot@acme.example', 'ada.lovelace@acme.example']", "people: ['ada.lovelace@acme.example', 'qa.robot@acme.example']"),
  );
  // Addresses come from logins, not list positions: a reorder changes nothing at all.
  expect(o.stack('okta-staging').status).toBe('unchanged');
  expect(changedStacks(o)).toEqual([]);
  expect(o.markdown).toContain('**No changes** in any stack.');
  expect(o.code).toBe(0);
});

it("changing an attribute's type: the attribute is replaced and its values deleted", async () => {
  // The Okta user attribute stays an integer: the mapping converts it (config refuses an unconverted one).
  const o = await review((dir) =>
    edit(
      dir,
      'config/environments/staging.ts',
      "{ name: 'badgeNumber', displayName: 'Badge number', type: 'integer', source: 'user.badgeNumber' }",
      "{ name: 'badgeNumber', displayName: 'Badge number', type: 'string', source: 'String.toString(user.badgeNumber)' }",
    ),
  );
  expect(changedStacks(o)).toEqual(['okta-staging']);
  expect(o.stack('okta-staging').summary).toBe('okta-staging: 1 changed, 1 replaced');
  expect(o.lines('okta-staging')).toContain(
    'App-user attribute "badgeNumber" is replaced (type: "integer" → "string"): its values are deleted on every app user, and re-creating the same name can fail for a while (provider issue #1974).',
  );
  // Protected by default: the plan stops until the protection is lifted for this change.
  expect(o.lines('okta-staging')).toEqual(expect.arrayContaining([expect.stringMatching(/^okta_app_user_schema_property\.Attributes_badgeNumber_\w+ has lifecycle\.prevent_destroy: the plan stops/)]));
  expect(o.lines('okta-staging')).toContain('"badgeNumber" is mapped from String.toString(user.badgeNumber) instead of user.badgeNumber: Okta pushes the new values on the next profile update.');
  expect(o.code).toBe(1);
});

it('changing the extension URN: attributes re-created in Okta, the receiver follows', async () => {
  const o = await review((dir) => edit(dir, 'config/environments/prod.ts', 'extension:acme:2.0:User', 'extension:acme-corp:2.0:User'));
  expect(changedStacks(o)).toEqual(['okta-prod', 'receiver-prod']);
  expect(o.stack('okta-prod').summary).toBe('okta-prod: 2 replaced');
  const okta = o.lines('okta-prod');
  expect(okta).toContain(
    `The custom attributes' extension URN changes from urn:ietf:params:scim:schemas:extension:acme:2.0:User to urn:ietf:params:scim:schemas:extension:acme-corp:2.0:User: "badgeNumber" and "costBand" are re-created in Okta (values deleted) and Okta sends them under the new URN; the receiver's SCIM_EXTENSION_URN must be the new one too, or their values are dropped as undeclared.`,
  );
  expect(okta.filter((l) => l.startsWith('App-user attribute')).length).toBe(2);
  expect(o.lines('receiver-prod')).toContain(
    "The receiver's extension URN changes from urn:ietf:params:scim:schemas:extension:acme:2.0:User to urn:ietf:params:scim:schemas:extension:acme-corp:2.0:User: custom attributes are published and accepted under the new URN; values Okta sends under the old one are dropped as undeclared.",
  );
  expect(o.code).toBe(1);
});

it('rotating the token: only the slot Okta does not hold is regenerated, the held token stays accepted, Okta must get the new one', async () => {
  const o = await review((dir) => edit(dir, 'config/environments/dev.ts', "publicUrl: 'https://scim.dev.acme.example',", "publicUrl: 'https://scim.dev.acme.example', token: { generation: 2 },"));
  expect(changedStacks(o)).toEqual(['okta-dev', 'receiver-dev', 'scim-token-dev']);
  expect(o.stack('scim-token-dev').summary).toBe('scim-token-dev: 1 replaced, 1 output(s) changed');
  expect(o.lines('scim-token-dev')).toEqual([
    expect.stringMatching(
      /^SCIM token rotation: 1 new token value\(s\) generated \(random_password\.ScimToken_token-b_\w+ \(slot token-b\)\)\. random_password\.ScimToken_token-a_\w+ \(slot token-a\), the token Okta holds, keeps its value and stays accepted by the receiver: Okta keeps working until it is given the new token\. Apply scim-token-dev → receiver-dev → okta-dev in this order\.$/,
    ),
  ]);
  // The receiver rolls (new hashes, new rollout checksum); its data volume stays.
  expect(o.lines('receiver-dev')).toEqual([expect.stringMatching(/^The receiver container "okta-scim-receiver-dev" is re-created .*its data volume stays\.$/)]);
  expect(o.lines('okta-dev')).toEqual(expect.arrayContaining([expect.stringMatching(/^The SCIM token handed to Okta changes \(output \S*scim_token\S*\): in console mode, paste the new value/)]));
  // The token itself never appears, only references to it.
  expect(o.markdown).not.toMatch(/[A-Za-z0-9]{48}/);
  expect(o.code).toBe(1);
});

it("removing a group assignment: the group's members lose the app", async () => {
  const o = await review((dir) => {
    edit(dir, 'config/environments/prod.ts', "groups: ['engineering', 'sales', 'device-admins']", "groups: ['engineering', 'device-admins']");
    edit(dir, 'config/environments/prod.ts', "{ group: 'sales' }, ", '');
  });
  expect(changedStacks(o)).toEqual(['okta-prod']);
  const lines = o.lines('okta-prod');
  expect(lines).toContain('Members of "Sales" lose the app: the receiver gets deactivate requests for them (PATCH active=false), unless they are also assigned directly or through another group.');
  expect(lines.filter((l) => /lose the app/.test(l))).toHaveLength(1);
  expect(o.markdown).toContain('**⚠️ Review needed**');
  expect(o.code).toBe(1);
});

it('exits 2 with a message on a base that does not exist (the command as npm runs it) or a config that does not validate', async () => {
  const dir = repo.worktree();
  const run = (args: string[]) =>
    promisify(execFile)('npm', ['run', '--silent', 'review', '--', ...args], { cwd: dir, env: { ...process.env, REVIEW_CACHE_DIR: cache } }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  const missing = await run(['--base', 'no-such-ref']);
  expect(missing).toEqual({ code: 2, stdout: '', stderr: '--base no-such-ref: not a commit in this repository\n' });

  edit(dir, 'config/environments/prod.ts', "groups: ['engineering', 'sales', 'device-admins']", "groups: ['engineering', 'device-admins']");
  let stderr = '';
  const invalid = await runReview(['--format', 'json'], { cwd: dir, env: { ...process.env, REVIEW_CACHE_DIR: cache }, stdout: () => undefined, stderr: (t) => (stderr += t) });
  expect(invalid).toBe(2);
  expect(stderr).toContain('config/environments/prod.ts: groupPush[1].group: "sales" is pushed but not assigned to the app');
});
