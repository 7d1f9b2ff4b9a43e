/** Synthesizes environments the way `npm run synth` does, into a temporary directory, and reads every stack back. */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvironmentConfig, EnvironmentInput } from '../../../config/schema';
import { parseEnvironment } from '../../../config/schema';
import { buildApp } from '../../../main';

export interface Synthesized {
  /** cdk.tf.json of each stack, by stack name. */
  readonly stacks: Record<string, any>;
  /** cdktf's manifest.json (stack dependencies). */
  readonly manifest: any;
}

/** Synthesizes the given environments (default: every file of config/environments/). */
export function synthesize(environments?: readonly EnvironmentConfig[]): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'cdktf-out-'));
  try {
    buildApp(outdir, environments).synth();
    const stacks: Record<string, any> = {};
    for (const name of readdirSync(join(outdir, 'stacks'))) stacks[name] = JSON.parse(readFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));
    return { stacks, manifest: JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** A validated copy of `input` after `change`: one environment to synthesize twice. */
export function variant(input: EnvironmentInput, change: (config: any) => void = () => undefined): EnvironmentConfig {
  const copy = JSON.parse(JSON.stringify(input));
  change(copy);
  return parseEnvironment(copy);
}

/** Resources of one type in a synthesized stack, by address name. */
export function resourcesOf(stack: any, type: string): Record<string, any> {
  return stack.resource?.[type] ?? {};
}

/** Every resource address (`type.name`) of a stack. */
export function addresses(stack: any): string[] {
  return Object.entries(stack.resource ?? {}).flatMap(([type, instances]) => Object.keys(instances as object).map((name) => `${type}.${name}`)).sort();
}
