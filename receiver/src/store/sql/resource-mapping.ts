import type { RawBuilder } from 'kysely';
import { sql } from 'kysely';
import type { AttributeLocation, ResourceTableMapping } from './filter-compiler';
import { metaLocation } from './shared';

type Relation = Extract<AttributeLocation, { kind: 'relation' }>;

/**
 * Where filters and sorts find the attributes of the user or the group table (aliased `u` or `g`): `id`,
 * `externalId` and meta's timestamps in their columns, the table's own `columns`, its membership
 * `relation`; anything else, and every extension attribute, inside the JSON.
 */
export function resourceTableMapping(table: {
  alias: 'u' | 'g';
  schema: string;
  resourceType: 'User' | 'Group';
  columns: Readonly<Record<string, AttributeLocation>>;
  relation: { attribute: string; exists: Relation['exists'] };
}): ResourceTableMapping {
  const ref = (column: string): RawBuilder<unknown> => sql.ref(`${table.alias}.${column}`);
  const columns = new Map<string, AttributeLocation>(
    Object.entries({ id: { kind: 'column', expr: ref('id') }, externalId: { kind: 'column', expr: ref('external_id') }, ...table.columns }),
  );
  const meta = { created: ref('created'), lastModified: ref('last_modified') };
  const relation: Relation = { kind: 'relation', exists: table.relation.exists };
  return {
    dataColumn: ref('data'),
    foldedDataColumn: ref('data_folded'),
    locate: (attr) => {
      if (attr.inExtension || attr.schema !== table.schema) return { kind: 'json' };
      const name = attr.attribute.name;
      if (name === 'meta') return metaLocation(attr, meta, table.resourceType);
      if (name === table.relation.attribute) return relation;
      return columns.get(name) ?? { kind: 'json' };
    },
  };
}
