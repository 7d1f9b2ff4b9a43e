import type { ResolvedFilter } from '../../schema/query';
import type { AttributeDefinition } from '../../schema/schema-definitions';
import type { JsonObject } from '../attribute-values';
import { isPlainObject, normalizeValue } from '../attribute-values';
import { invalidValue, mutability, noTarget } from '../errors';
import { matchesElement } from '../value-filter';
import { containerFor, enforceSinglePrimary, setOrDelete } from './attribute';
import type { AttributePath, PatchOp } from './parse';

type FilteredPath = AttributePath & { readonly filter: ResolvedFilter };

/** The elements of a multi-valued attribute that one operation on a value-filter path works on. */
interface Target {
  readonly container: JsonObject;
  readonly attribute: AttributeDefinition;
  readonly elements: JsonObject[];
  readonly matched: JsonObject[];
}

/** `emails[type eq "work"]` and `emails[type eq "work"].value`: the value filter picks the elements (RFC 7644 §3.5.2). */
export function applyFiltered(doc: JsonObject, op: PatchOp, path: FilteredPath, value: unknown, rawPath: string): void {
  const attribute = path.ref.attribute;
  if (attribute.mutability === 'readOnly') throw mutability(`Attribute '${attribute.name}' is read-only.`);
  const container = containerFor(doc, path.ref, op !== 'remove');
  if (!container) return;
  const elements = Array.isArray(container[attribute.name]) ? (container[attribute.name] as JsonObject[]) : [];
  const matched = elements.filter((e) => isPlainObject(e) && matchesElement(path.filter, e));
  const target: Target = { container, attribute, elements, matched };
  const sub = path.filteredSub;

  if (op === 'remove') {
    if (sub) matched.forEach((e) => delete e[sub.name]);
    else container[attribute.name] = elements.filter((e) => !matched.includes(e));
  } else if (matched.length === 0) {
    createNamedElement(target, path.filter, sub, value, rawPath);
  } else if (sub) {
    setMatchedSub(target, sub, value);
  } else {
    if (!isPlainObject(value)) throw invalidValue(`The value for '${rawPath}' must be an object.`);
    const normalized = (normalizeValue(attribute, [value], attribute.name) as JsonObject[] | undefined)?.[0] ?? {};
    const replaced = elements.map((e) => (matched.includes(e) ? (op === 'replace' ? normalized : { ...e, ...normalized }) : e));
    container[attribute.name] = enforceSinglePrimary(replaced, normalized.primary === true ? [normalized] : []);
  }
}

/** `emails[type eq "work"].value` on a user without a work email: create the element the filter describes. */
function createNamedElement(target: Target, filter: ResolvedFilter, sub: AttributeDefinition | undefined, value: unknown, rawPath: string): void {
  const { attribute, container, elements } = target;
  const seed = equalities(filter);
  if (!seed) throw noTarget(`No value of '${attribute.name}' matches '${rawPath}'.`);
  const element = sub ? { ...seed, [sub.name]: value } : isPlainObject(value) ? { ...seed, ...value } : undefined;
  if (!element) throw invalidValue(`The value for '${rawPath}' must be an object.`);
  const normalized = normalizeValue(attribute, [element], attribute.name) as unknown[] | undefined;
  if (normalized) container[attribute.name] = enforceSinglePrimary([...elements, ...normalized], normalized);
}

function setMatchedSub(target: Target, sub: AttributeDefinition, value: unknown): void {
  const { attribute, container, elements, matched } = target;
  const normalized = normalizeValue(sub, value, `${attribute.name}.${sub.name}`);
  matched.forEach((e) => setOrDelete(e, sub.name, normalized));
  if (sub.name === 'primary' && normalized === true) container[attribute.name] = enforceSinglePrimary(elements, [matched[matched.length - 1]]);
}

/** Equality pairs of a filter made only of `eq` and `and` (used to create the element a filter names). */
function equalities(filter: ResolvedFilter): JsonObject | undefined {
  if (filter.kind === 'compare' && filter.op === 'eq' && filter.attr.subAttribute && filter.value !== null) {
    return { [filter.attr.subAttribute.name]: filter.value };
  }
  if (filter.kind === 'and') {
    const parts = filter.filters.map(equalities);
    if (parts.every((p) => p !== undefined)) return Object.assign({}, ...parts) as JsonObject;
  }
  return undefined;
}
