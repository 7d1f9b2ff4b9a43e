/**
 * What a new synth would replace, computed offline against the previous synth: for each resource
 * address present in both, the attributes that changed and that force replacement in the provider
 * 6.12 schema (`_force_new`). Replacing an app-user or user-profile attribute deletes its values, so
 * `npm run synth` prints these as warnings before anyone plans.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadOktaSchema } from './okta-schema-check';

export interface ForceNewChange {
  readonly stack: string;
  /** `type.name` */
  readonly address: string;
  readonly attribute: string;
  readonly before: unknown;
  readonly after: unknown;
}

type Schemas = ReturnType<typeof loadOktaSchema>;

/** A synthesized stack (cdk.tf.json), as far as this comparison reads it. */
export interface SynthesizedStack {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
}

/** Resource types whose replacement loses data: the ones the warning is about. */
export const DATA_LOSING_TYPES = ['okta_app_user_schema_property', 'okta_user_schema_property', 'okta_profile_mapping', 'okta_push_group'] as const;

function forceNewAttributes(schemas: Schemas, type: string): string[] {
  const attributes = (schemas[type]?.block as { attributes?: Record<string, { _force_new?: boolean }> } | undefined)?.attributes ?? {};
  return Object.entries(attributes)
    .filter(([, a]) => a._force_new)
    .map(([name]) => name);
}

/** Changes of force-new attributes between two synths of the same stacks (cdk.tf.json contents by stack name). */
export function forceNewChanges(previous: Record<string, SynthesizedStack>, next: Record<string, SynthesizedStack>, schemas: Schemas = loadOktaSchema()): ForceNewChange[] {
  const changes: ForceNewChange[] = [];
  for (const [stack, after] of Object.entries(next)) {
    const before = previous[stack];
    if (!before) continue;
    for (const type of DATA_LOSING_TYPES) {
      const fields = forceNewAttributes(schemas, type);
      for (const [name, config] of Object.entries(after.resource?.[type] ?? {})) {
        const old = before.resource?.[type]?.[name];
        if (!old) continue;
        for (const field of fields) {
          if (JSON.stringify(old[field]) !== JSON.stringify(config[field])) changes.push({ stack, address: `${type}.${name}`, attribute: field, before: old[field], after: config[field] });
        }
      }
    }
  }
  return changes;
}

/** The warning `npm run synth` prints for one change. */
export function describeForceNewChange(change: ForceNewChange): string {
  const what = change.address.startsWith('okta_app_user_schema_property.') || change.address.startsWith('okta_user_schema_property.') ? ' and delete its values' : '';
  return `warning: ${change.stack}: ${change.address}: ${change.attribute} changes (${JSON.stringify(change.before)} → ${JSON.stringify(change.after)}); Terraform will replace it${what}. prevent_destroy stops that apply unless destroyProtection is false.`;
}

/** The cdk.tf.json of every stack synthesized in `outdir` (none when it was never synthesized). */
export function readSynthesizedStacks(outdir: string): Record<string, SynthesizedStack> {
  const stacks: Record<string, SynthesizedStack> = {};
  const dir = join(outdir, 'stacks');
  if (!existsSync(dir)) return stacks;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name, 'cdk.tf.json');
    if (!existsSync(file)) continue;
    try {
      stacks[name] = JSON.parse(readFileSync(file, 'utf8')) as SynthesizedStack;
    } catch {
      // A damaged earlier synth compares as absent.
    }
  }
  return stacks;
}
