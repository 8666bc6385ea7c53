import type BetterSqlite3 from 'better-sqlite3';
import {
  BinaryOperationNode,
  CompiledQuery,
  OperatorNode,
  PrimitiveValueListNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';
import { durabilityScope } from './durability-scope.js';

/**
 * Kysely's SQLite dialect, with these changes that matter to us:
 * - write transactions start with `BEGIN IMMEDIATE`, so a second process on the same file (the CLI next to
 *   a running server) waits for the write lock instead of failing with SQLITE_BUSY mid-transaction;
 * - prepared statements are cached by SQL text, which roughly halves the cost of small queries;
 * - `afterWrite` is told when a write has been committed (a checkpointer's cue);
 * - with `flushed` (see {@link DurableCommits}), no commit waits for the disk on the JavaScript thread.
 */
export class ClearinghouseSqliteDialect implements Dialect {
  constructor(
    private readonly database: BetterSqlite3.Database,
    private readonly afterWrite: () => void = () => {},
    private readonly flusher?: LogFlusher,
  ) {}

  createDriver(): Driver {
    return new CachingSqliteDriver(this.database, this.afterWrite, this.flusher);
  }

  createQueryCompiler() {
    return new ListPaddingSqliteQueryCompiler();
  }

  createAdapter() {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<unknown>) {
    return new SqliteIntrospector(db);
  }
}

/** The longest `IN` list given a padded length (see {@link ListPaddingSqliteQueryCompiler}); 1,024 parameters at most. */
const PADDED_LIST_MAX = 1024;

/**
 * Kysely's SQLite compiler, with `IN (…)` and `NOT IN (…)` lists of bound values padded to a power of two by
 * repeating their last value, which changes no answer (a value in a list twice is in it once). Each distinct
 * SQL text is a statement compiled and cached (below), and a list of every length from 1 to 500 was a text of
 * its own: the soak's server compiled over a thousand distinct texts in two minutes, most of them such lists,
 * and each compilation is C heap held until V8's next full collection (issue 20). Padded, a site's lists take
 * at most ten texts. Lists longer than {@link PADDED_LIST_MAX} are left as they are.
 */
export class ListPaddingSqliteQueryCompiler extends SqliteQueryCompiler {
  protected override visitBinaryOperation(node: BinaryOperationNode): void {
    const list = node.rightOperand;
    if (
      PrimitiveValueListNode.is(list) &&
      OperatorNode.is(node.operator) &&
      (node.operator.operator === 'in' || node.operator.operator === 'not in')
    ) {
      const n = list.values.length;
      const padded = n < 2 || n > PADDED_LIST_MAX ? n : 2 ** Math.ceil(Math.log2(n));
      if (padded !== n) {
        const last = list.values[n - 1];
        const values = [...list.values, ...Array.from({ length: padded - n }, () => last)];
        super.visitBinaryOperation(BinaryOperationNode.create(node.leftOperand, node.operator, PrimitiveValueListNode.create(values)));
        return;
      }
    }
    super.visitBinaryOperation(node);
  }
}

/** Makes the commits written to a SQLite log durable (group-flush.ts's WalFlusher). */
export interface LogFlusher {
  /** Settles once every commit made before the call is on disk (on the thread pool, shared). */
  flushed(): Promise<void>;
  /** The same on the spot, on this thread. */
  flushNow(): void;
}

/**
 * Compiled statements kept per connection, the least recently used dropped first. A compiled statement holds
 * SQLite memory that is freed only when V8 collects its JavaScript object, which V8 does not know the size of:
 * every compilation the cache could have saved is C heap that stays taken until the next full collection, and
 * a hot statement evicted is compiled again at once. The soak's server runs over a thousand distinct texts in
 * two minutes (IN lists and multi-row inserts of every length); dropping the oldest compiled, as this did
 * before, evicted every statement, `begin` and `commit` included, once 500 others had been compiled after it
 * (issue 20).
 */
const STATEMENT_CACHE_SIZE = 500;

/** What `TransactionOptions.durability: 'deferred'` runs around a transaction on SQLite (capabilities.ts). */
const DEFERRED_PRAGMA = /^pragma synchronous = (NORMAL|FULL)$/i;

/**
 * Durable commits without the JavaScript thread waiting for the disk. better-sqlite3 runs every statement on
 * the event loop, and with `synchronous = FULL` each commit (and each write outside a transaction) ends with an
 * fsync there: in the soak (issue 20) 4 ms each, a quarter of the server's time, during which no request could
 * be read, parsed or answered. The connection commits with `synchronous = NORMAL` instead (in WAL mode the
 * commit is written to the log, so a killed process loses nothing), and the caller of a query that committed a
 * write is answered only once `flushed()` — one fsync of the log on the thread pool, shared by every commit
 * made meanwhile — has ended: the connection goes to the next caller at once. So the caller of a commit learns
 * of it only once it is on disk, as with FULL; and since the log is written in order, any later commit that
 * reached the disk carried this one with it. What a reader may see for those few milliseconds is a commit that
 * a power cut (not a crash of the process) would still take back. `durability: 'deferred'` (its pragmas are
 * read here as switches) is answered without waiting, as before; durability-scope.ts names two more ways.
 */
interface DurableCommits {
  /** A committed write whose caller must wait for the next flush. */
  unflushed: boolean;
}

class CachingSqliteConnection implements DatabaseConnection {
  readonly #statements = new Map<string, BetterSqlite3.Statement>();
  /** Inside a `deferred` transaction (between its two pragmas): its commit is not waited for. */
  #deferred = false;
  /** A write ran in the open transaction. */
  #wrote = false;
  readonly durable: DurableCommits = { unflushed: false };

  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly afterWrite: () => void,
    /** The flushes are the driver's (see {@link DurableCommits}); else each commit syncs as the pragma says. */
    private readonly flushes: boolean,
  ) {}

  #prepare(sqlText: string): BetterSqlite3.Statement {
    let statement = this.#statements.get(sqlText);
    if (statement !== undefined) {
      // Least recently used first: a hit moves the statement to the end of the map's order.
      this.#statements.delete(sqlText);
    } else {
      statement = this.db.prepare(sqlText);
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.#statements.keys().next().value;
        if (oldest !== undefined) this.#statements.delete(oldest);
      }
    }
    this.#statements.set(sqlText, statement);
    return statement;
  }

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    if (this.flushes) {
      const deferred = DEFERRED_PRAGMA.exec(compiledQuery.sql);
      if (deferred !== null) {
        this.#deferred = deferred[1]!.toUpperCase() === 'NORMAL';
        return Promise.resolve({ rows: [] });
      }
    }
    const statement = this.#prepare(compiledQuery.sql);
    // Spread, not passed as one array: better-sqlite3 binds arguments faster than an array's items (a 512-row
    // insert of 21 columns, 1.25 ms against 1.4 ms of CPU in one process, measured for issue 14).
    const parameters = compiledQuery.parameters as unknown[];
    if (statement.reader) {
      const rows = statement.all(...parameters) as R[];
      if (!statement.readonly) this.#wrote = true;
      this.#settle(compiledQuery.sql);
      return Promise.resolve({ rows });
    }
    const { changes, lastInsertRowid } = statement.run(...parameters);
    // COMMIT and ROLLBACK count as read-only statements in SQLite; a write is anything else that is not.
    if (!statement.readonly) this.#wrote = true;
    this.#settle(compiledQuery.sql);
    if (!this.db.inTransaction) this.afterWrite();
    return Promise.resolve({
      numAffectedRows: BigInt(changes),
      insertId: BigInt(lastInsertRowid),
      rows: [],
    });
  }

  /** Once no transaction is open, whatever was written has been committed (or rolled back): see {@link DurableCommits}. */
  #settle(sqlText: string): void {
    if (this.db.inTransaction || !this.#wrote) return;
    this.#wrote = false;
    if (this.flushes && !this.#deferred && sqlText !== 'rollback') this.durable.unflushed = true;
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
    private readonly flusher: LogFlusher | undefined,
  ) {
    this.#connection = new CachingSqliteConnection(db, afterWrite, flusher !== undefined);
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

  /**
   * The next caller gets the connection at once; this one (Kysely awaits the release before it answers a
   * query or a transaction) waits for the flush that makes its commit durable, if it committed a write.
   */
  async releaseConnection(): Promise<void> {
    const release = this.#release;
    this.#release = undefined;
    const mustFlush = this.#connection.durable.unflushed;
    this.#connection.durable.unflushed = false;
    release?.();
    if (!mustFlush || this.flusher === undefined) return;
    const scope = durabilityScope();
    if (scope === 'blocking') this.flusher.flushNow();
    else if (scope !== 'deferred') await this.flusher.flushed();
  }

  async destroy(): Promise<void> {
    this.db.close();
  }
}
