import type { ResourceType } from '../../schema/resource-types';
import { resolveAttributePath, splitUrn } from '../../schema/resource-types';
import type { ResourceData } from '../../store/types';
import type { JsonObject } from '../attribute-values';
import { cloneJson, isPlainObject } from '../attribute-values';
import { invalidValue } from '../errors';
import { applyAttribute } from './attribute';
import { applyFiltered } from './filtered';
import type { PatchOp, PatchOperation } from './parse';

export type UndeclaredSink = (urn: string, name: string) => void;

/** Applies PATCH operations to a resource's data (RFC 7644 §3.5.2), returning new data. */
export function applyResourcePatch(
  type: ResourceType,
  data: ResourceData,
  operations: readonly PatchOperation[],
  onUndeclared: UndeclaredSink = () => undefined,
): ResourceData {
  const doc = cloneJson(data);
  for (const operation of operations) applyOperation(type, doc, operation, onUndeclared);
  pruneEmpty(type, doc);
  for (const attribute of type.schema.attributes) {
    if (attribute.required && doc[attribute.name] === undefined) {
      throw invalidValue(`Attribute '${attribute.name}' is required and cannot be removed.`);
    }
  }
  return doc;
}

function applyOperation(type: ResourceType, doc: JsonObject, operation: PatchOperation, onUndeclared: UndeclaredSink): void {
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
    applyFiltered(doc, op, { ...path, filter: path.filter }, value, operation.rawPath ?? '');
  } else {
    applyAttribute(doc, op, path.ref, value, false);
  }
}

/** Path-less add/replace: each key of the value is a path of its own (Okta's deactivate form, docs/okta-scim-behavior.md §7). */
function applyObject(type: ResourceType, doc: JsonObject, op: PatchOp, value: JsonObject, onUndeclared: UndeclaredSink): void {
  for (const [key, v] of Object.entries(value)) {
    if (/^urn:/i.test(key)) {
      applyUrnKey(type, doc, op, key, v, onUndeclared);
      continue;
    }
    if (key.toLowerCase() === 'schemas') continue;
    const ref = resolveAttributePath(type, key);
    if (!ref) continue;
    applyAttribute(doc, op, ref, v, true);
  }
}

/** A path-less key that is a URN: a whole schema's object, or one of its attributes written out in full. */
function applyUrnKey(type: ResourceType, doc: JsonObject, op: PatchOp, key: string, v: unknown, onUndeclared: UndeclaredSink): void {
  const split = splitUrn(type, key);
  if (!split) return; // unknown or tolerated extension URN: ignored like in POST/PUT
  if (split.rest !== '') {
    const ref = resolveAttributePath(type, key);
    if (ref) applyAttribute(doc, op, ref, v, true);
    else if (split.schema !== type.schema) onUndeclared(split.schema.id, split.rest.split('.')[0] ?? split.rest);
    return;
  }
  if (split.schema === type.schema) {
    if (isPlainObject(v)) applyObject(type, doc, op, v, onUndeclared);
    return;
  }
  if (!isPlainObject(v)) throw invalidValue(`The value for '${split.schema.id}' must be an object.`);
  for (const [subKey, subValue] of Object.entries(v)) {
    const ref = resolveAttributePath(type, `${split.schema.id}:${subKey}`);
    if (ref) applyAttribute(doc, op, ref, subValue, true);
    else onUndeclared(split.schema.id, subKey);
  }
}

/** Drops emptied objects and arrays (and empty elements), so that a removed value leaves nothing behind. */
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
