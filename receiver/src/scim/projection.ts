import type { JsonObject } from './attribute-values';
import { cloneJson, isPlainObject } from './attribute-values';
import type { ResourceType } from '../schema/resource-types';
import { resolveAttributePath, splitUrn } from '../schema/resource-types';

/** One entry of `attributes` / `excludedAttributes`, resolved to where it sits in a representation. */
interface Selector {
  /** Extension URN the attribute sits under, or undefined for top-level attributes. */
  readonly container?: string;
  /** Attribute name; undefined selects the whole extension. */
  readonly name?: string;
  readonly sub?: string;
}

/** RFC 7644 §3.9 `attributes` / `excludedAttributes`. */
export class Projection {
  private constructor(
    private readonly include: readonly Selector[] | undefined,
    private readonly exclude: readonly Selector[],
  ) {}

  static readonly ALL = new Projection(undefined, []);

  /** Unknown names are ignored, as a client may ask for attributes an older server lacks. */
  static parse(type: ResourceType, attributes: string | undefined, excludedAttributes: string | undefined): Projection {
    const include = attributes ? parseSelectors(type, attributes) : undefined;
    const exclude = excludedAttributes ? parseSelectors(type, excludedAttributes) : [];
    if (!include && exclude.length === 0) return Projection.ALL;
    return new Projection(include, exclude);
  }

  /** Whether a top-level attribute (e.g. `members`, `groups`) would appear, so stores can skip loading it. */
  wants(name: string): boolean {
    if (this.include && !this.include.some((s) => !s.container && s.name === name)) return false;
    return !this.exclude.some((s) => !s.container && s.name === name && !s.sub);
  }

  apply(resource: JsonObject): JsonObject {
    if (this.include === undefined && this.exclude.length === 0) return resource;
    let out: JsonObject;
    if (this.include) {
      out = { schemas: resource.schemas, id: resource.id };
      for (const selector of this.include) copySelected(resource, out, selector);
    } else {
      out = cloneJson(resource);
    }
    for (const selector of this.exclude) removeSelected(out, selector);
    return out;
  }
}

function parseSelectors(type: ResourceType, list: string): Selector[] {
  const selectors: Selector[] = [];
  for (const raw of list.split(',')) {
    const path = raw.trim();
    if (!path) continue;
    const split = splitUrn(type, path);
    if (split && split.rest === '') {
      if (split.schema !== type.schema) selectors.push({ container: split.schema.id });
      continue;
    }
    const ref = resolveAttributePath(type, path);
    if (!ref) continue;
    selectors.push({
      ...(ref.inExtension ? { container: ref.schema } : {}),
      name: ref.attribute.name,
      ...(ref.subAttribute ? { sub: ref.subAttribute.name } : {}),
    });
  }
  return selectors;
}

function copySelected(from: JsonObject, to: JsonObject, selector: Selector): void {
  const source = selector.container ? from[selector.container] : from;
  if (!isPlainObject(source)) return;
  let target = to;
  if (selector.container) {
    if (!selector.name) {
      to[selector.container] = source;
      return;
    }
    const existing = to[selector.container];
    target = isPlainObject(existing) ? existing : (to[selector.container] = {});
  }
  const name = selector.name as string;
  const value = source[name];
  if (value === undefined) return;
  if (!selector.sub) {
    target[name] = value;
    return;
  }
  const sub = selector.sub;
  if (Array.isArray(value)) {
    const existing = Array.isArray(target[name]) ? (target[name] as JsonObject[]) : value.map((): JsonObject => ({}));
    value.forEach((element, i) => {
      if (isPlainObject(element) && element[sub] !== undefined && existing[i]) existing[i][sub] = element[sub];
    });
    target[name] = existing;
  } else if (isPlainObject(value)) {
    const existing = isPlainObject(target[name]) ? (target[name] as JsonObject) : {};
    if (value[sub] !== undefined) existing[sub] = value[sub];
    target[name] = existing;
  }
}

function removeSelected(resource: JsonObject, selector: Selector): void {
  if (!selector.container && (selector.name === 'id' || selector.name === undefined)) return; // id is returned always
  const holder = selector.container ? resource[selector.container] : resource;
  if (!isPlainObject(holder)) return;
  if (!selector.name) {
    delete resource[selector.container as string];
    return;
  }
  if (!selector.sub) {
    delete holder[selector.name];
    return;
  }
  const value = holder[selector.name];
  const sub = selector.sub;
  if (Array.isArray(value)) value.forEach((element) => {
      if (isPlainObject(element)) delete element[sub];
    });
  else if (isPlainObject(value)) delete value[sub];
}
