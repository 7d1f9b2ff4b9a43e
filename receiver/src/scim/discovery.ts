import type { JsonObject } from './attribute-values';
import { notFound } from './errors';
import type { ResourceType, SchemaCatalog } from '../schema/resource-types';
import { COMMON_ATTRIBUTES } from '../schema/resource-types';
import type { AttributeDefinition, SchemaDefinition } from '../schema/schema-definitions';
import { RESOURCE_TYPE, SCHEMA, SERVICE_PROVIDER_CONFIG } from '../schema/urns';
import { listResponse } from './users-service';

export interface DiscoveryOptions {
  readonly maxResults: number;
  readonly maxPayloadSize: number;
  readonly documentationUri?: string;
}

function publishedAttribute(a: AttributeDefinition): JsonObject {
  return {
    name: a.name,
    type: a.type,
    multiValued: a.multiValued,
    description: a.description,
    required: a.required,
    caseExact: a.caseExact,
    mutability: a.mutability,
    returned: a.returned,
    uniqueness: a.uniqueness,
    ...(a.canonicalValues ? { canonicalValues: a.canonicalValues } : {}),
    ...(a.referenceTypes ? { referenceTypes: a.referenceTypes } : {}),
    ...(a.subAttributes ? { subAttributes: a.subAttributes.map(publishedAttribute) } : {}),
  };
}

/** RFC 7644 §4 discovery documents, generated from the same definitions that validate requests. */
export class Discovery {
  constructor(
    private readonly catalog: SchemaCatalog,
    private readonly options: DiscoveryOptions,
  ) {}

  serviceProviderConfig(baseUrl: string): JsonObject {
    return {
      schemas: [SERVICE_PROVIDER_CONFIG],
      ...(this.options.documentationUri ? { documentationUri: this.options.documentationUri } : {}),
      patch: { supported: true },
      bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
      filter: { supported: true, maxResults: this.options.maxResults },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [
        {
          type: 'oauthbearertoken',
          name: 'OAuth Bearer Token',
          description: 'Authentication with a bearer token issued by this service (Authorization: Bearer <token>).',
          primary: true,
        },
      ],
      meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
    };
  }

  resourceTypes(baseUrl: string): JsonObject {
    const types = this.catalog.resourceTypes().map((t) => this.resourceType(t, baseUrl));
    return listResponse(types.length, 1, types);
  }

  resourceTypeByName(name: string, baseUrl: string): JsonObject {
    const type = this.catalog.resourceTypes().find((t) => t.kind.toLowerCase() === name.toLowerCase());
    if (!type) throw notFound(`Resource type ${name} not found.`);
    return this.resourceType(type, baseUrl);
  }

  schemas(baseUrl: string): JsonObject {
    const all = this.allSchemas().map((s) => this.schema(s, baseUrl));
    return listResponse(all.length, 1, all);
  }

  schemaById(urn: string, baseUrl: string): JsonObject {
    const schema = this.allSchemas().find((s) => s.id.toLowerCase() === urn.toLowerCase());
    if (!schema) throw notFound(`Schema ${urn} not found.`);
    return this.schema(schema, baseUrl);
  }

  private allSchemas(): SchemaDefinition[] {
    const seen = new Map<string, SchemaDefinition>();
    for (const type of this.catalog.resourceTypes()) for (const s of [type.schema, ...type.extensions]) seen.set(s.id, s);
    return [...seen.values()];
  }

  private resourceType(type: ResourceType, baseUrl: string): JsonObject {
    return {
      schemas: [RESOURCE_TYPE],
      id: type.kind,
      name: type.kind,
      endpoint: type.endpoint,
      description: type.description,
      schema: type.schema.id,
      schemaExtensions: type.extensions.map((e) => ({ schema: e.id, required: false })),
      meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${type.kind}` },
    };
  }

  private schema(schema: SchemaDefinition, baseUrl: string): JsonObject {
    const isCore = this.catalog.resourceTypes().some((t) => t.schema.id === schema.id);
    // id, externalId and meta are common attributes (RFC 7643 §3.1); they are listed with the core schemas.
    const attributes = isCore ? [...COMMON_ATTRIBUTES.filter((a) => a.name !== 'meta'), ...schema.attributes] : schema.attributes;
    return {
      schemas: [SCHEMA],
      id: schema.id,
      name: schema.name,
      description: schema.description,
      attributes: attributes.map(publishedAttribute),
      meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
    };
  }
}
