import { z } from 'zod';
import type { ListQuery, SortSpec } from '../schema/query';
import { invalidValue } from './errors';
import { parseFilter } from './filter';
import type { FilterLimits } from './limits';
import { Projection } from './projection';
import type { ResourceType } from '../schema/resource-types';
import { resolveAttributePath } from '../schema/resource-types';

export interface ListRequest {
  readonly query: ListQuery;
  readonly projection: Projection;
}

export interface PagingLimits {
  readonly defaultCount: number;
  readonly maxCount: number;
  readonly filter?: FilterLimits;
}

/**
 * Larger startIndex values are read as this one (an empty page past the end): SQLite's OFFSET is a
 * 64-bit integer and 1e300 is not one.
 */
export const MAX_START_INDEX = 2_147_483_647;

/** Query-string values arrive as strings (or arrays when repeated); JSON search bodies carry numbers. */
const scalar = z.union([z.string(), z.number()]).optional();
const ListParameters = z
  .object({
    filter: z.string().optional(),
    startIndex: scalar,
    count: scalar,
    sortBy: z.string().optional(),
    sortOrder: z.string().optional(),
    attributes: z.union([z.string(), z.array(z.string())]).optional(),
    excludedAttributes: z.union([z.string(), z.array(z.string())]).optional(),
  })
  .loose();

function integer(name: string, value: string | number | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value.trim());
  if (!Number.isFinite(n) || !Number.isInteger(n)) throw invalidValue(`'${name}' must be an integer; got ${JSON.stringify(value)}.`);
  return n;
}

function list(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

/** Reads RFC 7644 §3.4.2 list parameters from a query string or a POST /.search body. */
export function parseListRequest(type: ResourceType, input: unknown, limits: PagingLimits): ListRequest {
  const parsed = ListParameters.safeParse(input ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalidValue(`Invalid list parameter '${issue?.path.join('.') ?? '?'}': ${issue?.message ?? 'invalid'}.`);
  }
  const params = parsed.data;
  // RFC 7644 §3.4.2.4: startIndex < 1 means 1; a negative count means 0; above the maximum, the maximum.
  const startIndex = Math.min(MAX_START_INDEX, Math.max(1, integer('startIndex', params.startIndex) ?? 1));
  const requested = integer('count', params.count);
  const count = requested === undefined ? limits.defaultCount : Math.min(Math.max(0, requested), limits.maxCount);

  let sort: SortSpec | undefined;
  if (params.sortBy) {
    const attr = resolveAttributePath(type, params.sortBy);
    if (!attr) throw invalidValue(`Cannot sort by unknown attribute '${params.sortBy}'.`);
    if (attr.attribute.type === 'complex' && !attr.subAttribute && !attr.attribute.multiValued) {
      throw invalidValue(`Cannot sort by complex attribute '${params.sortBy}'; name a sub-attribute.`);
    }
    const order = (params.sortOrder ?? 'ascending').toLowerCase();
    if (order !== 'ascending' && order !== 'descending') {
      throw invalidValue(`'sortOrder' must be "ascending" or "descending".`);
    }
    sort = { attr, descending: order === 'descending' };
  }

  const filterText = params.filter?.trim();
  return {
    query: {
      ...(filterText ? { filter: parseFilter(type, filterText, limits.filter) } : {}),
      ...(sort ? { sort } : {}),
      startIndex,
      count,
    },
    projection: Projection.parse(type, list(params.attributes), list(params.excludedAttributes)),
  };
}
