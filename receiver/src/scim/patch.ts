import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import type { ResolvedFilter } from '../schema/query';
import type { GroupChange, ResourceData } from '../store/types';
import type { JsonObject } from './attribute-values';
import { cloneJson, isPlainObject, normalizeValue } from './attribute-values';
import { invalidFilter, invalidPath, invalidSyntax, invalidValue, mutability, noTarget } from './errors';
import { matchesElement, parseValueFilter } from './filter';
import type { FilterLimits } from './limits';
import type { AttributeRef, ResourceType } from '../schema/resource-types';
import { resolveAttributePath, splitUrn } from '../schema/resource-types';
import type { AttributeDefinition } from '../schema/schema-definitions';
import { findAttribute } from '../schema/schema-definitions';
import { PATCH_OP } from '../schema/urns';

export type PatchPath =
  /** The path is an extension URN: the value is an object of that extension's attributes. */
  | { readonly kind: 'extension'; readonly schema: string }
  /** An attribute of a known extension that the extension does not declare: skipped and reported. */
  | { readonly kind: 'undeclared'; readonly schema: string; readonly name: string }
  | {
      readonly kind: 'attribute';
      /** The attribute, with `subAttribute` set for `name.givenName` style paths. */
      readonly ref: AttributeRef;
      /** `emails[type eq "work"]` */
      readonly filter?: ResolvedFilter;
      /** `emails[type eq "work"].value` */
      readonly filteredSub?: AttributeDefinition;
    };

export interface PatchOperation {
  readonly op: 'add' | 'remove' | 'replace';
  readonly path?: PatchPath;
  readonly rawPath?: string;
  readonly value: unknown;
}

const Operation = z.object({ op: z.string(), path: z.string().optional(), value: z.unknown().optional() }).loose();

/** Finds a member case-insensitively (`Operations`/`operations`, `op`/`Op`): clients differ. */
function member(object: JsonObject, name: string): unknown {
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}

/** Validates an RFC 7644 §3.5.2 PatchOp body and resolves every path against the resource type. */
export function parsePatchRequest(type: ResourceType, body: unknown, filterLimits?: FilterLimits): PatchOperation[] {
  if (!isPlainObject(body)) throw invalidSyntax('The request body must be a JSON object.');
  const schemas = member(body, 'schemas');
  if (!Array.isArray(schemas) || !schemas.some((s) => typeof s === 'string' && s.toLowerCase() === PATCH_OP.toLowerCase())) {
    throw invalidValue(`'schemas' must contain "${PATCH_OP}".`);
  }
  const operations = member(body, 'Operations');
  if (!Array.isArray(operations) || operations.length === 0) {
    throw invalidSyntax(`'Operations' must be a non-empty array.`);
  }
  return operations.map((raw, index) => {
    const normalized = isPlainObject(raw) ? { op: member(raw, 'op'), path: member(raw, 'path'), value: member(raw, 'value') } : raw;
    const parsed = Operation.safeParse(normalized);
    if (!parsed.success) throw invalidSyntax(`Operations[${index}] must be an object with a string 'op'.`);
    const op = parsed.data.op.toLowerCase();
    if (op !== 'add' && op !== 'remove' && op !== 'replace') {
      throw invalidSyntax(`Operations[${index}].op must be "add", "remove" or "replace"; got ${JSON.stringify(parsed.data.op)}.`);
    }
    const rawPath = parsed.data.path?.trim();
    if (op !== 'remove' && parsed.data.value === undefined) {
      throw invalidValue(`Operations[${index}] (${op}) needs a 'value'.`);
    }
    if (op === 'remove' && !rawPath) throw noTarget(`Operations[${index}] (remove) needs a 'path'.`);
    return {
      op,
      ...(rawPath ? { path: parsePatchPath(type, rawPath, filterLimits), rawPath } : {}),
      value: parsed.data.value,
    };
  });
}

export function parsePatchPath(type: ResourceType, path: string, filterLimits?: FilterLimits): PatchPath {
  const open = path.indexOf('[');
  if (open >= 0) {
    const close = path.lastIndexOf(']');
    if (close < open) throw invalidPath(`Unbalanced brackets in path '${path}'.`);
    const ref = resolveAttributePath(type, path.slice(0, open));
    if (!ref || ref.subAttribute || !ref.attribute.multiValued || ref.attribute.type !== 'complex') {
      throw invalidPath(`'${path.slice(0, open)}' is not a multi-valued complex attribute.`);
    }
    const filter = parseValueFilter(type, ref, path.slice(open + 1, close), filterLimits);
    const rest = path.slice(close + 1);
    if (rest === '') return { kind: 'attribute', ref, filter };
    if (!rest.startsWith('.')) throw invalidPath(`Unexpected '${rest}' after the value filter in '${path}'.`);
    const sub = findAttribute(ref.attribute.subAttributes ?? [], rest.slice(1));
    if (!sub) throw invalidPath(`'${rest.slice(1)}' is not a sub-attribute of '${ref.attribute.name}'.`);
    return { kind: 'attribute', ref, filter, filteredSub: sub };
  }
  const split = splitUrn(type, path);
  if (split && split.rest === '' && split.schema !== type.schema) return { kind: 'extension', schema: split.schema.id };
  const ref = resolveAttributePath(type, path);
  if (!ref) {
    if (split && split.schema !== type.schema) return { kind: 'undeclared', schema: split.schema.id, name: split.rest.split('.')[0] ?? split.rest };
    throw invalidPath(`Unknown attribute path '${path}'.`);
  }
  return { kind: 'attribute', ref };
}

