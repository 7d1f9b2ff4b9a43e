import type { JsonObject } from './attribute-values';
import { isPlainObject, normalizeAttributes } from './attribute-values';
import { invalidSyntax, invalidValue } from './errors';
import type { ResourceType } from '../schema/resource-types';
import { COMMON_ATTRIBUTES, findExtension, isToleratedUrn } from '../schema/resource-types';

/** The attributes of a resource as stored: core attributes at top level, extensions under their URN. */
export type ResourceData = JsonObject;

/** An attribute sent under a known extension URN that the extension does not declare. */
export interface UndeclaredAttribute {
  readonly urn: string;
  readonly name: string;
}

export interface UnknownUrn {
  readonly urn: string;
  readonly attributes: readonly string[];
}

export interface ParsedResource {
  readonly data: ResourceData;
  /**
   * URNs that name no schema of this resource type, listed in `schemas` or sent as keys (with the
   * attribute names under them); their values are ignored and they are reported for diagnostics.
   */
  readonly unknownUrns: readonly UnknownUrn[];
  /** Ignored rather than fatal (a provisioning client may be configured ahead of the receiver); reported. */
  readonly undeclared: readonly UndeclaredAttribute[];
}

/**
 * Checks the `schemas` member (RFC 7643 §3): present and containing the core schema. Returns the URNs it
 * lists that name no schema of this type: accepted (the Okta app's namespace may differ from the
 * receiver's, and refusing would stop all provisioning) and reported instead.
 */
export function checkSchemas(type: ResourceType, schemas: unknown): string[] {
  if (schemas === undefined) {
    throw invalidValue(`'schemas' is required and must contain "${type.schema.id}".`);
  }
  if (!Array.isArray(schemas) || schemas.some((s) => typeof s !== 'string')) {
    throw invalidValue(`'schemas' must be an array of schema URNs.`);
  }
  const urns = schemas as string[];
  const core = type.schema.id.toLowerCase();
  if (!urns.some((u) => u.toLowerCase() === core)) {
    throw invalidValue(`'schemas' must contain "${type.schema.id}".`);
  }
  return urns.filter((u) => u.toLowerCase() !== core && !findExtension(type, u) && !isToleratedUrn(type, u));
}

/**
 * Validates and canonicalizes a POST/PUT body. Read-only attributes (`id`, `meta`, `groups`) and
 * unknown attributes are ignored rather than rejected: Okta echoes whatever GET returned (docs/okta-scim-behavior.md §6).
 */
export function parseResourceBody(type: ResourceType, body: unknown): ParsedResource {
  if (!isPlainObject(body)) throw invalidSyntax('The request body must be a JSON object.');
  const listed = checkSchemas(type, body.schemas);
  const core: JsonObject = {};
  const extensionValues: JsonObject = {};
  const unknown = new Map<string, UnknownUrn>(listed.map((urn) => [urn.toLowerCase(), { urn, attributes: [] }]));
  const undeclared: UndeclaredAttribute[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (key.toLowerCase() === 'schemas') continue;
    if (/^urn:/i.test(key)) {
      const extension = findExtension(type, key);
      if (extension) {
        if (value === null) continue;
        if (!isPlainObject(value)) throw invalidValue(`'${extension.id}' must be an object of attributes.`);
        const normalized = normalizeAttributes(extension.attributes, value, extension.id, {
          dropReadOnly: true,
          onUnknown: (name) => undeclared.push({ urn: extension.id, name }),
        });
        if (Object.keys(normalized).length > 0) extensionValues[extension.id] = normalized;
      } else if (!isToleratedUrn(type, key)) {
        unknown.set(key.toLowerCase(), { urn: key, attributes: isPlainObject(value) ? Object.keys(value).slice(0, 50) : [] });
      }
      continue;
    }
    core[key] = value;
  }
  const data = normalizeAttributes([...type.schema.attributes, ...COMMON_ATTRIBUTES], core, '', { dropReadOnly: true });
  for (const attribute of type.schema.attributes) {
    if (attribute.required && data[attribute.name] === undefined) {
      throw invalidValue(`Attribute '${attribute.name}' is required.`);
    }
  }
  return { data: { ...data, ...extensionValues }, unknownUrns: [...unknown.values()], undeclared };
}

/** Schemas to list in a representation: the core one plus every extension that has a value. */
export function schemasOf(type: ResourceType, data: ResourceData): string[] {
  return [type.schema.id, ...type.extensions.filter((e) => data[e.id] !== undefined).map((e) => e.id)];
}
