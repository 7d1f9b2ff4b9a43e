/**
 * npm run review -- [--base REF] [--format markdown|json] [--json FILE]
 *
 * Synthesizes the working tree and a base commit (default: the merge base with origin/main), compares
 * every stack resource by resource and says, in plain words, what the change does to people, groups,
 * attribute values and the receiver's data. Exit code: 0 safe, 1 review needed, 2 error.
 * REVIEW_CACHE_DIR: keep the base's synthesis there, by commit (a commit's tree never changes).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError, failed } from '../lib/cli';
import { readStacks, synthesize } from '../lib/synth';
import { consequencesOf } from './consequences';
import { addWorktree, removeWorktree, repositoryRoot, resolveBase } from './git';
import { planStacks } from './plan';
import type { Review } from './report';
import { reviewNeeded, toJson, toMarkdown } from './report';
import type { StackJson } from './stack-json';

export interface Io {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

async function synthesizeBase(root: string, commit: string, tmp: string, cacheDir: string | undefined): Promise<Record<string, StackJson>> {
  const lock = existsSync(join(root, 'package-lock.json')) ? readFileSync(join(root, 'package-lock.json')) : '';
  const key = `${commit}-${createHash('sha256').update(lock).digest('hex').slice(0, 12)}`;
  const cached = cacheDir ? join(cacheDir, key) : undefined;
  if (cached && existsSync(join(cached, 'stacks.json'))) return JSON.parse(readFileSync(join(cached, 'stacks.json'), 'utf8')) as Record<string, StackJson>;

  const tree = join(tmp, 'base-tree');
  addWorktree(root, commit, tree);
  try {
    // A base from before the IaC existed has nothing to synthesize: every stack is new.
    if (!existsSync(join(tree, 'cdktf.json'))) return {};
    await synthesize(tree, join(tmp, 'base-out'));
    const stacks = readStacks(join(tmp, 'base-out'), tree);
    if (cached && cacheDir) {
      const staging = mkdtempSync(join(cacheDir, '.staging-'));
      writeFileSync(join(staging, 'stacks.json'), JSON.stringify(stacks));
      try {
        renameSync(staging, cached);
      } catch {
        rmSync(staging, { recursive: true, force: true }); // another run cached it first
      }
    }
    return stacks;
  } finally {
    removeWorktree(root, tree);
  }
}

export async function runReview(argv: readonly string[], io: Io): Promise<number> {
  let tmp: string | undefined;
  try {
    const { values } = parseArgs({
      args: [...argv],
      options: { base: { type: 'string' }, format: { type: 'string', default: 'markdown' }, json: { type: 'string' } },
      strict: true,
    });
    if (values.format !== 'markdown' && values.format !== 'json') throw new UsageError(`--format ${values.format}: expected markdown or json`);
    const root = repositoryRoot(io.cwd);
    const base = resolveBase(root, values.base);
    tmp = mkdtempSync(join(tmpdir(), 'okta-scim-review-'));
    const cacheDir = io.env.REVIEW_CACHE_DIR;
    const headOut = join(tmp, 'head-out');
    const before = await synthesizeBase(root, base.commit, tmp, cacheDir);
    await synthesize(root, headOut);
    const after = readStacks(headOut, root);

    const plans = planStacks(before, after);
    const review: Review = {
      base: `${base.label} (${base.commit.slice(0, 7)})`,
      head: 'working tree',
      stacks: plans.map((plan) => ({ plan, consequences: consequencesOf(plan, plans) })),
    };
    io.stdout(values.format === 'json' ? toJson(review) : toMarkdown(review));
    if (values.json) writeFileSync(values.json, toJson(review));
    return reviewNeeded(review) ? 1 : 0;
  } catch (error) {
    return failed(error, io.stderr);
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runReview(process.argv.slice(2), {
    cwd: process.cwd(),
    env: process.env,
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
  }).then((code) => process.exit(code));
}
