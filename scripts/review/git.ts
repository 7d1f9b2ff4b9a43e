/** The base version of the review: resolved from git, checked out in a temporary worktree (no network). */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../lib/cli';

export function git(args: readonly string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function tryGit(args: readonly string[], cwd: string): string | undefined {
  try {
    return git(args, cwd);
  } catch {
    return undefined;
  }
}

export function repositoryRoot(cwd: string): string {
  const root = tryGit(['rev-parse', '--show-toplevel'], cwd);
  if (!root) throw new UsageError(`${cwd} is not inside a git repository`);
  return root;
}

export interface Base {
  /** How it was chosen: `origin/main (merge base)`, `HEAD`, or the given ref. */
  readonly label: string;
  readonly commit: string;
}

/**
 * `--base REF` as given; by default the merge base with origin/main, then with a local main branch,
 * then HEAD (the working tree against the last commit).
 */
export function resolveBase(root: string, requested?: string): Base {
  const commitOf = (ref: string) => tryGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], root);
  if (requested) {
    const commit = commitOf(requested);
    if (!commit) throw new UsageError(`--base ${requested}: not a commit in this repository`);
    return { label: requested, commit };
  }
  if (!commitOf('HEAD')) throw new UsageError('the repository has no commit to compare with (commit once, or give --base)');
  for (const candidate of ['origin/main', 'main']) {
    if (!commitOf(candidate)) continue;
    const mergeBase = tryGit(['merge-base', 'HEAD', candidate], root);
    if (mergeBase) return { label: `merge base with ${candidate}`, commit: mergeBase };
  }
  return { label: 'HEAD', commit: commitOf('HEAD')! };
}

/** Directories the base checkout borrows from this one: installed packages and generated bindings. */
function borrowed(root: string): string[] {
  const workspaces = (() => {
    try {
      return ((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces?: string[] }).workspaces ?? []).filter((w) => !w.includes('*'));
    } catch {
      return [];
    }
  })();
  return ['node_modules', '.gen', ...workspaces.map((w) => join(w, 'node_modules'))].filter((p) => existsSync(join(root, p)));
}

/** Checks `commit` out into `dir` as a detached worktree, with this checkout's node_modules and .gen linked in. */
export function addWorktree(root: string, commit: string, dir: string): void {
  git(['worktree', 'add', '--detach', '--quiet', dir, commit], root);
  for (const path of borrowed(root)) {
    if (!existsSync(join(dir, path)) && existsSync(join(dir, path, '..'))) symlinkSync(join(root, path), join(dir, path), 'dir');
  }
}

export function removeWorktree(root: string, dir: string): void {
  tryGit(['worktree', 'remove', '--force', dir], root);
  tryGit(['worktree', 'prune'], root);
}
