import type { AttributeDefinition } from '../schema/schema-definitions';
import { findAttribute } from '../schema/schema-definitions';
import { invalidValue } from './errors';
import { dateTimeInstant } from '../time/date-time';

export type JsonObject = Record<string, unknown>;

/** Deep copy of JSON data (stored resources are JSON by construction). */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The element of a multi-valued complex attribute that stands for it: the one marked primary, else the
 * first (RFC 7643 §2.4). The one rule for "the user's e-mail" (invitations, the admin views, templates).
 */
export function primaryElement(value: unknown): JsonObject | undefined {
  if (!Array.isArray(value)) return undefined;
  const elements = value.filter(isPlainObject);
  return elements.find((e) => e.primary === true) ?? elements[0];
}

/** Okta and Entra variants: real booleans, or "True"/"false" strings (Entra's quirk; accepted defensively). */
export function coerceBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return undefined;
}


/**
 * Validates one attribute value against its definition and returns it in canonical form
 * (canonical sub-attribute names, booleans as booleans), or undefined when the value is empty:
 * Okta pushes emptied values as `""`, `null` or by omission (docs/okta-scim-behavior.md §6), all meaning "no value".
 * Read-only and write-only sub-attributes are dropped.
 */
export function normalizeValue(definition: AttributeDefinition, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  if (definition.multiValued) {
    const items = Array.isArray(value) ? value : [value];
    const out: unknown[] = [];
    items.forEach((item, index) => {
      const normalized = normalizeSingle(definition, item, `${path}[${index}]`);
      if (normalized !== undefined) out.push(normalized);
    });
    return out.length > 0 ? out : undefined;
  }
  if (Array.isArray(value)) {
    throw invalidValue(`Attribute '${path}' is single-valued; an array was given.`);
  }
  return normalizeSingle(definition, value, path);
}

function normalizeSingle(definition: AttributeDefinition, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  switch (definition.type) {
    case 'complex': {
      if (!isPlainObject(value)) throw invalidValue(`Attribute '${path}' must be an object.`);
      const out = normalizeAttributes(definition.subAttributes ?? [], value, path, { dropReadOnly: false });
      return Object.keys(out).length > 0 ? out : undefined;
    }
    case 'boolean': {
      const b = coerceBoolean(value);
      if (b === undefined) throw invalidValue(`Attribute '${path}' must be a boolean.`);
      return b;
    }
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidValue(`Attribute '${path}' must be an integer.`);
      return value;
    case 'decimal':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw invalidValue(`Attribute '${path}' must be a number.`);
      return value;
    case 'dateTime':
      if (value === '') return undefined;
      // The one xsd:dateTime rule filters compare by (time/date-time.ts): a value stored is a value found.
      if (typeof value !== 'string' || dateTimeInstant(value) === undefined) {
        throw invalidValue(`Attribute '${path}' must be an xsd:dateTime string such as 2024-05-01T12:00:00Z.`);
      }
      return value;
    case 'string':
    case 'reference':
    case 'binary':
      if (typeof value !== 'string') throw invalidValue(`Attribute '${path}' must be a string.`);
      return value === '' ? undefined : value;
  }
}

export interface NormalizeOptions {
  /** Drop readOnly attributes (id, meta, groups…) silently: Okta echoes them back in PUT bodies. */
  readonly dropReadOnly: boolean;
  /** Called for keys that match no definition (unknown attributes are ignored, not rejected). */
  readonly onUnknown?: (key: string) => void;
}

/** Normalizes an object of attributes; keys are matched case-insensitively (RFC 7643 §2.1). */
export function normalizeAttributes(
  definitions: readonly AttributeDefinition[],
  input: JsonObject,
  pathPrefix: string,
  options: NormalizeOptions,
): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(input)) {
    const definition = findAttribute(definitions, key);
    if (!definition) {
      options.onUnknown?.(key);
      continue;
    }
    if (definition.mutability === 'writeOnly') continue;
    if (definition.mutability === 'readOnly' && options.dropReadOnly) continue;
    const path = pathPrefix ? `${pathPrefix}.${definition.name}` : definition.name;
    const normalized = normalizeValue(definition, value, path);
    if (normalized !== undefined) out[definition.name] = normalized;
  }
  return out;
}
