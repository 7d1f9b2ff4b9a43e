/** A write would break a uniqueness rule (userName, group displayName). */
export class UniqueViolationError extends Error {
  constructor(readonly field: 'userName' | 'displayName' | 'name', readonly value: string) {
    super(`${field} "${value}" is already taken`);
    this.name = 'UniqueViolationError';
  }
}

/** A membership write names users that do not exist. */
export class UnknownMembersError extends Error {
  constructor(readonly ids: readonly string[]) {
    super(`unknown member ids: ${ids.join(', ')}`);
    this.name = 'UnknownMembersError';
  }
}

/** If-Match named a version other than the stored one. */
export class VersionMismatchError extends Error {
  constructor(readonly current: number) {
    super(`resource is at version ${current}`);
    this.name = 'VersionMismatchError';
  }
}

/**
 * The database cannot serve the request right now (unreachable, restarting, a lock held elsewhere, a
 * serialization conflict): retrying shortly may succeed, so HTTP answers 503 with Retry-After.
 */
export class StoreUnavailableError extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`the database is unavailable: ${reason}`, options);
    this.name = 'StoreUnavailableError';
  }
}

/** A query ran past its time budget and was aborted (SCIM_QUERY_TIME_LIMIT_MS). */
export class QueryBudgetExceededError extends Error {
  constructor(readonly limitMs: number) {
    super(`query aborted after ${limitMs} ms`);
    this.name = 'QueryBudgetExceededError';
  }
}

/**
 * The resolved query asks for something this store cannot express (a sort on a multi-valued attribute, a
 * value filter on a single-valued one, a null comparison with an ordering operator). The query layer maps
 * it to SCIM 400 invalidFilter; the store stays free of protocol types.
 */
export class UnsupportedQueryError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'UnsupportedQueryError';
  }
}
