/**
 * A real temporary git repository holding a copy of this project's tracked files (tests and
 * benchmarks left out), with this checkout's node_modules and generated bindings linked in, for
 * reviews of fixture changes. Each fixture gets its own worktree of the base commit.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { addWorktree } from '../../../scripts/review/git';

export const PROJECT = resolve(__dirname, '../../..');

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GIT_AUTHOR_NAME: 'fixture', GIT_AUTHOR_EMAIL: 'fixture@example.invalid', GIT_COMMITTER_NAME: 'fixture', GIT_COMMITTER_EMAIL: 'fixture@example.invalid' },
  }).trim();

export class FixtureRepo {
  private worktrees = 0;

  private constructor(readonly dir: string) {}

  /** Copies the project, lets `prepare` edit the copy, then commits it on branch main: the base of every fixture. */
  static create(prepare: (repo: FixtureRepo) => void = () => undefined): FixtureRepo {
    const dir = mkdtempSync(join(tmpdir(), 'review-fixture-'));
    const repo = new FixtureRepo(join(dir, 'repo'));
    mkdirSync(repo.dir);
    const files = git(PROJECT, 'ls-files', '-z', '--cached', '--others', '--exclude-standard').split('\0').filter((f) => f && !/^(test|bench)\//.test(f));
    for (const file of files) {
      mkdirSync(dirname(join(repo.dir, file)), { recursive: true });
      try {
        copyFileSync(join(PROJECT, file), join(repo.dir, file));
      } catch {
        // listed but deleted in the working tree
      }
    }
    git(repo.dir, 'init', '--quiet', '--initial-branch=main');
    writeFileSync(join(repo.dir, '.git/info/exclude'), 'node_modules\n.gen\nreceiver/node_modules\n');
    for (const linked of ['node_modules', '.gen', 'receiver/node_modules']) {
      if (existsSync(join(PROJECT, linked))) symlinkSync(join(PROJECT, linked), join(repo.dir, linked), 'dir');
    }
    prepare(repo);
    git(repo.dir, 'add', '-A');
    git(repo.dir, 'commit', '--quiet', '-m', 'base');
    return repo;
  }

  /** A worktree of the base on its own branch, with packages linked: where one fixture's change is made. */
  worktree(): string {
    const dir = join(dirname(this.dir), `fixture-${++this.worktrees}`);
    addWorktree(this.dir, 'main', dir);
    git(dir, 'checkout', '--quiet', '-b', `fixture-${this.worktrees}`);
    return dir;
  }

  remove(): void {
    rmSync(dirname(this.dir), { recursive: true, force: true });
  }
}

/** Replaces `from` by `to` in a file of `root`; throws when `from` is absent, so a fixture cannot silently do nothing. */
export function edit(root: string, file: string, from: string | RegExp, to: string): void {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`${file}: ${String(from)} not found`);
  writeFileSync(path, next);
}

/**
 * Adds an environment file copied from dev.ts under a new name; lists it in config/environments/index.ts
 * when that file lists environments by import.
 */
export function addEnvironment(root: string, name: string): void {
  const dev = readFileSync(join(root, 'config/environments/dev.ts'), 'utf8');
  const copy = dev
    .replace(/export const dev\b/, `export const ${name}`)
    .replace(/name: 'dev'/, `name: '${name}'`)
    .replace(/acme-dev/g, `acme-${name}`)
    .replace(/\(dev\)/g, `(${name})`)
    .replace(/scim\.dev\./g, `scim.${name}.`)
    .replace(/hostPort: 8080/g, 'hostPort: 8081');
  writeFileSync(join(root, `config/environments/${name}.ts`), copy);
  const index = join(root, 'config/environments/index.ts');
  const text = readFileSync(index, 'utf8');
  if (text.includes("from './dev'")) {
    writeFileSync(
      index,
      text
        .replace("import { dev } from './dev';", `import { dev } from './dev';\nimport { ${name} } from './${name}';`)
        .replace(/(\{ source: 'config\/environments\/dev\.ts', config: dev \},)/, `$1\n    { source: 'config/environments/${name}.ts', config: ${name} },`),
    );
  }
}
