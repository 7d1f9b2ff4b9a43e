import type { AttributeDefinition, SchemaDefinition } from './schema-definitions';
import {
  ENTERPRISE_USER_SCHEMA_DEFINITION,
  EXTERNAL_ID_ATTRIBUTE,
  GROUP_SCHEMA_DEFINITION,
  ID_ATTRIBUTE,
  META_ATTRIBUTE,
  USER_SCHEMA_DEFINITION,
  findAttribute,
} from './schema-definitions';
import { OKTA_GROUP_EXTENSION } from './urns';

export type ResourceKind = 'User' | 'Group';

/** A SCIM resource type: its core schema, its extensions, and the attributes common to every resource. */
export interface ResourceType {
  readonly kind: ResourceKind;
  readonly endpoint: '/Users' | '/Groups';
  readonly description: string;
  readonly schema: SchemaDefinition;
  readonly extensions: readonly SchemaDefinition[];
  /** URNs a client may list in `schemas` (or send as top-level keys) that we accept and ignore. */
  readonly toleratedUrns: readonly string[];
}

/** Attributes that live outside any schema's attribute list (RFC 7643 §3.1). */
export const COMMON_ATTRIBUTES: readonly AttributeDefinition[] = [ID_ATTRIBUTE, EXTERNAL_ID_ATTRIBUTE, META_ATTRIBUTE];

/**
 * Where the receiver's schemas come from. Static today; an implementation can return extensions
 * that change at run time (the custom-attribute registry) without the SCIM layer caring.
 */
export interface SchemaCatalog {
  resourceType(kind: ResourceKind): ResourceType;
  resourceTypes(): ResourceType[];
}

export const USER_RESOURCE_TYPE: ResourceType = {
  kind: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: USER_SCHEMA_DEFINITION,
  extensions: [ENTERPRISE_USER_SCHEMA_DEFINITION],
  toleratedUrns: [],
};

export const GROUP_RESOURCE_TYPE: ResourceType = {
  kind: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: GROUP_SCHEMA_DEFINITION,
  extensions: [],
  toleratedUrns: [OKTA_GROUP_EXTENSION],
};

/** A resolved reference to an attribute (and optionally one of its sub-attributes) of a resource type. */
export interface AttributeRef {
  /** URN of the schema that defines the attribute (the core schema for common attributes). */
  readonly schema: string;
  /** True when the attribute lives in an extension, i.e. under the extension's URN key. */
  readonly inExtension: boolean;
  readonly attribute: AttributeDefinition;
  readonly subAttribute?: AttributeDefinition;
}

export function leafOf(ref: AttributeRef): AttributeDefinition {
  return ref.subAttribute ?? ref.attribute;
}

export function allSchemas(type: ResourceType): SchemaDefinition[] {
  return [type.schema, ...type.extensions];
}

/** Finds the schema whose URN prefixes `path` (case-insensitively), returning it and the rest of the path. */
export function splitUrn(type: ResourceType, path: string): { schema: SchemaDefinition; rest: string } | undefined {
  if (!/^urn:/i.test(path)) return undefined;
  const lower = path.toLowerCase();
  // Longest first, so that an extension URN which extends the core URN's text still wins.
  const candidates = allSchemas(type).sort((a, b) => b.id.length - a.id.length);
  for (const schema of candidates) {
    const id = schema.id.toLowerCase();
    if (lower === id) return { schema, rest: '' };
    if (lower.startsWith(`${id}:`)) return { schema, rest: path.slice(id.length + 1) };
  }
  return undefined;
}

export function findExtension(type: ResourceType, urn: string): SchemaDefinition | undefined {
  const lower = urn.toLowerCase();
  return type.extensions.find((e) => e.id.toLowerCase() === lower);
}

export function isToleratedUrn(type: ResourceType, urn: string): boolean {
  const lower = urn.toLowerCase();
  return type.toleratedUrns.some((u) => u.toLowerCase() === lower);
}

/**
 * Resolves an attribute path such as `userName`, `name.givenName`, `emails.value`,
 * `urn:...:enterprise:2.0:User:manager.value` or `meta.lastModified`, case-insensitively.
 * Returns undefined when the path names no defined attribute.
 */
export function resolveAttributePath(type: ResourceType, path: string): AttributeRef | undefined {
  let schema: SchemaDefinition = type.schema;
  let rest = path;
  const split = splitUrn(type, path);
  if (split) {
    schema = split.schema;
    rest = split.rest;
  } else if (/^urn:/i.test(path)) {
    return undefined;
  }
  if (rest === '') return undefined;
  const [name, subName, ...extra] = rest.split('.');
  if (name === undefined || extra.length > 0) return undefined;
  const inExtension = schema !== type.schema;
  const attribute =
    findAttribute(schema.attributes, name) ?? (inExtension ? undefined : findAttribute(COMMON_ATTRIBUTES, name));
  if (!attribute) return undefined;
  if (subName === undefined) return { schema: schema.id, inExtension, attribute };
  const subAttribute = attribute.subAttributes ? findAttribute(attribute.subAttributes, subName) : undefined;
  if (!subAttribute) return undefined;
  return { schema: schema.id, inExtension, attribute, subAttribute };
}
