/**
 * The GitHub workflows, checked offline: valid YAML, triggers, job graph, least-privilege permissions,
 * every action pinned to a commit, every secret documented, cdktf's checkpoint call disabled, and the
 * review comment found by the same marker the review prints.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { buildApp } from '../../main';
import { readStacks } from '../../scripts/lib/synth';
import { COMMENT_MARKER } from '../../scripts/review/report';
import { OKTA_PLAN_SCOPES } from '../../stacks/okta-stack';

const ROOT = resolve(__dirname, '../..');
const DIR = join(ROOT, '.github/workflows');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const SCRIPTS = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts);

const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f));
const workflows: Record<string, any> = Object.fromEntries(files.map((f) => [f, parse(readFileSync(join(DIR, f), 'utf8'), { uniqueKeys: true, strict: true })]));
const text = (f: string) => readFileSync(join(DIR, f), 'utf8');
const steps = (wf: any) => Object.values<any>(wf.jobs).flatMap((j) => j.steps ?? []);
const WRITE_SCOPES = new Set(['pull-requests']);

it('has the pull-request and deploy workflows', () => {
  expect(files.sort()).toEqual(['deploy.yml', 'pull-request.yml']);
});

it.each(files)('%s: a job graph that holds together', (file) => {
  const wf = workflows[file];
  expect(typeof wf.name).toBe('string');
  for (const [id, job] of Object.entries<any>(wf.jobs)) {
    expect([id, typeof job['runs-on']]).toEqual([id, 'string']);
    expect([id, Array.isArray(job.steps) && job.steps.length > 0]).toEqual([id, true]);
    for (const need of [job.needs ?? []].flat()) expect([id, need, need in wf.jobs]).toEqual([id, need, true]);
    // needs.X.outputs.Y: X is a need of this job and declares Y.
    for (const [, need, output] of JSON.stringify(job).matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      expect([id, need, [job.needs ?? []].flat().includes(need)]).toEqual([id, need, true]);
      expect([id, `${need}.${output}`, output! in (wf.jobs[need!].outputs ?? {})]).toEqual([id, `${need}.${output}`, true]);
    }
    const stepIds = new Set((job.steps as any[]).map((s) => s.id).filter(Boolean));
    for (const [, step] of JSON.stringify(job).matchAll(/steps\.([\w-]+)\.outputs/g)) expect([id, step, stepIds.has(step)]).toEqual([id, step, true]);
    for (const s of job.steps as any[]) expect([id, typeof s.uses === 'string' || typeof s.run === 'string']).toEqual([id, true]);
  }
});

it.each(files)('%s: least privilege: nothing by default, each job its own, write only to comment', (file) => {
  const wf = workflows[file];
  expect(wf.permissions).toEqual({});
  for (const [id, job] of Object.entries<any>(wf.jobs)) {
    expect([id, typeof job.permissions]).toEqual([id, 'object']);
    for (const [scope, level] of Object.entries(job.permissions)) {
      expect([id, scope, level === 'read' || (level === 'write' && WRITE_SCOPES.has(scope))]).toEqual([id, scope, true]);
    }
  }
  expect(text(file)).not.toMatch(/pull_request_target|write-all/);
});

it.each(files)('%s: every action pinned to a full commit SHA', (file) => {
  const uses = steps(workflows[file]).map((s) => s.uses).filter(Boolean);
  expect(uses.length).toBeGreaterThan(0);
  for (const u of uses) expect(u).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/);
});

it.each(files)('%s: every secret it reads is documented in the README', (file) => {
  const names = [
    ...[...text(file).matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]!),
    ...[...text(file).matchAll(/secrets\[format\('([A-Z0-9_]+)\{0\}'/g)].map((m) => `${m[1]}<ENV>`),
  ].filter((n) => n !== 'GITHUB_TOKEN');
  expect(names.length).toBeGreaterThan(0);
  for (const name of new Set(names)) expect([name, README.includes(`\`${name}\``)]).toEqual([name, true]);
});

it.each(files)('%s: cdktf runs without its checkpoint call; npm scripts exist', (file) => {
  expect(workflows[file].env.CHECKPOINT_DISABLE).toBe('1');
  for (const s of steps(workflows[file]).filter((s) => s.run)) {
    for (const [, script] of (s.run as string).matchAll(/npm run (?:--silent )?([\w:-]+)/g)) expect(SCRIPTS).toContain(script);
  }
});

it('package scripts that call the cdktf CLI disable its checkpoint call', () => {
  const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
  for (const [name, command] of Object.entries(scripts)) if (/\bcdktf (synth|diff|plan|deploy|destroy)\b/.test(command)) expect([name, command]).toEqual([name, expect.stringContaining('CHECKPOINT_DISABLE=1')]);
});

it('pull requests: CI on Node 20 and 22, the review, plans of changed okta stacks, one comment updated in place', () => {
  const wf = workflows['pull-request.yml'];
  expect(Object.keys(wf.on)).toEqual(['pull_request']);
  expect(wf.jobs.check.strategy.matrix.node).toEqual(['20', '22']);
  expect(wf.jobs.check.steps.map((s: any) => s.run).filter(Boolean)).toContain('.ci/run');
  expect(wf.jobs.review.steps[0].with['fetch-depth']).toBe(0);
  expect(wf.jobs.review.steps.find((s: any) => s.id === 'review').run).toContain('npm run --silent review -- --base "origin/$BASE_REF" --json review.json');
  expect(wf.jobs.plan.needs).toBe('review');
  expect(wf.jobs.plan.strategy.matrix.include).toBe('${{ fromJSON(needs.review.outputs.plan-stacks) }}');
  // Changed scim-token and okta stacks are planned; receiver stacks need cluster credentials (README).
  expect(wf.jobs.review.steps.find((s: any) => s.id === 'review').run).toContain('/^(okta|scim-token)-/.test(s.stack)');
  // Plans request only the read scopes.
  expect(JSON.parse(wf.jobs.plan.env.OKTA_PLAN_SCOPES)).toEqual([...OKTA_PLAN_SCOPES]);
  expect(wf.jobs.plan.steps.find((s: any) => s.name === 'cdktf plan').run).toContain('npx cdktf plan "$STACK"');
  expect(wf.jobs.comment.needs).toEqual(['review', 'plan']);
  expect(wf.jobs.comment.if).toMatch(/^always\(\) && needs\.review\.result == 'success'/);
  expect(wf.jobs.comment.permissions).toEqual({ 'pull-requests': 'write' });
  const script = wf.jobs.comment.steps.find((s: any) => String(s.uses).startsWith('actions/github-script@')).with.script as string;
  expect(script).toContain(`const marker = '${COMMENT_MARKER}';`);
  expect(script).toContain('github.rest.issues.updateComment');
  // Untrusted values reach shell steps through env, never spliced into the script.
  for (const s of steps(wf).filter((s: any) => s.run)) expect(s.run).not.toMatch(/\$\{\{\s*github\.(base_ref|head_ref|event)/);
});

it('main: CI, then each environment with remote state deployed behind its environment approval', () => {
  const wf = workflows['deploy.yml'];
  expect(wf.on.push.branches).toEqual(['main']);
  expect(wf.jobs.environments.needs).toBe('check');
  expect(wf.jobs.deploy.needs).toBe('environments');
  expect(wf.jobs.deploy.environment).toBe('${{ matrix.environment }}');
  expect(wf.jobs.deploy.strategy['max-parallel']).toBe(1);
  const run = wf.jobs.deploy.steps.at(-1).run as string;
  expect(run).toContain('for stack in $STACKS; do');
  expect(run).toContain('npx cdktf deploy "$stack" --auto-approve --ignore-missing-stack-dependencies');
  // The deploy order: the token, then the receiver that accepts it, then Okta that is given it.
  expect(wf.jobs.environments.steps.at(-1).run).toContain('[`scim-token-${env}`, `receiver-${env}`, `okta-${env}`]');
});

describe('Terraform variables: what the workflows set is what the stacks declare', () => {
  let declared: Record<string, Record<string, { sensitive?: boolean; default?: unknown }>>;
  beforeAll(() => {
    const outdir = mkdtempSync(join(tmpdir(), 'workflow-vars-'));
    buildApp(outdir).synth();
    declared = Object.fromEntries(Object.entries<any>(readStacks(outdir)).map(([name, stack]) => [name, stack.variable ?? {}]));
    rmSync(outdir, { recursive: true, force: true });
  });
  /** `TF_VAR_name` literally, or `TF_VAR_prefix_${SUFFIX}`: a per-environment variable. */
  const setBy = (file: string) => {
    // Comments left out: they name the variables in prose (TF_VAR_okta_api_token_<env>).
    const code = text(file)
      .split('\n')
      .filter((line) => !line.trim().startsWith('#'))
      .join('\n');
    const names = [...code.matchAll(/TF_VAR_([a-z0-9_]*[a-z0-9])(_\$\{SUFFIX\})?/g)].map((m) => ({ name: m[1]!, perEnvironment: m[2] !== undefined }));
    return [...new Map(names.map((n) => [`${n.name}${n.perEnvironment}`, n])).values()];
  };
  const suffixOf = (stack: string) => stack.replace(/^(okta|receiver|scim-token)-/, '').replace(/-/g, '_');

  it.each(files)('%s: every TF_VAR_ it sets is a variable that a synthesized stack declares', (file) => {
    const set = setBy(file);
    expect(set.length).toBeGreaterThan(0);
    for (const v of set) {
      const declaredBy = Object.entries(declared).filter(([stack, vars]) => (v.perEnvironment ? `${v.name}_${suffixOf(stack)}` : v.name) in vars);
      expect([v.name, v.perEnvironment, declaredBy.length > 0]).toEqual([v.name, v.perEnvironment, true]);
    }
  });

  it('deploys set every variable a stack requires (sensitive, no default), for every environment', () => {
    const set = setBy('deploy.yml');
    for (const [stack, vars] of Object.entries(declared)) {
      for (const [name, v] of Object.entries(vars)) {
        if (v.default !== undefined) continue;
        const covered = set.some((s) => (s.perEnvironment ? `${s.name}_${suffixOf(stack)}` === name : s.name === name));
        expect([stack, name, covered]).toEqual([stack, name, true]);
      }
    }
  });

  it('plans set the Okta credentials of every okta stack (read-only), and the private-key plan its read scopes', () => {
    const set = setBy('pull-request.yml');
    for (const [stack, vars] of Object.entries(declared).filter(([s]) => s.startsWith('okta-'))) {
      const credentials = Object.keys(vars).filter((n) => n.startsWith('okta_'));
      expect(credentials.length).toBeGreaterThan(0);
      for (const name of credentials) expect([stack, name, set.some((s) => s.perEnvironment && `${s.name}_${suffixOf(stack)}` === name)]).toEqual([stack, name, true]);
    }
  });
});
