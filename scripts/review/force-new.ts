/**
 * Which attribute changes force Terraform to replace a resource. Okta resources: the provider 6.12
 * schema data (`_force_new` = ForceNew / RequiresReplace, config/data/okta-provider-schema-6.12.json).
 * The random, docker and kubernetes providers have no schema data in the repository: their
 * replacement rules are the small table below, taken from the providers' documentation and source
 * (random 3.x: every argument forces replacement; kreuzwerker/docker 3.x: images and volumes have no
 * update, containers only update the few listed attributes; hashicorp/kubernetes 2.x: names,
 * namespaces, selectors and claim templates).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

interface SchemaAttribute {
  optional?: boolean;
  computed?: boolean;
  _force_new?: boolean;
  _default?: unknown;
  nested_type?: { attributes?: Record<string, SchemaAttribute> };
}

interface SchemaBlock {
  attributes?: Record<string, SchemaAttribute>;
  block_types?: Record<string, { _force_new?: boolean; block: SchemaBlock }>;
}

const SCHEMA_FILE = resolve(__dirname, '../../config/data/okta-provider-schema-6.12.json');

let oktaSchemas: Record<string, { block: SchemaBlock }> | undefined;
function okta(): Record<string, { block: SchemaBlock }> {
  if (!oktaSchemas) {
    const json = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as { provider_schemas: Record<string, { resource_schemas: Record<string, { block: SchemaBlock }> }> };
    oktaSchemas = json.provider_schemas['registry.terraform.io/okta/okta']?.resource_schemas ?? {};
  }
  return oktaSchemas;
}

/**
 * Replacement rules of providers without schema data: `'*'` = every argument; otherwise attribute
 * paths (list indexes left out) whose change forces replacement, or, with `except`, the only
 * attributes that update in place.
 */
export const FORCE_NEW_TABLE: Readonly<Record<string, { readonly paths?: readonly string[]; readonly except?: readonly string[] }>> = {
  // hashicorp/random: every argument of every resource is RequiresReplace (keepers included).
  random_password: { paths: ['*'] },
  random_string: { paths: ['*'] },
  random_id: { paths: ['*'] },
  random_uuid: { paths: ['*'] },
  random_integer: { paths: ['*'] },
  // kreuzwerker/docker 3.x: docker_image and docker_volume have no update; docker_container updates only these.
  docker_image: { except: ['keep_locally', 'force_remove'] },
  docker_volume: { paths: ['*'] },
  docker_container: {
    except: ['restart', 'max_retry_count', 'cpu_shares', 'memory', 'memory_swap', 'must_run', 'destroy_grace_seconds', 'start', 'attach', 'logs', 'wait', 'wait_timeout', 'remove_volumes', 'rm'],
  },
  // hashicorp/kubernetes 2.x: metadata.name / namespace everywhere, and these spec fields.
  kubernetes_namespace_v1: { paths: ['metadata.name', 'metadata.generate_name'] },
  kubernetes_stateful_set_v1: {
    paths: ['metadata.name', 'metadata.namespace', 'spec.selector', 'spec.service_name', 'spec.volume_claim_template', 'spec.pod_management_policy'],
  },
  kubernetes_deployment_v1: { paths: ['metadata.name', 'metadata.namespace', 'spec.selector'] },
  kubernetes_persistent_volume_claim_v1: { paths: ['metadata.name', 'metadata.namespace', 'spec.access_modes', 'spec.storage_class_name', 'spec.selector', 'spec.volume_name'] },
  kubernetes_secret_v1: { paths: ['metadata.name', 'metadata.namespace', 'type'] },
  kubernetes_service_v1: { paths: ['metadata.name', 'metadata.namespace', 'spec.cluster_ip'] },
  kubernetes_pod_disruption_budget_v1: { paths: ['metadata.name', 'metadata.namespace', 'spec.selector'] },
};

const KUBERNETES_DEFAULT = ['metadata.name', 'metadata.namespace', 'metadata.generate_name'];

function startsWithPath(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`);
}

/** The path without list indexes: `spec.0.template.spec.container.0.env` → `spec.template.spec.container.env`. */
export function schemaPath(path: readonly (string | number)[]): string[] {
  return path.filter((s): s is string => typeof s === 'string');
}

function oktaForcesNew(block: SchemaBlock | undefined, path: readonly string[]): boolean {
  if (!block || path.length === 0) return false;
  const [head, ...rest] = path as [string, ...string[]];
  const attribute = block.attributes?.[head];
  if (attribute) {
    if (attribute._force_new) return true;
    return rest.length > 0 && attribute.nested_type ? oktaForcesNew({ attributes: attribute.nested_type.attributes ?? {} }, rest) : false;
  }
  const nested = block.block_types?.[head];
  if (nested) return nested._force_new === true || oktaForcesNew(nested.block, rest);
  return false;
}

/** Whether a change at `path` (an attribute path inside the resource) forces replacement. */
export function forcesReplacement(type: string, path: readonly (string | number)[]): boolean {
  const segments = schemaPath(path);
  if (segments.length === 0) return false;
  if (type.startsWith('okta_')) return oktaForcesNew(okta()[type]?.block, segments);
  const joined = segments.join('.');
  const rule = FORCE_NEW_TABLE[type];
  if (rule?.except) return !rule.except.includes(segments[0]!);
  const paths = rule?.paths ?? (type.startsWith('kubernetes_') ? KUBERNETES_DEFAULT : []);
  return paths.some((p) => p === '*' || startsWithPath(joined, p));
}

/** Whether this provider schema knows the resource type (replacement is decided from data, not a guess). */
export function knowsType(type: string): boolean {
  return type.startsWith('okta_') ? okta()[type] !== undefined : type in FORCE_NEW_TABLE || type.startsWith('kubernetes_');
}

/**
 * The value Terraform assumes for an attribute left out of the configuration: the schema default,
 * or `undefined`. Optional+computed attributes left out keep whatever the state holds (no change).
 */
export function absentMeaning(type: string, attribute: string): { readonly kind: 'default'; readonly value: unknown } | { readonly kind: 'keep' } | undefined {
  if (!type.startsWith('okta_')) return undefined;
  const schema = okta()[type]?.block.attributes?.[attribute];
  if (!schema) return undefined;
  if (schema._default !== undefined) return { kind: 'default', value: schema._default };
  if (schema.optional && schema.computed) return { kind: 'keep' };
  return undefined;
}
