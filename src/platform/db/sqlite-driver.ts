import type BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';

/**
 * Kysely's SQLite dialect, with two changes that matter to us:
 * - write transactions start with `BEGIN IMMEDIATE`, so a second process on the same file (the CLI next to
 *   a running server) waits for the write lock instead of failing with SQLITE_BUSY mid-transaction;
 * - prepared statements are cached by SQL text, which roughly halves the cost of small queries;
 * - `afterWrite` is told when a write has been committed (a checkpointer's cue).
 */
export class ClearinghouseSqliteDialect implements Dialect {
  constructor(
    private readonly database: BetterSqlite3.Database,
    private readonly afterWrite: () => void = () => {},
  ) {}

  createDriver(): Driver {
    return new CachingSqliteDriver(this.database, this.afterWrite);
  }

  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }

  createAdapter() {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<unknown>) {
    return new SqliteIntrospector(db);
  }
}

const STATEMENT_CACHE_SIZE = 500;

class CachingSqliteConnection implements DatabaseConnection {
  readonly #statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly afterWrite: () => void,
  ) {}

  #prepare(sqlText: string): BetterSqlite3.Statement {
    let statement = this.#statements.get(sqlText);
    if (statement === undefined) {
      statement = this.db.prepare(sqlText);
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.#statements.keys().next().value;
        if (oldest !== undefined) this.#statements.delete(oldest);
      }
      this.#statements.set(sqlText, statement);
    }
    return statement;
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.#prepare(compiledQuery.sql);
    const parameters = compiledQuery.parameters as unknown[];
    if (statement.reader) {
      return Promise.resolve({ rows: statement.all(...parameters) as R[] });
    }
    const { changes, lastInsertRowid } = statement.run(...parameters);
    if (!this.db.inTransaction) this.afterWrite();
    return Promise.resolve({
      numAffectedRows: BigInt(changes),
      insertId: BigInt(lastInsertRowid),
      rows: [],
    });
  }

  // eslint-disable-next-line require-yield -- streaming is not used; the interface requires the method
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not supported on SQLite here');
  }
}

class CachingSqliteDriver implements Driver {
  #connection: CachingSqliteConnection;
  #lock: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;

  constructor(
    private readonly db: BetterSqlite3.Database,
    afterWrite: () => void,
  ) {
    this.#connection = new CachingSqliteConnection(db, afterWrite);
  }

  async init(): Promise<void> {}

  /** SQLite has one connection; callers queue for it. */
  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#lock;
    let release!: () => void;
    this.#lock = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    this.#release = release;
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }

  async destroy(): Promise<void> {
    this.db.close();
  }
}
