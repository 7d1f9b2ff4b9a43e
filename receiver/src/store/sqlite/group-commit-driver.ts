import type Database from 'better-sqlite3';
import type { CompiledQuery, DatabaseConnection, Driver, QueryResult } from 'kysely';
import { SelectQueryNode } from 'kysely';
import { prepareTranslated, translateSqliteError } from './translating-statement';

/**
 * Kysely's SQLite driver with GROUP COMMIT: the writes of concurrent requests share one SQLite
 * transaction and therefore one fsync (with `synchronous = FULL`, the commit's fsync costs more than
 * the write itself), and each of them is answered only after that commit.
 *
 * - The first write (a Kysely transaction, or a single writing statement) opens the batch with BEGIN
 *   and schedules its COMMIT for the end of the current event-loop turn (setImmediate), behind every
 *   request already waiting for the connection; writes that get the connection before then join it.
 * - A Kysely transaction inside the batch is a SAVEPOINT: its rollback undoes only its own statements,
 *   so a failing request fails alone (a unique violation, a version mismatch, an unknown member).
 * - Whoever used the connection while a batch was open, reads included (they may have seen its
 *   uncommitted rows), waits for that batch's COMMIT before Kysely hands back the result; a COMMIT that
 *   fails fails all of them. So every answer a client gets describes durable data, and an acknowledged
 *   write survives a crash exactly as with one transaction per request.
 * - An error that makes SQLite roll back the whole transaction (disk full, I/O error) fails the batch:
 *   every member gets the error.
 *
 * SQLite has one connection per process: statements run one at a time under a FIFO mutex (as in
 * Kysely's driver), synchronously inside better-sqlite3.
 */
export class GroupCommitSqliteDriver implements Driver {
  private readonly mutex = new FifoMutex();
  private readonly statements = new Map<string, Database.Statement>();
  /** The open batch: BEGIN has run, COMMIT is scheduled. */
  private batch: Batch | undefined;
  /** The batch the current holder of the connection touched (what its release waits for). */
  private joined: Batch | undefined;
  /** Whether the holder is inside a Kysely transaction (a savepoint of the batch). */
  private inSavepoint = false;
  private readonly connection: DatabaseConnection;

  constructor(
    private readonly database: Database.Database,
    private readonly onBatch?: (writes: number) => void,
    /** Prepared statements kept by SQL text (Kysely prepares per query; a statement is reusable). */
    private readonly statementCapacity = 512,
  ) {
    this.connection = {
      executeQuery: <R>(query: CompiledQuery) => Promise.resolve(this.execute(query) as QueryResult<R>),
      streamQuery: <R>(query: CompiledQuery) => this.stream<R>(query),
    };
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return this.connection;
  }

  async beginTransaction(): Promise<void> {
    const batch = this.openBatch();
    batch.writes++;
    this.joined = batch;
    this.run('SAVEPOINT scim_write');
    this.inSavepoint = true;
  }

  async commitTransaction(): Promise<void> {
    this.inSavepoint = false;
    this.assertBatchAlive();
    this.run('RELEASE scim_write');
  }

  async rollbackTransaction(): Promise<void> {
    this.inSavepoint = false;
    if (!this.database.inTransaction) return; // SQLite already rolled back the batch (see failBatch)
    this.run('ROLLBACK TO scim_write');
    this.run('RELEASE scim_write');
  }

  async releaseConnection(): Promise<void> {
    const joined = this.joined;
    this.joined = undefined;
    this.inSavepoint = false;
    this.mutex.unlock();
    if (joined) await joined.committed;
  }

  async destroy(): Promise<void> {
    await this.mutex.lock();
    try {
      if (this.batch) this.commit(this.batch);
    } finally {
      this.statements.clear();
      this.database.close();
      // Whoever still waits gets "database is not open" rather than waiting forever.
      this.mutex.unlock();
    }
  }

  private execute(query: CompiledQuery): QueryResult<unknown> {
    const statement = this.prepare(query.sql);
    if (!this.inSavepoint) {
      if (this.batch) this.joined = this.batch;
      else if (!statement.readonly) {
        const batch = this.openBatch();
        batch.writes++;
        this.joined = batch;
      }
    } else this.assertBatchAlive();
    try {
      return statement.reader ? sqliteRead(statement, query.parameters) : sqliteWrite(statement, query.parameters);
    } catch (error) {
      const translated = translateSqliteError(error);
      if (this.batch && !this.database.inTransaction) this.failBatch(this.batch, translated);
      throw translated;
    }
  }

