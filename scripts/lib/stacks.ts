/** The synthesized stacks of this checkout, for the tools that check a running system against them. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { StackJson } from '../review/stack-json';
import { UsageError } from './cli';
import { readStacks, synthesize } from './synth';

export const PROJECT_ROOT = resolve(__dirname, '../..');

/** Stacks from `dir` (an existing cdktf.out) or from a fresh synthesis of this checkout. */
export async function loadStacks(dir?: string): Promise<Record<string, StackJson>> {
  if (dir) {
    if (!existsSync(join(dir, 'stacks'))) throw new UsageError(`--stacks ${dir}: no stacks/ directory (expected a cdktf.out directory)`);
    return readStacks(dir);
  }
  const outdir = mkdtempSync(join(tmpdir(), 'okta-scim-synth-'));
  try {
    await synthesize(PROJECT_ROOT, outdir);
    return readStacks(outdir, PROJECT_ROOT);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** The okta-<env> stack, or a usage error naming the environments there are. */
export function oktaStackOf(stacks: Record<string, StackJson>, env: string | undefined): StackJson {
  const available = Object.keys(stacks)
    .filter((s) => s.startsWith('okta-'))
    .map((s) => s.slice('okta-'.length));
  if (!env) throw new UsageError(`--env is required (one of ${available.join(', ')})`);
  const stack = stacks[`okta-${env}`];
  if (!stack) throw new UsageError(`--env ${env}: no stack okta-${env} (environments: ${available.join(', ')})`);
  return stack;
}