type UndeclaredSink = (urn: string, name: string) => void;

/** Applies PATCH operations to a user's data (RFC 7644 §3.5.2), returning new data. */
export function applyResourcePatch(
  type: ResourceType,
  data: ResourceData,
  operations: readonly PatchOperation[],
  onUndeclared: UndeclaredSink = () => undefined,
): ResourceData {
  const doc = cloneJson(data);
  for (const operation of operations) {
    const { op, path, value } = operation;
    if (!path) {
      if (!isPlainObject(value)) throw invalidValue(`A ${op} without 'path' needs an object 'value'.`);
      applyObject(type, doc, op, value, onUndeclared);
    } else if (path.kind === 'undeclared') {
      onUndeclared(path.schema, path.name);
    } else if (path.kind === 'extension') {
      if (op === 'remove') delete doc[path.schema];
      else {
        if (!isPlainObject(value)) throw invalidValue(`The value for '${path.schema}' must be an object.`);
        applyObject(type, doc, op, { [path.schema]: value }, onUndeclared);
      }
    } else if (path.filter) {
      applyFiltered(doc, op, path.ref, path.filter, path.filteredSub, value, operation.rawPath ?? '');
    } else {
      applyAttribute(doc, op, path.ref, value, false);
    }
  }
  pruneEmpty(type, doc);
  for (const attribute of type.schema.attributes) {
    if (attribute.required && doc[attribute.name] === undefined) {
      throw invalidValue(`Attribute '${attribute.name}' is required and cannot be removed.`);
    }
  }
  return doc;
}

/** Path-less add/replace: each key of the value is a path of its own (Okta's deactivate form, docs/okta-scim-behavior.md §7). */
function applyObject(type: ResourceType, doc: JsonObject, op: 'add' | 'replace' | 'remove', value: JsonObject, onUndeclared: UndeclaredSink): void {
  for (const [key, v] of Object.entries(value)) {
    if (/^urn:/i.test(key)) {
      const split = splitUrn(type, key);
      if (split && split.rest === '') {
        if (split.schema === type.schema) {
          if (isPlainObject(v)) applyObject(type, doc, op, v, onUndeclared);
          continue;
        }
        if (!isPlainObject(v)) throw invalidValue(`The value for '${split.schema.id}' must be an object.`);
        for (const [subKey, subValue] of Object.entries(v)) {
          const ref = resolveAttributePath(type, `${split.schema.id}:${subKey}`);
          if (ref) applyAttribute(doc, op, ref, subValue, true);
          else onUndeclared(split.schema.id, subKey);
        }
        continue;
      }
      if (split) {
        const ref = resolveAttributePath(type, key);
        if (ref) applyAttribute(doc, op, ref, v, true);
        else if (split.schema !== type.schema) onUndeclared(split.schema.id, split.rest.split('.')[0] ?? split.rest);
        continue;
      }
      continue; // unknown or tolerated extension URN: ignored like in POST/PUT
    }
    if (key.toLowerCase() === 'schemas') continue;
    const ref = resolveAttributePath(type, key);
    if (!ref) continue;
    applyAttribute(doc, op, ref, v, true);
  }
}

function containerFor(doc: JsonObject, ref: AttributeRef, create: boolean): JsonObject | undefined {
  if (!ref.inExtension) return doc;
  const existing = doc[ref.schema];
  if (isPlainObject(existing)) return existing;
  if (!create) return undefined;
  const created: JsonObject = {};
  doc[ref.schema] = created;
  return created;
}

