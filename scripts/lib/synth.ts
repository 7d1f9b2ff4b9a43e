/**
 * Synthesis for the tools: a project tree synthesized the way `cdktf synth` does it (the `app`
 * command of its cdktf.json with CDKTF_OUTDIR), and the stacks read back from the output directory.
 * CHECKPOINT_DISABLE=1 turns off cdktf's version check (a network call that fails offline).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import type { StackJson } from '../review/stack-json';

/** What may follow a path prefix: a separator, or the end of a JSON string. */
const PATH_END = '(?=[/"\\\\])';

/** Offline, without cdktf's checkpoint call: for every cdktf invocation of the project's tools. */
export const OFFLINE_ENV = { CHECKPOINT_DISABLE: '1' } as const;

/** Runs the tree's cdktf app into `outdir`. Rejects with the app's own error output (a config error names file and path). */
export function synthesizeTree(root: string, outdir: string): Promise<void> {
  const cdktfJson = join(root, 'cdktf.json');
  if (!existsSync(cdktfJson)) return Promise.reject(new Error(`${root}: no cdktf.json`));
  const app = (JSON.parse(readFileSync(cdktfJson, 'utf8')) as { app?: string }).app;
  if (!app) return Promise.reject(new Error(`${cdktfJson}: no "app" command`));
  return new Promise((resolve, reject) => {
    const child = spawn(app, { cwd: root, shell: true, env: { ...process.env, ...OFFLINE_ENV, CDKTF_OUTDIR: outdir }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += String(d)));
    child.stderr.on('data', (d) => (output += String(d)));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`synthesis failed in ${root} (exit ${code}):\n${output.trim()}`))));
  });
}

interface AppModule {
  buildApp?: (outdir?: string) => { synth(): void };
}

/**
 * Synthesizes a tree in this process when its main.ts exports `buildApp(outdir)` (the provider
 * bindings, the heavy part, are then loaded once for every tree that shares these node_modules);
 * otherwise through its cdktf.json app command in a child process.
 */
export async function synthesize(root: string, outdir: string): Promise<void> {
  const main = join(root, 'main.ts');
  if (existsSync(main)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the tree to synthesize is only known at run time
    const app = require(main) as AppModule;
    if (typeof app.buildApp === 'function') {
      const previous = process.env.CHECKPOINT_DISABLE;
      process.env.CHECKPOINT_DISABLE = '1';
      try {
        app.buildApp(outdir).synth();
      } finally {
        if (previous === undefined) delete process.env.CHECKPOINT_DISABLE;
        else process.env.CHECKPOINT_DISABLE = previous;
      }
      return;
    }
  }
  await synthesizeTree(root, outdir);
}

/**
 * The stacks of a synthesis output directory, by name. Paths of the synthesized tree are replaced by
 * `.` so that two checkouts of the same code synthesize the same JSON.
 */
export function readStacks(outdir: string, root?: string): Record<string, StackJson> {
  const stacksDir = join(outdir, 'stacks');
  // The tree's own paths, and the directory synthesis ran in (local backends resolve from it); only
  // whole path prefixes (followed by "/" or the end of the string) are replaced.
  const roots = [...new Set([...(root ? [realpathSync(root), root] : []), process.cwd()])]
    .filter((r) => r.length > 1)
    .sort((a, b) => b.length - a.length)
    .map((r) => new RegExp(r.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + PATH_END, 'g'));
  const stacks: Record<string, StackJson> = {};
  if (!existsSync(stacksDir)) return stacks;
  for (const name of readdirSync(stacksDir).sort()) {
    const file = join(stacksDir, name, 'cdk.tf.json');
    if (!existsSync(file)) continue;
    let text = readFileSync(file, 'utf8');
    for (const r of roots) text = text.replace(r, '.');
    stacks[name] = JSON.parse(text) as StackJson;
  }
  return stacks;
}
