import { isDeepStrictEqual } from 'node:util';
import type { AttributeRef } from '../../schema/resource-types';
import type { JsonObject } from '../attribute-values';
import { isPlainObject, normalizeValue } from '../attribute-values';
import { mutability } from '../errors';
import type { PatchOp } from './parse';

/** The object an attribute lives in: the document itself, or its extension's object (created on demand). */
export function containerFor(doc: JsonObject, ref: AttributeRef, create: boolean): JsonObject | undefined {
  if (!ref.inExtension) return doc;
  const existing = doc[ref.schema];
  if (isPlainObject(existing)) return existing;
  if (!create) return undefined;
  const created: JsonObject = {};
  doc[ref.schema] = created;
  return created;
}

/**
 * Applies one operation to an attribute path without a value filter (`title`, `name.givenName`, `emails`).
 * `lenient`: path-less values echo read-only attributes (Okta sends `id` in group renames); skip them.
 */
export function applyAttribute(doc: JsonObject, op: PatchOp, ref: AttributeRef, value: unknown, lenient: boolean): void {
  const attribute = ref.attribute;
  if (attribute.mutability === 'writeOnly') return; // password sync: accepted, never stored
  if (attribute.mutability === 'readOnly' || attribute.name === 'id') {
    if (lenient) return;
    throw mutability(`Attribute '${attribute.name}' is read-only.`);
  }
  const container = containerFor(doc, ref, op !== 'remove');
  if (!container) return;
  if (ref.subAttribute) applySubAttribute(container, op, ref, value);
  else if (op === 'remove') removeAttribute(container, ref, value);
  else setAttribute(container, op, ref, value);
}

/** `name.givenName`, or `emails.type` (which sets or removes that sub-attribute on every element). */
function applySubAttribute(container: JsonObject, op: PatchOp, ref: AttributeRef, value: unknown): void {
  const name = ref.attribute.name;
  const sub = ref.subAttribute!;
  const normalized = op === 'remove' ? undefined : normalizeValue(sub, value, `${name}.${sub.name}`);
  const target = container[name];
  if (ref.attribute.multiValued) {
    const elements = Array.isArray(target) ? (target as JsonObject[]) : [];
    for (const element of elements) setOrDelete(element, sub.name, normalized);
    return;
  }
  if (normalized === undefined) {
    if (isPlainObject(target)) delete target[sub.name];
    return;
  }
  const object = isPlainObject(target) ? target : (container[name] = {} as JsonObject);
  (object as JsonObject)[sub.name] = normalized;
}

function removeAttribute(container: JsonObject, ref: AttributeRef, value: unknown): void {
  const { attribute } = ref;
  const name = attribute.name;
  // RFC 7644 §3.5.2.2: removing a required attribute is a mutability error.
  if (attribute.required && !ref.inExtension) throw mutability(`Attribute '${name}' is required; it cannot be removed.`);
  if (attribute.multiValued && Array.isArray(value) && Array.isArray(container[name])) {
    // Remove specific values (Entra's form): elements equal by `value`.
    const drop = new Set(value.map((v) => (isPlainObject(v) ? v.value : v)));
    container[name] = (container[name] as JsonObject[]).filter((e) => !drop.has(isPlainObject(e) ? e.value : e));
    return;
  }
  delete container[name];
}

function setAttribute(container: JsonObject, op: PatchOp, ref: AttributeRef, value: unknown): void {
  const { attribute } = ref;
  const name = attribute.name;
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

export function setOrDelete(object: JsonObject, key: string, value: unknown): void {
  if (value === undefined) delete object[key];
  else object[key] = value;
}

/** RFC 7643 §2.4: at most one `primary: true`; the newest one wins. */
export function enforceSinglePrimary(values: unknown[], incoming: readonly unknown[]): unknown[] {
  const isPrimary = (v: unknown) => isPlainObject(v) && v.primary === true;
  const newPrimary = [...incoming].reverse().find(isPrimary);
  // The element to keep, found in `values` by content: an incoming duplicate was not appended twice.
  let keepIndex = newPrimary === undefined ? -1 : values.findLastIndex((v) => v === newPrimary || isDeepStrictEqual(v, newPrimary));
  if (keepIndex < 0) keepIndex = values.findLastIndex(isPrimary);
  if (keepIndex < 0) return values;
  return values.map((v, i) => (i !== keepIndex && isPrimary(v) ? { ...(v as JsonObject), primary: false } : v));
}
