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

/** A query ran past its time budget and was aborted (SCIM_QUERY_TIME_LIMIT_MS). */
export class QueryBudgetExceededError extends Error {
  constructor(readonly limitMs: number) {
    super(`query aborted after ${limitMs} ms`);
    this.name = 'QueryBudgetExceededError';
  }
}
