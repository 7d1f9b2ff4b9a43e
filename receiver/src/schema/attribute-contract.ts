import {
  ENTERPRISE_USER_SCHEMA_DEFINITION,
  EXTERNAL_ID_ATTRIBUTE,
  ID_ATTRIBUTE,
  META_ATTRIBUTE,
  USER_SCHEMA_DEFINITION,
  findAttribute,
} from './schema-definitions';

/**
 * The attribute-name contract, in one place: the receiver's registry (RECEIVER_CONFIG and the admin
 * API) and the infrastructure config (config/schema.ts) both apply it, so a name that synth accepts
 * is a name the receiver starts with. This module depends on nothing but the SCIM schema
 * definitions, so the receiver's container build stays self-contained.
 */

/** Longest custom attribute name. */
export const CUSTOM_ATTRIBUTE_NAME_MAX_LENGTH = 64;

/** RFC 7643 §2.1 ATTRNAME, bounded in length. */
const ATTRIBUTE_NAME = new RegExp(`^[A-Za-z][A-Za-z0-9_-]{0,${CUSTOM_ATTRIBUTE_NAME_MAX_LENGTH - 1}}$`);

/** Simple (string) attributes of the RFC 7643 §4.3 enterprise extension. */
export const ENTERPRISE_SIMPLE_ATTRIBUTE_NAMES: readonly string[] = ENTERPRISE_USER_SCHEMA_DEFINITION.attributes.filter((a) => a.type !== 'complex').map((a) => a.name);

/**
 * Why `name` cannot be a custom attribute, or undefined when it can. Names must not repeat a core or
 * enterprise attribute: `${name}` templates address all three namespaces by bare name.
 */
export function customAttributeNameProblem(name: string): string | undefined {
  if (!ATTRIBUTE_NAME.test(name)) {
    return `must start with a letter and contain only letters, digits, "-" and "_" (at most ${CUSTOM_ATTRIBUTE_NAME_MAX_LENGTH} characters)`;
  }
  const taken = [...USER_SCHEMA_DEFINITION.attributes, ...ENTERPRISE_USER_SCHEMA_DEFINITION.attributes, ID_ATTRIBUTE, EXTERNAL_ID_ATTRIBUTE, META_ATTRIBUTE];
  const clash = findAttribute(taken, name);
  if (clash) return `collides with the standard attribute "${clash.name}"`;
  return undefined;
}

/**
 * Why `name` cannot be sent in the enterprise extension, or undefined when it can: only the simple
 * attributes RFC 7643 §4.3 defines exist there (exact case, as the receiver stores them).
 */
export function enterpriseAttributeNameProblem(name: string): string | undefined {
  if (ENTERPRISE_SIMPLE_ATTRIBUTE_NAMES.includes(name)) return undefined;
  if (name === 'manager') return 'is complex in RFC 7643 §4.3 (manager.value); only simple enterprise attributes can be declared';
  const near = ENTERPRISE_SIMPLE_ATTRIBUTE_NAMES.find((n) => n.toLowerCase() === name.toLowerCase());
  return `is not an attribute of the enterprise extension (RFC 7643 §4.3: ${ENTERPRISE_SIMPLE_ATTRIBUTE_NAMES.join(', ')})${near ? `; did you mean "${near}"?` : ''}`;
}