/** `lenient`: path-less values echo read-only attributes (Okta sends `id` in group renames); skip them. */
function applyAttribute(doc: JsonObject, op: 'add' | 'replace' | 'remove', ref: AttributeRef, value: unknown, lenient: boolean): void {
  const attribute = ref.attribute;
  if (attribute.mutability === 'writeOnly') return; // password sync: accepted, never stored
  if (attribute.mutability === 'readOnly' || attribute.name === 'id') {
    if (lenient) return;
    throw mutability(`Attribute '${attribute.name}' is read-only.`);
  }
  const container = containerFor(doc, ref, op !== 'remove');
  if (!container) return;
  const name = attribute.name;

  if (ref.subAttribute) {
    const sub = ref.subAttribute;
    const normalized = op === 'remove' ? undefined : normalizeValue(sub, value, `${name}.${sub.name}`);
    const target = container[name];
    const elements = attribute.multiValued ? (Array.isArray(target) ? (target as JsonObject[]) : []) : undefined;
    if (elements) {
      for (const element of elements) setOrDelete(element, sub.name, normalized);
      return;
    }
    if (normalized === undefined) {
      if (isPlainObject(target)) delete target[sub.name];
      return;
    }
    const object = isPlainObject(target) ? target : (container[name] = {} as JsonObject);
    (object as JsonObject)[sub.name] = normalized;
    return;
  }

  if (op === 'remove') {
    // RFC 7644 §3.5.2.2: removing a required attribute is a mutability error.
    if (attribute.required && !ref.inExtension) throw mutability(`Attribute '${name}' is required; it cannot be removed.`);
    if (attribute.multiValued && Array.isArray(value) && Array.isArray(container[name])) {
      // Remove specific values (Entra's form): elements equal by `value`.
      const drop = new Set(value.map((v) => (isPlainObject(v) ? v.value : v)));
      container[name] = (container[name] as JsonObject[]).filter((e) => !drop.has(isPlainObject(e) ? e.value : e));
      return;
    }
    delete container[name];
    return;
  }

  const normalized = normalizeValue(attribute, value, name);
  if (normalized === undefined) {
    delete container[name];
    return;
  }
  if (attribute.multiValued) {
    const incoming = normalized as unknown[];
    const existing = op === 'add' && Array.isArray(container[name]) ? (container[name] as unknown[]) : [];
    const merged = [...existing];
    for (const item of incoming) if (!merged.some((e) => isDeepStrictEqual(e, item))) merged.push(item);
    container[name] = enforceSinglePrimary(merged, incoming);
    return;
  }
  if (attribute.type === 'complex' && isPlainObject(container[name])) {
    // RFC 7644 §3.5.2.1/3: sub-attributes not given are left as they are.
    container[name] = { ...(container[name] as JsonObject), ...(normalized as JsonObject) };
    return;
  }
  container[name] = normalized;
}

function setOrDelete(object: JsonObject, key: string, value: unknown): void {
  if (value === undefined) delete object[key];
  else object[key] = value;
}

