import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, sql, type Transaction } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import { DuplicateKeyError, UnavailableError } from '../errors.js';
import { openBeforeCommit, runBeforeCommit } from './before-commit.js';
import { postgresCapabilities, sqliteCapabilities, type DialectCapabilities } from './capabilities.js';
import { BACKSTOP_CHECKPOINT_PAGES, SqliteCheckpointer } from './sqlite-checkpointer.js';
import { ClearinghouseSqliteDialect } from './sqlite-driver.js';
import { describeUniqueKey } from './unique-violation.js';
import { WalFlusher } from './group-flush.js';
import { PostgresDialectWithPreamble, withTransactionPreamble } from './postgres-dialect.js';
import { inProcessTurn, type LockMode } from './in-process-turn.js';

/**
 * Tables are declared per module; the platform handle is untyped and each store narrows it to its own
 * tables with {@link tables}. `any` here is Kysely's own convention for "some schema".
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type AnyKysely = Kysely<any>;

/** A connection or a transaction: what store functions take. */
export type Executor = AnyKysely;

export interface Database {
  readonly kysely: AnyKysely;
  readonly caps: DialectCapabilities;
  /** For messages and readiness output only; never branch on it (use {@link caps}). */
  readonly description: string;
  /**
   * Where the process itself makes commits durable (SQLite): settles once every transaction committed before
   * the call is on disk, one flush shared by every caller waiting meanwhile. Absent where the database server
   * flushes its own commits (PostgreSQL) and where there is no disk (`:memory:`).
   */
  readonly flushed?: () => Promise<void>;
  close(): Promise<void>;
}

/** Narrows an executor to a module's own table types. */
export function tables<Tables>(executor: Executor): Kysely<Tables> {
  return executor as Kysely<Tables>;
}

export interface TransactionOptions {
  /**
   * For work that checks for a row before inserting one under a unique key (a name, an e-mail, a content
   * hash). Two requests at once both pass the check; on PostgreSQL the second insert then fails as soon
   * as the first commits. With this set the loser's work runs once more, in a new transaction that sees
   * the winner's row, and so answers as the sequential path does (its own 409 naming the field, or an
   * idempotent "submitted before"). The work must have no effect outside its transaction.
   */
  readonly replayOnUniqueViolation?: boolean;
  /**
   * `full` (the default): the commit returns once it is on disk. `deferred`: it returns once it is in the
   * database's log, and reaches the disk with the next `full` commit (or within a moment): a killed process
   * loses nothing; a power cut may lose the latest deferred commits, whole, never one without the commits
   * before it. For work that is redone when lost (derived, resumable), or that a `full` commit follows
   * before anyone is told it happened.
   *
   * `grouped`: returns, as `full` does, once the commit is on disk, but the commit itself does not wait for
   * the disk: it is made as `deferred`, then waits for {@link Database.flushed}, one flush shared with every
   * commit made meanwhile (group commit), while the connection serves the next transaction. Where the server
   * flushes (PostgreSQL, which groups concurrent commits itself) it is `full`.
   */
  readonly durability?: 'full' | 'deferred' | 'grouped';
}

/**
 * The error a caller should see for `error`: a driver's unique violation becomes a {@link DuplicateKeyError}
 * (409) naming the key's fields; anything else is returned as it is.
 */
export function asDuplicateKeyError(caps: DialectCapabilities, error: unknown): unknown {
  const violation = caps.uniqueViolation(error);
  if (violation === undefined) return error;
  return new DuplicateKeyError(`a record with the same ${describeUniqueKey(violation)} exists already`, violation.columns, {
    cause: error,
  });
}

/**
 * Runs `work` in one transaction: all of it commits, or none of it does. A unique key broken inside it is
 * thrown as a {@link DuplicateKeyError} (never as the driver's error, which the API would answer with 500);
 * see {@link TransactionOptions.replayOnUniqueViolation} for work that should answer as if sequential.
 */
export async function withTransaction<T>(
  db: Database,
  work: (trx: Transaction<unknown> & AnyKysely) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  // Work registered with beforeCommit() runs last, after `work`, inside the transaction.
  const whole = async (trx: Transaction<unknown> & AnyKysely): Promise<T> => {
    openBeforeCommit(trx);
    const result = await work(trx);
    await runBeforeCommit(trx);
    return result;
  };
  const flushed = options.durability === 'grouped' ? db.flushed : undefined;
  const run =
    options.durability === 'deferred' || flushed !== undefined
      ? () => deferredTransaction(db, whole)
      : () => db.kysely.transaction().execute((trx) => whole(trx as Transaction<unknown> & AnyKysely));
  let result: T;
  try {
    result = await run();
  } catch (error) {
    if (db.caps.uniqueViolation(error) === undefined) throw error;
    if (!options.replayOnUniqueViolation) throw asDuplicateKeyError(db.caps, error);
    try {
      result = await run();
    } catch (again) {
      throw asDuplicateKeyError(db.caps, again);
    }
  }
  if (flushed !== undefined) await flushed();
  return result;
}

