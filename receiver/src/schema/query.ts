import type { AttributeRef } from './resource-types';

export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/**
 * A SCIM filter whose attribute names are resolved against the resource's schemas. Stores compile it
 * (to SQL); the SCIM layer evaluates it in memory for PATCH value filters.
 */
export type ResolvedFilter =
  | { readonly kind: 'and' | 'or'; readonly filters: readonly ResolvedFilter[] }
  | { readonly kind: 'not'; readonly filter: ResolvedFilter }
  | { readonly kind: 'compare'; readonly op: CompareOperator; readonly attr: AttributeRef; readonly value: string | number | boolean | null }
  | { readonly kind: 'present'; readonly attr: AttributeRef }
  /** `emails[type eq "work"]`: the inner filter's references are sub-attributes of `attr`. */
  | { readonly kind: 'valuePath'; readonly attr: AttributeRef; readonly filter: ResolvedFilter };

export interface SortSpec {
  readonly attr: AttributeRef;
  readonly descending: boolean;
}

export interface ListQuery {
  readonly filter?: ResolvedFilter;
  readonly sort?: SortSpec;
  /** 1-based. */
  readonly startIndex: number;
  /** 0 asks for the total only. */
  readonly count: number;
  /**
   * Stop adding rows to the page once their stored size (JSON data, plus an estimate for group members)
   * reaches this many bytes; the first row is always included. The page is then shorter than `count`.
   */
  readonly maxBytes?: number;
  /** Abort a filtered or sorted statement after this long (QueryBudgetExceededError). */
  readonly timeLimitMs?: number;
}

export interface Page<T> {
  readonly totalResults: number;
  readonly items: readonly T[];
}
