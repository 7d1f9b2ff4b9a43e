import type { ResourceKind, ResourceType, SchemaCatalog } from '../scim/resource-types';
import { COMMON_ATTRIBUTES, GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../scim/resource-types';
import type { AttributeDefinition, SchemaDefinition } from '../scim/schema-definitions';
import { ENTERPRISE_USER_SCHEMA_DEFINITION, USER_SCHEMA_DEFINITION, findAttribute } from '../scim/schema-definitions';
import type { AttributeDefinitionRecord } from '../store/types';

export const DEFAULT_EXTENSION_URN = 'urn:ietf:params:scim:schemas:extension:custom:2.0:User';

/** RFC 7643 §2.1 ATTRNAME, bounded in length. */
const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/**
 * Why `name` cannot be a custom attribute, or undefined when it can. Names must not repeat a core or
 * enterprise attribute: `${name}` templates address all three namespaces by bare name.
 */
export function customAttributeNameProblem(name: string): string | undefined {
  if (!ATTRIBUTE_NAME.test(name)) {
    return 'must start with a letter and contain only letters, digits, "-" and "_" (at most 64 characters)';
  }
  const taken = [...USER_SCHEMA_DEFINITION.attributes, ...ENTERPRISE_USER_SCHEMA_DEFINITION.attributes, ...COMMON_ATTRIBUTES];
  const clash = findAttribute(taken, name);
  if (clash) return `collides with the standard attribute "${clash.name}"`;
  return undefined;
}

export function toAttributeDefinition(record: AttributeDefinitionRecord): AttributeDefinition {
  return {
    name: record.name,
    type: record.type,
    multiValued: record.multiValued,
    description: record.description || record.displayName,
    required: false,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'none',
    ...(record.type === 'reference' ? { referenceTypes: ['external'], caseExact: true } : {}),
  };
}

/** The receiver's schemas, with the custom extension rebuilt whenever the attribute registry changes. */
export class DynamicSchemaCatalog implements SchemaCatalog {
  private user: ResourceType = USER_RESOURCE_TYPE;
  private custom: SchemaDefinition;

  constructor(readonly extensionUrn: string = DEFAULT_EXTENSION_URN) {
    this.custom = { id: extensionUrn, name: 'CustomUser', description: 'Custom user attributes declared in the receiver', attributes: [] };
    this.rebuild();
  }

  get customSchema(): SchemaDefinition {
    return this.custom;
  }

  setCustomAttributes(records: readonly AttributeDefinitionRecord[]): void {
    this.custom = { ...this.custom, attributes: records.map(toAttributeDefinition) };
    this.rebuild();
  }

  private rebuild(): void {
    this.user = { ...USER_RESOURCE_TYPE, extensions: [ENTERPRISE_USER_SCHEMA_DEFINITION, this.custom] };
  }

  resourceType(kind: ResourceKind): ResourceType {
    return kind === 'User' ? this.user : GROUP_RESOURCE_TYPE;
  }

  resourceTypes(): ResourceType[] {
    return [this.user, GROUP_RESOURCE_TYPE];
  }
}
