import type { JsonObject } from './attribute-values';
import { isPlainObject } from './attribute-values';
import { invalidValue } from './errors';
import type { ValueLimits } from './limits';
import type { ResourceType } from '../schema/resource-types';
import { COMMON_ATTRIBUTES, findExtension } from '../schema/resource-types';
import type { AttributeDefinition } from '../schema/schema-definitions';
import { findAttribute } from '../schema/schema-definitions';

/** Attributes Okta uses to identify and address a resource: held to the (smaller) identifier limit. */
const IDENTIFIERS: ReadonlySet<string> = new Set(['userName', 'externalId', 'emails.value', 'displayName@Group']);

function isIdentifier(type: ResourceType, path: string): boolean {
  return IDENTIFIERS.has(path) || (type.kind === 'Group' && IDENTIFIERS.has(`${path}@Group`));
}

/**
 * Refuses values larger than the limits (400 invalidValue naming the attribute, the size and the
 * setting): every stored value is later read, rendered and sent back in lists, so one oversized value
 * would cost every page it appears on. `data` is normalized resource data (members excluded).
 */
export function checkValueLimits(type: ResourceType, data: JsonObject, limits: ValueLimits): void {
  const core = [...type.schema.attributes, ...COMMON_ATTRIBUTES];
  for (const [key, value] of Object.entries(data)) {
    const extension = /^urn:/i.test(key) ? findExtension(type, key) : undefined;
    if (extension) {
      if (isPlainObject(value)) checkObject(type, extension.attributes, value, `${extension.id}:`, '', limits);
      continue;
    }
    const definition = findAttribute(core, key);
    if (definition) checkAttribute(type, definition, value, key, definition.name, limits);
  }
  // After the per-attribute checks, which name the attribute at fault.
  const bytes = Buffer.byteLength(JSON.stringify(data));
  if (bytes > limits.maxResourceBytes) {
    throw invalidValue(`The ${type.kind} is ${bytes} bytes once stored; the limit is ${limits.maxResourceBytes} (SCIM_MAX_RESOURCE_BYTES).`);
  }
}

function checkObject(type: ResourceType, definitions: readonly AttributeDefinition[], object: JsonObject, prefix: string, parent: string, limits: ValueLimits): void {
  for (const [key, value] of Object.entries(object)) {
    const definition = findAttribute(definitions, key);
    if (!definition) continue;
    const name = parent ? `${parent}.${definition.name}` : definition.name;
    checkAttribute(type, definition, value, `${prefix}${name}`, prefix ? `${prefix}${name}` : name, limits);
  }
}

function checkAttribute(type: ResourceType, definition: AttributeDefinition, value: unknown, shown: string, path: string, limits: ValueLimits): void {
  if (Array.isArray(value)) {
    if (value.length > limits.maxValues) {
      throw invalidValue(`Attribute '${shown}' has ${value.length} values; the limit is ${limits.maxValues} (SCIM_MAX_VALUES).`);
    }
    value.forEach((item, index) => checkSingle(type, definition, item, `${shown}[${index}]`, path, limits));
    return;
  }
  checkSingle(type, definition, value, shown, path, limits);
}

function checkSingle(type: ResourceType, definition: AttributeDefinition, value: unknown, shown: string, path: string, limits: ValueLimits): void {
  if (typeof value === 'string') {
    const identifier = isIdentifier(type, path);
    const max = identifier ? limits.maxIdentifierLength : limits.maxStringLength;
    if (value.length > max) {
      const setting = identifier ? 'SCIM_MAX_IDENTIFIER_LENGTH' : 'SCIM_MAX_STRING_LENGTH';
      throw invalidValue(`Attribute '${shown}' is ${value.length} characters long; the limit is ${max} (${setting}).`);
    }
    return;
  }
  if (isPlainObject(value) && definition.subAttributes) {
    for (const [key, sub] of Object.entries(value)) {
      const subDefinition = findAttribute(definition.subAttributes, key);
      if (subDefinition) checkSingle(type, subDefinition, sub, `${shown}.${subDefinition.name}`, `${path}.${subDefinition.name}`, limits);
    }
  }
}
