import type { Compilable, CompiledQuery } from 'kysely';
import type { Db } from './shared';

/**
 * A query of fixed shape built and compiled once, then executed with new parameter values: the hot
 * paths (a lookup by userName or id, a user's groups, a user update) skip Kysely's query building and
 * compiling, which cost more than SQLite's own execution of such a statement. The SQL text is the same
 * on every call, so the driver's prepared-statement cache (SQLite) or the pool's (PostgreSQL) reuses it.
 *
 * `build` receives `slot(name)`, a placeholder to put where a value goes; every slot must end up as a
 * bound parameter (a `where`, `set` or `values` value), never as an identifier or literal SQL. Build it
 * on the store's Kysely instance: the compiled SQL is that dialect's, to run there or in its transactions.
 */
export class PreparedQuery<Slot extends string, Row> {
  private readonly compiled: CompiledQuery<Row>;
  /** For each slot, the positions of its parameter(s) in `compiled.parameters`. */
  private readonly positions: [Slot, number[]][];

  constructor(build: (slot: (name: Slot) => string) => Compilable<Row>) {
    const marker = (name: string) => `\u0000slot:${name}\u0000`;
    const names = new Set<Slot>();
    this.compiled = build((name) => {
      names.add(name);
      return marker(name);
    }).compile();
    this.positions = [...names].map((name) => {
      const at: number[] = [];
      this.compiled.parameters.forEach((p, i) => {
        if (p === marker(name)) at.push(i);
      });
      if (at.length === 0) throw new Error(`prepared query: slot ${name} is not a bound parameter`);
      return [name, at];
    });
  }

  async execute(db: Db, values: Readonly<Record<Slot, unknown>>): Promise<Row[]> {
    return (await db.executeQuery<Row>(this.bind(values))).rows;
  }

  async executeTakeFirst(db: Db, values: Readonly<Record<Slot, unknown>>): Promise<Row | undefined> {
    return (await this.execute(db, values))[0];
  }

  /** Rows changed by an INSERT, UPDATE or DELETE. */
  async affected(db: Db, values: Readonly<Record<Slot, unknown>>): Promise<number> {
    return Number((await db.executeQuery(this.bind(values))).numAffectedRows ?? 0);
  }

  private bind(values: Readonly<Record<Slot, unknown>>): CompiledQuery<Row> {
    const parameters = this.compiled.parameters.slice();
    for (const [name, at] of this.positions) for (const i of at) parameters[i] = values[name];
    return { ...this.compiled, parameters };
  }
}
