/**
 * Checks every okta_* resource of synthesized Terraform JSON against the Okta provider 6.12 schema
 * data (config/data/okta-provider-schema-6.12.json): unknown attributes or blocks, computed-only
 * attributes set, missing required ones, wrong literal types, block shapes, values outside enforced
 * enumerations. `${…}` expressions are not evaluated.
 *
 *   node --require tsx/cjs scripts/okta-schema-check.ts cdktf.out/stacks/<stack>/cdk.tf.json…
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

type SchemaType = string | [string, SchemaType] | [string, Record<string, SchemaType>];

interface SchemaAttribute {
  type?: SchemaType;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  _valid_values?: string[];
}

interface SchemaBlock {
  attributes?: Record<string, SchemaAttribute>;
  block_types?: Record<string, { nesting_mode: string; min_items?: number; max_items?: number; block: SchemaBlock }>;
}

export interface SchemaProblem {
  readonly resource: string;
  readonly path: string;
  readonly message: string;
}

export interface SchemaCheckResult {
  readonly checked: number;
  readonly unchecked: readonly string[];
  readonly problems: readonly SchemaProblem[];
  /** Not errors, but worth a look: a provider pin wider than the one the kit is tested with. */
  readonly warnings: readonly string[];
}

/** The pin the kit is tested with: 6.12 or later, never 6.14.0 (Okta asks not to install it), not 7. */
export const TESTED_PIN = '>= 6.12.0, != 6.14.0, < 7.0.0';

type Version = readonly [number, number, number];

function parseVersion(text: string): Version | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** Whether `version` satisfies a Terraform version constraint (`>= 6.12.0, != 6.14.0, < 7.0.0`, `~> 6.12`…). */
export function satisfiesConstraint(version: string, constraint: string): boolean {
  const v = parseVersion(version);
  if (!v) throw new Error(`not a version: ${version}`);
  return constraint.split(',').every((clause) => {
    const m = /^\s*(=|!=|>=|<=|>|<|~>)?\s*(\S+)\s*$/.exec(clause);
    const target = m ? parseVersion(m[2]!) : undefined;
    if (!m || !target) throw new Error(`not a version constraint: ${constraint}`);
    const c = compare(v, target);
    switch (m[1] ?? '=') {
      case '=': return c === 0;
      case '!=': return c !== 0;
      case '>': return c > 0;
      case '>=': return c >= 0;
      case '<': return c < 0;
      case '<=': return c <= 0;
      default: {
        // ~> X.Y allows X.*; ~> X.Y.Z allows X.Y.*.
        const parts = m[2]!.split('.').length;
        const upper: Version = parts >= 3 ? [target[0], target[1] + 1, 0] : [target[0] + 1, 0, 0];
        return c >= 0 && compare(v, upper) < 0;
      }
    }
  });
}

/** Warnings for a provider pin that admits versions the kit is not tested with, and errors for one that excludes 6.12. */
export function pinFindings(constraint: string): { problems: string[]; warnings: string[] } {
  let admits: (v: string) => boolean;
  try {
    satisfiesConstraint('6.12.0', constraint);
    admits = (v) => satisfiesConstraint(v, constraint);
  } catch (error) {
    return { problems: [`"${constraint}": ${(error as Error).message}`], warnings: [] };
  }
  const problems = admits('6.12.0') ? [] : [`"${constraint}" does not admit 6.12.0, the provider version the kit's resources need`];
  const warnings = [
    ...(['6.14.0'].filter(admits).map((v) => `"${constraint}" admits ${v}, which Okta asks users not to install (accidental breaking changes); the tested pin is "${TESTED_PIN}"`)),
    ...(['7.0.0', '8.0.0'].some(admits) ? [`"${constraint}" admits 7.x or later (deliberate breaking releases); the tested pin is "${TESTED_PIN}"`] : []),
    ...(['6.11.0', '5.0.0', '4.20.0'].some(admits) ? [`"${constraint}" admits versions before 6.12, which lack okta_app_connection, okta_app_features or okta_push_group; the tested pin is "${TESTED_PIN}"`] : []),
  ];
  return { problems, warnings };
}

