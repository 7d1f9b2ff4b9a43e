/** The parts of a synthesized stack (cdk.tf.json) that the review reads. */
export type Attributes = Record<string, unknown>;

export interface StackJson {
  readonly resource?: Record<string, Record<string, Attributes>>;
  readonly data?: Record<string, Record<string, Attributes>>;
  readonly output?: Record<string, { readonly value?: unknown; readonly sensitive?: boolean; readonly description?: string }>;
  /** `moved` blocks (cdktf's moveTo / moveFromId): the resource keeps its state under a new address. */
  readonly moved?: readonly { readonly from: string; readonly to: string }[];
}

/** Terraform address → attributes of every managed resource of a stack. */
export function resourcesOf(stack: StackJson | undefined): Map<string, { type: string; name: string; attributes: Attributes }> {
  const out = new Map<string, { type: string; name: string; attributes: Attributes }>();
  for (const [type, byName] of Object.entries(stack?.resource ?? {})) {
    for (const [name, attributes] of Object.entries(byName)) out.set(`${type}.${name}`, { type, name, attributes });
  }
  return out;
}

export function dataOf(stack: StackJson | undefined): Map<string, Attributes> {
  const out = new Map<string, Attributes>();
  for (const [type, byName] of Object.entries(stack?.data ?? {})) {
    for (const [name, attributes] of Object.entries(byName)) out.set(`data.${type}.${name}`, attributes);
  }
  return out;
}

const REFERENCE = /\b(data\.[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+|[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)(?:\.([A-Za-z0-9_.-]+))?/g;

/**
 * Every address a value refers to in `${…}` expressions: `okta_group.X`, `data.okta_group.Y`, and
 * for remote state the output itself (`data.terraform_remote_state.Z.outputs.<name>`).
 */
export function referencesIn(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string') {
    for (const expression of value.match(/\$\{[^}]*\}/g) ?? []) {
      for (const match of expression.matchAll(REFERENCE)) {
        const [, address, attribute, rest] = match;
        if (address!.startsWith('terraform.') || address!.startsWith('var.') || address!.startsWith('local.')) continue;
        into.add(address!);
        if (address!.startsWith('data.terraform_remote_state.') && attribute === 'outputs' && rest) into.add(`${address}.outputs.${rest.split('.')[0]}`);
      }
    }
  } else if (Array.isArray(value)) value.forEach((v) => referencesIn(v, into));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => referencesIn(v, into));
  return into;
}

/** Resource attributes as configured: cdktf metadata and meta-arguments left out. */
export const META_ARGUMENTS = new Set(['//', 'depends_on', 'lifecycle', 'provider', 'count', 'for_each', 'provisioner', 'connection']);

/** `lifecycle.prevent_destroy` as synthesized. */
export function preventsDestroy(attributes: Attributes | undefined): boolean {
  const lifecycle = attributes?.lifecycle as { prevent_destroy?: unknown } | undefined;
  return lifecycle?.prevent_destroy === true || lifecycle?.prevent_destroy === 'true';
}