  private async *stream<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(query.query)) throw new Error('the SQLite driver streams SELECT queries only');
    if (this.batch && !this.inSavepoint) this.joined = this.batch;
    const rows = this.prepare(query.sql).iterate(query.parameters);
    while (true) {
      let next: IteratorResult<unknown>;
      try {
        next = rows.next();
      } catch (error) {
        throw translateSqliteError(error);
      }
      if (next.done) return;
      yield { rows: [next.value as R] };
    }
  }

  private prepare(sqlText: string): Database.Statement {
    let statement = this.statements.get(sqlText);
    if (!statement) {
      statement = prepareTranslated(this.database, sqlText);
      if (this.statements.size >= this.statementCapacity) this.statements.delete(this.statements.keys().next().value as string);
      this.statements.set(sqlText, statement);
    }
    return statement;
  }

  private run(sqlText: string): void {
    const statement = this.prepare(sqlText);
    try {
      statement.run();
    } catch (error) {
      throw translateSqliteError(error);
    }
  }

  private openBatch(): Batch {
    if (this.batch) return this.batch;
    this.run('BEGIN');
    const batch = new Batch();
    this.batch = batch;
    setImmediate(() => void this.commitWhenFree(batch));
    return batch;
  }

  private async commitWhenFree(batch: Batch): Promise<void> {
    await this.mutex.lock();
    try {
      if (this.batch === batch) this.commit(batch);
    } finally {
      this.mutex.unlock();
    }
  }

  private commit(batch: Batch): void {
    this.batch = undefined;
    try {
      sqliteCommit(this.prepare('COMMIT'));
    } catch (error) {
      try {
        if (this.database.inTransaction) this.run('ROLLBACK');
      } catch {
        // The COMMIT's error is the one to report.
      }
      batch.fail(translateSqliteError(error));
      return;
    }
    this.onBatch?.(batch.writes);
    batch.succeed();
  }

  /** SQLite rolled the transaction back on its own: nothing of the batch will be committed. */
  private failBatch(batch: Batch, error: unknown): void {
    if (this.batch === batch) this.batch = undefined;
    batch.fail(error);
  }

  private assertBatchAlive(): void {
    if (this.joined && this.joined !== this.batch) throw this.joined.error ?? new Error('the write batch was rolled back');
  }
}

// Separate functions so that a CPU profile tells reads, writes and commits apart (bench/receiver/profile-split.ts).
function sqliteRead(statement: Database.Statement, parameters: readonly unknown[]): QueryResult<unknown> {
  return { rows: statement.all(parameters) };
}

function sqliteWrite(statement: Database.Statement, parameters: readonly unknown[]): QueryResult<unknown> {
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

function sqliteCommit(statement: Database.Statement): void {
  statement.run();
}

class Batch {
  writes = 0;
  error: unknown;
  readonly committed: Promise<void>;
  private settle!: (error?: unknown) => void;

  constructor() {
    this.committed = new Promise<void>((resolve, reject) => {
      this.settle = (error) => (error === undefined ? resolve() : reject(error instanceof Error ? error : new Error(String(error))));
    });
    // Members await it; a batch whose members all failed on their own must not be an unhandled rejection.
    this.committed.catch(() => undefined);
  }

  succeed(): void {
    this.settle();
  }

  fail(error: unknown): void {
    this.error = error ?? new Error('the write batch was rolled back');
    this.settle(this.error);
  }
}

/** One holder at a time, in arrival order. */
class FifoMutex {
  private locked = false;
  private readonly waiting: (() => void)[] = [];
  private head = 0;

  lock(): Promise<void> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  unlock(): void {
    if (this.head < this.waiting.length) {
      const next = this.waiting[this.head++]!;
      if (this.head > 1024 && this.head * 2 > this.waiting.length) {
        this.waiting.splice(0, this.head);
        this.head = 0;
      }
      next();
      return;
    }
    this.waiting.length = 0;
    this.head = 0;
    this.locked = false;
  }
}
