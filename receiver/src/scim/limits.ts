/** Bounds on the work and memory one SCIM request may cause; set from the environment (settings.ts). */

/** Every bound on the work one request may cause (README "Limits"). */
export interface ReceiverLimits {
  readonly filter: FilterLimits;
  /** A filtered or sorted SQL statement is aborted (400 tooMany) after this long. */
  readonly queryTimeLimitMs: number;
  readonly values: ValueLimits;
  /** A list response stops adding resources once their stored size reaches this. */
  readonly maxResponseBytes: number;
}

export interface FilterLimits {
  readonly maxLength: number;
  /** Comparisons and presence tests, value-filter contents included. */
  readonly maxTerms: number;
  /** Nesting of and/or/not/[ ] and parentheses. */
  readonly maxDepth: number;
  /** `emails[...]` value filters. */
  readonly maxValuePaths: number;
}

export interface ValueLimits {
  /** userName, externalId, emails.value, group displayName. */
  readonly maxIdentifierLength: number;
  /** Every other string, reference or binary value. */
  readonly maxStringLength: number;
  /** Elements of one multi-valued attribute (group members excepted). */
  readonly maxValues: number;
  /** The stored JSON of one resource (group members excepted). */
  readonly maxResourceBytes: number;
}

export const DEFAULT_LIMITS: ReceiverLimits = {
  filter: { maxLength: 4096, maxTerms: 32, maxDepth: 8, maxValuePaths: 4 },
  queryTimeLimitMs: 1000,
  values: { maxIdentifierLength: 256, maxStringLength: 4096, maxValues: 100, maxResourceBytes: 64 * 1024 },
  maxResponseBytes: 4 * 1024 * 1024,
};