async function deferredTransaction<T>(db: Database, work: (trx: Transaction<unknown> & AnyKysely) => Promise<T>): Promise<T> {
  const { before, after, first } = db.caps.deferredCommit;
  // One connection throughout, so that the setting made before BEGIN is this transaction's and no other's.
  return db.kysely.connection().execute(async (connection) => {
    if (before !== undefined) await connection.executeQuery(CompiledQuery.raw(before));
    try {
      // `first` goes with BEGIN, in its round trip: the transaction starts in one.
      return await withTransactionPreamble(first, () =>
        connection.transaction().execute(async (trx) => work(trx as Transaction<unknown> & AnyKysely)),
      );
    } finally {
      if (after !== undefined) await connection.executeQuery(CompiledQuery.raw(after));
    }
  });
}

/**
 * Serializes the rest of the transaction against every other transaction asking for the same key, across
 * processes: an advisory lock on PostgreSQL (shared or exclusive); on SQLite write transactions are
 * serialized already.
 */
export async function serializeOn(trx: AnyKysely, caps: DialectCapabilities, key: string, mode: LockMode = {}): Promise<void> {
  for (const statement of serializeOnStatement(trx, caps, key, mode)) await trx.executeQuery(statement);
}

/**
 * {@link serializeOn} as a statement (none where there are no advisory locks), to send with others
 * (`writeTogether`): the lock is held from that statement on, and the statements after it see what the
 * transactions that held it before committed.
 */
export function serializeOnStatement(trx: AnyKysely, caps: DialectCapabilities, key: string, mode: LockMode = {}): CompiledQuery[] {
  if (!caps.advisoryLocks) return [];
  return [
    mode.shared === true
      ? sql`select pg_advisory_xact_lock_shared(hashtext(${key}))`.compile(trx)
      : sql`select pg_advisory_xact_lock(hashtext(${key}))`.compile(trx),
  ];
}

/**
 * {@link serializeOn} `first` alone, then `then` (alone, or shared with `thenMode.shared`), in one round trip and
 * in that order (the subquery runs first): a transaction that waits for `then` holds `first` already, so that
 * what waits behind it is only what asks for `first` too. Nothing where there are no advisory locks.
 */
export async function serializeOnInOrder(
  trx: AnyKysely,
  caps: DialectCapabilities,
  first: string,
  then: string,
  thenMode: LockMode = {},
): Promise<void> {
  if (!caps.advisoryLocks) return;
  const second =
    thenMode.shared === true ? sql`pg_advisory_xact_lock_shared(hashtext(${then}))` : sql`pg_advisory_xact_lock(hashtext(${then}))`;
  await sql`select ${second} from (select pg_advisory_xact_lock(hashtext(${first})) offset 0) as first`.execute(trx);
}

/**
 * Runs `work` in a transaction whose first statement is {@link serializeOn} `key`, behind this process's
 * {@link inProcessTurn} for the same key: the form every hot, process-wide lock takes, so that a process's
 * waiters queue without a pooled connection each. `work` must not ask for the same key's turn again.
 */
export async function withSerializedTransaction<T>(
  db: Database,
  key: string,
  work: (trx: Transaction<unknown> & AnyKysely) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  return inProcessTurn(db, key, () =>
    withTransaction(
      db,
      async (trx) => {
        await serializeOn(trx, db.caps, key);
        return work(trx);
      },
      options,
    ),
  );
}

/**
 * {@link serializeOn} for many keys in one round trip, taken in sorted order so that two transactions
 * asking for overlapping sets never wait on each other crosswise.
 */
export async function serializeOnMany(trx: AnyKysely, caps: DialectCapabilities, keys: readonly string[]): Promise<void> {
  if (!caps.advisoryLocks || keys.length === 0) return;
  const sorted = [...new Set(keys)].sort();
  await sql`select pg_advisory_xact_lock(hashtext(k)) from unnest(${sorted}::text[]) with ordinality as u(k, n) order by n`.execute(trx);
}

// PostgreSQL OIDs of the types we read back in a dialect-neutral form.
const PG_INT8 = 20;
const PG_JSON = 114;
const PG_JSONB = 3802;
const PG_TIMESTAMPTZ = 1184;