/** RFC 7643 §2.4: at most one `primary: true`; the newest one wins. */
function enforceSinglePrimary(values: unknown[], incoming: readonly unknown[]): unknown[] {
  const isPrimary = (v: unknown) => isPlainObject(v) && v.primary === true;
  const newPrimary = [...incoming].reverse().find(isPrimary);
  // The element to keep, found in `values` by content: an incoming duplicate was not appended twice.
  let keepIndex = newPrimary === undefined ? -1 : values.findLastIndex((v) => v === newPrimary || isDeepStrictEqual(v, newPrimary));
  if (keepIndex < 0) keepIndex = values.findLastIndex(isPrimary);
  if (keepIndex < 0) return values;
  return values.map((v, i) => (i !== keepIndex && isPrimary(v) ? { ...(v as JsonObject), primary: false } : v));
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

function applyFiltered(
  doc: JsonObject,
  op: 'add' | 'replace' | 'remove',
  ref: AttributeRef,
  filter: ResolvedFilter,
  sub: AttributeDefinition | undefined,
  value: unknown,
  rawPath: string,
): void {
  const attribute = ref.attribute;
  if (attribute.mutability === 'readOnly') throw mutability(`Attribute '${attribute.name}' is read-only.`);
  const container = containerFor(doc, ref, op !== 'remove');
  if (!container) return;
  const elements = Array.isArray(container[attribute.name]) ? (container[attribute.name] as JsonObject[]) : [];
  const matched = elements.filter((e) => isPlainObject(e) && matchesElement(filter, e));

  if (op === 'remove') {
    if (sub) matched.forEach((e) => delete e[sub.name]);
    else container[attribute.name] = elements.filter((e) => !matched.includes(e));
    return;
  }

  const path = sub ? `${attribute.name}.${sub.name}` : attribute.name;
  if (matched.length === 0) {
    // `emails[type eq "work"].value` on a user without a work email: create the element the filter describes.
    const seed = equalities(filter);
    if (!seed) throw noTarget(`No value of '${attribute.name}' matches '${rawPath}'.`);
    const element = sub ? { ...seed, [sub.name]: value } : isPlainObject(value) ? { ...seed, ...value } : undefined;
    if (!element) throw invalidValue(`The value for '${rawPath}' must be an object.`);
    const normalized = normalizeValue(attribute, [element], attribute.name) as unknown[] | undefined;
    if (normalized) container[attribute.name] = enforceSinglePrimary([...elements, ...normalized], normalized);
    return;
  }
  if (sub) {
    const normalized = normalizeValue(sub, value, path);
    matched.forEach((e) => setOrDelete(e, sub.name, normalized));
    if (sub.name === 'primary' && normalized === true) container[attribute.name] = enforceSinglePrimary(elements, [matched[matched.length - 1]]);
    return;
  }
  if (!isPlainObject(value)) throw invalidValue(`The value for '${rawPath}' must be an object.`);
  const normalized = (normalizeValue(attribute, [value], attribute.name) as JsonObject[] | undefined)?.[0] ?? {};
  const replaced = elements.map((e) => (matched.includes(e) ? (op === 'replace' ? normalized : { ...e, ...normalized }) : e));
  container[attribute.name] = enforceSinglePrimary(replaced, normalized.primary === true ? [normalized] : []);
}

function pruneEmpty(type: ResourceType, doc: JsonObject): void {
  for (const [key, value] of Object.entries(doc)) {
    if (Array.isArray(value)) {
      const kept = value.filter((v) => !(isPlainObject(v) && Object.keys(v).length === 0));
      if (kept.length === 0) delete doc[key];
      else doc[key] = kept;
    } else if (isPlainObject(value)) {
      if (type.extensions.some((e) => e.id === key)) pruneEmpty(type, value);
      if (Object.keys(value).length === 0) delete doc[key];
    }
  }
}

/**
 * Translates a group PATCH into data changes plus set-based membership changes, so that member lists
 * are never loaded, modified and saved whole (docs/okta-scim-behavior.md §11.4).
 */
export function planGroupPatch(type: ResourceType, data: ResourceData, operations: readonly PatchOperation[]): GroupChange[] {
  const membership: GroupChange[] = [];
  const attributeOps: PatchOperation[] = [];
  for (const operation of operations) {
    const { op, path, value } = operation;
    if (!path) {
      if (!isPlainObject(value)) throw invalidValue(`A ${op} without 'path' needs an object 'value'.`);
      const rest: JsonObject = {};
      for (const [key, v] of Object.entries(value)) {
        if (key.toLowerCase() === 'members') {
          const ids = memberIds(v, 'members');
          membership.push(op === 'replace' ? { kind: 'replaceMembers', ids } : { kind: 'addMembers', ids });
        } else rest[key] = v;
      }
      if (Object.keys(rest).length > 0) attributeOps.push({ op, value: rest });
      continue;
    }
    if (path.kind === 'attribute' && path.ref.attribute.name === 'members' && !path.ref.inExtension) {
      membership.push(memberChange(operation, path));
      continue;
    }
    attributeOps.push(operation);
  }
  const changes: GroupChange[] = [];
  if (attributeOps.length > 0) changes.push({ kind: 'setData', data: applyResourcePatch(type, data, attributeOps) });
  return [...changes, ...membership];
}

function memberChange(operation: PatchOperation, path: Extract<PatchPath, { kind: 'attribute' }>): GroupChange {
  if (path.ref.subAttribute || path.filteredSub) throw invalidPath(`Member sub-attributes cannot be modified; add or remove members instead.`);
  if (path.filter) {
    if (operation.op !== 'remove') throw invalidPath(`'${operation.rawPath}': use "remove" with a member filter, or "add"/"replace" on "members".`);
    return { kind: 'removeMembers', ids: valueEqualities(path.filter) };
  }
  switch (operation.op) {
    case 'add':
      return { kind: 'addMembers', ids: memberIds(operation.value, 'members') };
    case 'replace':
      return { kind: 'replaceMembers', ids: memberIds(operation.value, 'members') };
    case 'remove':
      return operation.value === undefined || operation.value === null
        ? { kind: 'removeAllMembers' }
        : { kind: 'removeMembers', ids: memberIds(operation.value, 'members') };
  }
}

/** `members[value eq "a"]`, `members[value eq "a" or value eq "b"]` → ["a", "b"]. */
function valueEqualities(filter: ResolvedFilter): string[] {
  if (filter.kind === 'compare' && filter.op === 'eq' && filter.attr.subAttribute?.name === 'value' && typeof filter.value === 'string') {
    return [filter.value];
  }
  if (filter.kind === 'or') return filter.filters.flatMap(valueEqualities);
  throw invalidFilter(`Member filters must select by value, e.g. members[value eq "<user id>"].`);
}

function memberIds(value: unknown, path: string): string[] {
  if (value === null || value === undefined) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item, i) => {
    const id = isPlainObject(item) ? member(item, 'value') : undefined;
    if (typeof id !== 'string' || id === '') throw invalidValue(`'${path}[${i}].value' must be a non-empty string (a user id).`);
    return id;
  });
}
