import type { ResourceKind, ResourceType, SchemaCatalog } from '../schema/resource-types';
import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../schema/resource-types';
import type { AttributeDefinition, SchemaDefinition } from '../schema/schema-definitions';
import { ENTERPRISE_USER_SCHEMA_DEFINITION } from '../schema/schema-definitions';
import type { AttributeDefinitionRecord } from '../store/types';

export const DEFAULT_EXTENSION_URN = 'urn:ietf:params:scim:schemas:extension:custom:2.0:User';

/** The name rule lives in the shared attribute contract (also used by the infrastructure config). */
export { customAttributeNameProblem } from '../schema/attribute-contract';

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
