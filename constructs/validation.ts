/** Thrown by a construct whose props are invalid; lists every problem, not just the first. */
export class PropsValidationError extends Error {
  constructor(
    readonly construct: string,
    readonly problems: readonly string[],
  ) {
    super(`${construct}: invalid props:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PropsValidationError';
  }
}

/** Collects problems, then throws them all at once. */
export class Problems {
  private readonly list: string[] = [];

  constructor(private readonly construct: string) {}

  check(condition: boolean, problem: string): this {
    if (!condition) this.list.push(problem);
    return this;
  }

  add(problem: string): this {
    this.list.push(problem);
    return this;
  }

  throwIfAny(): void {
    if (this.list.length > 0) throw new PropsValidationError(this.construct, this.list);
  }
}