const META_ARGUMENTS = new Set(['//', 'count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'provisioner', 'connection']);
const SCHEMA_FILE = resolve(__dirname, '../config/data/okta-provider-schema-6.12.json');

export function loadOktaSchema(file = SCHEMA_FILE): Record<string, { block: SchemaBlock }> {
  const json = JSON.parse(readFileSync(file, 'utf8')) as { provider_schemas: Record<string, { resource_schemas: Record<string, { block: SchemaBlock }> }> };
  const okta = json.provider_schemas['registry.terraform.io/okta/okta'];
  if (!okta) throw new Error(`${file}: no okta provider schema`);
  return okta.resource_schemas;
}

const isExpression = (value: unknown) => typeof value === 'string' && /\$\{|%\{/.test(value);

/** Terraform's implicit conversions: strings ↔ numbers/bools are accepted where they parse. */
function typeProblem(type: SchemaType | undefined, value: unknown): string | undefined {
  if (type === undefined || value === null || isExpression(value)) return undefined;
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? undefined : `expected a string, got ${JSON.stringify(value)}`;
      case 'number':
        return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) ? undefined : `expected a number, got ${JSON.stringify(value)}`;
      case 'bool':
        return typeof value === 'boolean' || value === 'true' || value === 'false' ? undefined : `expected a bool, got ${JSON.stringify(value)}`;
      default:
        return undefined;
    }
  }
  const [kind, inner] = type;
  if (kind === 'list' || kind === 'set') {
    if (!Array.isArray(value)) return `expected a ${kind}, got ${JSON.stringify(value)}`;
    for (const item of value) {
      const problem = typeProblem(inner as SchemaType, item);
      if (problem) return `element: ${problem}`;
    }
    return undefined;
  }
  if (kind === 'map' || kind === 'object') {
    if (typeof value !== 'object' || Array.isArray(value)) return `expected a ${kind}, got ${JSON.stringify(value)}`;
    return undefined;
  }
  return undefined;
}

function checkBlock(block: SchemaBlock, config: Record<string, unknown>, path: string, report: (path: string, message: string) => void): void {
  const attributes = block.attributes ?? {};
  const blocks = block.block_types ?? {};
  for (const [name, value] of Object.entries(config)) {
    if (META_ARGUMENTS.has(name)) continue;
    const attribute = attributes[name];
    const nested = blocks[name];
    const at = path ? `${path}.${name}` : name;
    if (attribute) {
      if (attribute.computed && !attribute.optional && !attribute.required) report(at, 'is computed-only and cannot be set');
      const problem = typeProblem(attribute.type, value);
      if (problem) report(at, problem);
      if (attribute._valid_values && typeof value === 'string' && !isExpression(value) && !attribute._valid_values.includes(value)) {
        report(at, `"${value}" is not one of ${attribute._valid_values.join(', ')}`);
      }
    } else if (nested) {
      const instances = Array.isArray(value) ? value : [value];
      if (nested.nesting_mode === 'single' && Array.isArray(value) && value.length > 1) report(at, 'is a single block; got several');
      if (nested.max_items !== undefined && instances.length > nested.max_items) report(at, `at most ${nested.max_items} block(s)`);
      if (nested.min_items !== undefined && instances.length < nested.min_items) report(at, `at least ${nested.min_items} block(s)`);
      instances.forEach((instance, i) => {
        if (isExpression(instance)) return;
        if (typeof instance !== 'object' || instance === null || Array.isArray(instance)) report(`${at}[${i}]`, 'expected a block (an object)');
        else checkBlock(nested.block, instance as Record<string, unknown>, Array.isArray(value) ? `${at}[${i}]` : at, report);
      });
    } else {
      report(at, 'is not an attribute or block of this resource');
    }
  }
  for (const [name, attribute] of Object.entries(attributes)) {
    if (attribute.required && config[name] === undefined) report(path ? `${path}.${name}` : name, 'is required');
  }
  for (const [name, nested] of Object.entries(blocks)) {
    if ((nested.min_items ?? 0) > 0 && config[name] === undefined) report(path ? `${path}.${name}` : name, 'is a required block');
  }
}

/** Checks the okta_* resources of one synthesized stack (cdk.tf.json content). */
export function checkOktaResources(stack: unknown, schemas = loadOktaSchema()): SchemaCheckResult {
  const problems: SchemaProblem[] = [];
  const unchecked: string[] = [];
  let checked = 0;
  const resources = ((stack as { resource?: Record<string, Record<string, Record<string, unknown>>> }).resource ?? {});
  for (const [type, instances] of Object.entries(resources)) {
    if (!type.startsWith('okta_')) continue;
    const schema = schemas[type];
    for (const [name, config] of Object.entries(instances)) {
      if (!schema) {
        unchecked.push(`${type}.${name}`);
        continue;
      }
      checked++;
      checkBlock(schema.block, config, '', (path, message) => problems.push({ resource: `${type}.${name}`, path, message }));
    }
  }
  const warnings: string[] = [];
  const version = (stack as { terraform?: { required_providers?: { okta?: { version?: string } } } }).terraform?.required_providers?.okta?.version;
  if (version !== undefined) {
    const pin = pinFindings(version);
    problems.push(...pin.problems.map((message) => ({ resource: 'terraform', path: 'required_providers.okta.version', message })));
    warnings.push(...pin.warnings.map((w) => `required_providers.okta.version: ${w}`));
  } else if (checked > 0) {
    warnings.push(`required_providers.okta.version: no pin; the tested pin is "${TESTED_PIN}"`);
  }
  return { checked, unchecked, problems, warnings };
}

if (require.main === module) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    process.stderr.write('usage: okta-schema-check <cdk.tf.json>…\n');
    process.exit(2);
  }
  let errors = 0;
  let checked = 0;
  for (const file of files) {
    const result = checkOktaResources(JSON.parse(readFileSync(join(process.cwd(), file), 'utf8')));
    checked += result.checked;
    errors += result.problems.length;
    for (const p of result.problems) process.stdout.write(`${file}: ${p.resource}: ${p.path}: ${p.message}\n`);
    for (const w of result.warnings) process.stdout.write(`${file}: warning: ${w}\n`);
  }
  process.stdout.write(`okta schema check: ${checked} resources checked, ${errors} errors\n`);
  process.exit(errors > 0 ? 1 : 0);
}