const PG_TIMESTAMP = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(\.\d+)?([+-]\d\d)(?::?(\d\d))?$/;

/** What the session's UTC time zone gives for years 0001–9999: rewritten as text, no Date parsed. */
const PG_UTC_TIMESTAMP = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d+))?\+00$/;

/**
 * `2026-06-02 12:00:00.123+00` (session time zone UTC) → `2026-06-02T12:00:00.123Z`. Every timestamp of every
 * row read passes here (7 % of a PostgreSQL list request's time when each went through a Date, issue 14).
 */
export function pgTimestampToIso(text: string): string {
  const utc = PG_UTC_TIMESTAMP.exec(text);
  if (utc) return `${utc[1]}T${utc[2]}.${(utc[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
  const m = PG_TIMESTAMP.exec(text);
  if (!m) return new Date(text).toISOString();
  const fraction = (m[7] ?? '.000').slice(1).padEnd(3, '0').slice(0, 3);
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${fraction}${m[8]}:${m[9] ?? '00'}`;
  return new Date(iso).toISOString();
}

function pgTypeParser(oid: number, format?: string): (value: string) => unknown {
  if (format === 'binary') return pg.types.getTypeParser(oid, 'binary') as (value: string) => unknown;
  switch (oid) {
    case PG_INT8:
      return (value) => {
        const n = Number(value);
        if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${value} is beyond 2^53`);
        return n;
      };
    case PG_JSON:
    case PG_JSONB:
      return (value) => value;
    case PG_TIMESTAMPTZ:
      return pgTimestampToIso;
    default:
      return pg.types.getTypeParser(oid, 'text') as (value: string) => unknown;
  }
}

/** The most a SQLite connection keeps in its page cache, in KiB (see openSqlite). */
export const SQLITE_CACHE_KIB = 64 * 1024;

function openSqlite(file: string): Database {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const handle = new BetterSqlite3(file);
  handle.pragma('journal_mode = WAL');
  const flusher = file === ':memory:' ? undefined : new WalFlusher(path.resolve(file));
  // A committed transaction survives a power cut, not only a process crash: FULL syncs the log inside each
  // commit; with a file, the log is synced by the flusher instead, on the thread pool, and the caller of a
  // commit is answered after it (sqlite-driver.ts, DurableCommits).
  handle.pragma(flusher === undefined ? 'synchronous = FULL' : 'synchronous = NORMAL');
  handle.pragma('foreign_keys = ON');
  handle.pragma('busy_timeout = 10000');
  // A statement that writes many rows keeps the pages it changes as they were, to undo that statement alone
  // should it fail (its statement journal); past 64 KiB SQLite writes them to a temporary file, a write call
  // per page. A multi-row insert of intake's passes that at once: in memory it costs intake 15 % of its main
  // thread less (issue 14). Sorts and temporary tables too large for the page cache then also stay in memory:
  // our queries sort pages of rows, or whole tables by an index.
  handle.pragma('temp_store = memory');
  // SQLite's default page cache is 2 MiB. At 100,000 findings intake's near-duplicate bucket index alone is
  // 84 MiB (21,000 pages), and each background job reads and dirties pages all over it: with 2 MiB it read
  // 79 KB from the file per finding and spilled dirty pages to the log mid-transaction, 5.8 times the reads
  // per finding at 10,000 (issue 14). Memory is taken only as pages are read, up to this much.
  handle.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
  // Checkpoints run beside the writer (sqlite-checkpointer.ts); the connection's own are only a backstop.
  const checkpointer = file === ':memory:' ? undefined : new SqliteCheckpointer(path.resolve(file));
  if (checkpointer !== undefined) handle.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
  const kysely = new Kysely({
    dialect: new ClearinghouseSqliteDialect(handle, () => checkpointer?.committed(), flusher),
  });
  return {
    kysely,
    caps: sqliteCapabilities,
    description: `sqlite:${file}`,
    ...(flusher === undefined ? {} : { flushed: () => flusher.flushed() }),
    close: async () => {
      await flusher?.close();
      await checkpointer?.close();
      await kysely.destroy();
    },
  };
}

export interface OpenOptions {
  /**
   * Told when a connection fails (the database server restarted or cut it), idle in the pool or held by a
   * transaction. The pool drops that connection and the next query opens a new one; without a listener the
   * connection's error would end the process.
   */
  readonly onIdleConnectionError?: (error: Error) => void;
  /** How long opening one connection may take before it fails as unavailable (default {@link CONNECT_TIMEOUT_MS}). */
  readonly connectTimeoutMs?: number;
  /** How long a query waits for a busy pool to lend it a connection (default {@link POOL_WAIT_MS}). */
  readonly poolWaitMs?: number;
}

/**
 * How long opening a connection may take before it fails as {@link isDatabaseUnavailable}: while PostgreSQL
 * is down or does not answer, requests answer 503 within this instead of hanging.
 */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * How long a query waits for one of the pool's connections when all are lent out, before it fails as
 * {@link isDatabaseBusy} (503 with a retry hint). Not the connect timeout: under a burst every connection may
 * be busy for seconds while the database is well — a wait that short answered "the database does not answer"
 * to requests PostgreSQL would have served (seen in the races tests at load 15). While the database is down,
 * lent connections fail at once and the wait ends with them.
 */
const POOL_WAIT_MS = 30_000;

function openPostgres(url: string, poolSize: number, open: OpenOptions): Database {
  // pg lets connection-string parameters override the config object, so merge `options` by hand.
  const parsed = new URL(url);
  const options = [parsed.searchParams.get('options'), '-c TimeZone=UTC'].filter(Boolean).join(' ');
  parsed.searchParams.delete('options');
  const connectTimeoutMs = open.connectTimeoutMs ?? CONNECT_TIMEOUT_MS;
  // pg-pool bounds both the wait for a lent connection and a new connection's connect by one option; each
  // client bounds its own connect, so that the pool's option bounds the wait alone.
  class BoundedClient extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super({ ...config, connectionTimeoutMillis: connectTimeoutMs });
    }
  }
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: poolSize,
    Client: BoundedClient,
    connectionTimeoutMillis: Math.max(open.poolWaitMs ?? POOL_WAIT_MS, connectTimeoutMs),
    keepAlive: true,
    options,
    types: { getTypeParser: pgTypeParser as typeof pg.types.getTypeParser },
  });
  pool.on('error', (error) => open.onIdleConnectionError?.(error));
  // pg-pool listens for errors only on idle clients; a client held by a transaction when the server goes away
  // emits its error with no listener, which would end the process. Its query fails on its own, and the pool
  // drops the client when it is released.
  pool.on('connect', (client) => client.on('error', (error) => open.onIdleConnectionError?.(error)));
  const kysely = new Kysely({ dialect: new PostgresDialectWithPreamble({ pool }) });
  return {
    kysely,
    caps: postgresCapabilities,
    description: `postgres://${parsed.host}${parsed.pathname}`,
    close: () => kysely.destroy(),
  };
}

/** Opens the configured database. Nothing is created until the first query. */
export function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Database {
  return config.dialect === 'sqlite' ? openSqlite(config.file) : openPostgres(config.url, config.poolSize, options);
}

/** True when the database answers a trivial query within `timeoutMs`. */
export async function pingDatabase(db: Database, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const ping = sql`select 1`.execute(db.kysely).then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([ping, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Errors of a connection that failed, was cut or could not be made: the database is down or restarting. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
]);
// `timeout expired`: a client's own connect timeout (BoundedClient); `timeout exceeded…`: the pool's wait.
const UNAVAILABLE_MESSAGES =
  /^(Connection terminated|timeout expired|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended)/;
const POOL_WAIT_MESSAGE = /^timeout exceeded when trying to connect/;

/**
 * True when `error` says the database could not be reached (refused, cut, shutting down, starting up, no
 * connection within the timeout) rather than that a statement failed: PostgreSQL's SQLSTATE class 08 and
 * 57P01–57P03, the socket's errors and pg's own messages for them.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message);
}

/**
 * True when `error` is a query that waited {@link POOL_WAIT_MS} for a connection while all were lent out: the
 * database answers, but this process has more work for it than connections. Also {@link isDatabaseUnavailable}
 * (a job cut short by it is retried as after an outage).
 */
function isDatabaseBusy(error: unknown): boolean {
  return error instanceof Error && POOL_WAIT_MESSAGE.test(error.message);
}

/** The error a caller should see when the database is unreachable or busy: 503 with a retry hint; else `error` as it is. */
export function asUnavailableError(error: unknown): unknown {
  if (!isDatabaseUnavailable(error)) return error;
  if (isDatabaseBusy(error))
    return new UnavailableError('the database has more work than connections now; try again shortly', 5, {
      cause: error,
      code: 'database-busy',
    });
  return new UnavailableError('the database does not answer now; try again shortly', 5, {
    cause: error,
    code: 'database-unavailable',
  });
}
