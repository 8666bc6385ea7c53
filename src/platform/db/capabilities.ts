import { postgresUniqueViolation, sqliteUniqueViolation, type UniqueViolation } from './unique-violation.js';

/**
 * What differs between the databases we run on, asked for by name. Code outside platform/db never asks
 * which database it is on; it asks whether a capability is there.
 */
export interface DialectCapabilities {
  /** `SELECT … FOR UPDATE SKIP LOCKED`: several processes may claim rows concurrently. */
  readonly skipLocked: boolean;
  /** Several server processes may share the database (PostgreSQL yes; SQLite is one process). */
  readonly multiProcess: boolean;
  /** `pg_advisory_xact_lock`: a named lock held until the transaction ends. */
  readonly advisoryLocks: boolean;
  /**
   * How a transaction commits without waiting for the disk (see `TransactionOptions.durability`): SQL run on
   * its connection `before` BEGIN and `after` it ends (SQLite's safety level cannot change inside one), or
   * `first` inside it (PostgreSQL's `SET LOCAL`), sent with the BEGIN in one round trip.
   */
  readonly deferredCommit: { readonly before?: string; readonly after?: string; readonly first?: string };
  /**
   * The planner chooses between an index and a scan from statistics that must be gathered (PostgreSQL's
   * ANALYZE): without them, a lookup of a few hundred keys in a table grown by bulk inserts is planned as a
   * scan of the whole table. SQLite's planner uses an index for equality lookups without any.
   */
  readonly plannerNeedsStatistics: boolean;
  /**
   * The driver keeps statements prepared by their SQL text (SQLite here): a bulk insert then runs a few
   * statement shapes again and again instead of preparing a new one for every row count (PostgreSQL parses
   * every unnamed statement anyway, and each extra statement is a round trip).
   */
  readonly reusesPreparedStatements: boolean;
  /**
   * A bulk insert can send one array per column and unnest them (PostgreSQL): one statement of as many
   * parameters as columns, whatever the row count, instead of a VALUES list of a parameter per value, which
   * PostgreSQL parses and plans value by value (275 ms for 1,000 findings of 22 columns, issue 14).
   */
  readonly insertsFromArrays: boolean;
  /**
   * A list of values can go as one array parameter, unnested in the statement (PostgreSQL): no bound-parameter
   * limit, and a plan that probes an index per value (see `oneOf` in value-lists.ts).
   */
  readonly listsAsArrays: boolean;
  /**
   * Bytes go to and from the database as hex text (PostgreSQL: node-postgres sends every parameter as text, and
   * a Buffer costs it an escaped literal and a parse back into a Buffer); elsewhere as bytes, bound as they are
   * (better-sqlite3). See `bytesParam` and `oneOfBytes` in value-lists.ts.
   */
  readonly bytesAsHexText: boolean;
  /**
   * `SELECT DISTINCT ON (…)` (PostgreSQL): the first row of each group of a whole table picked by one sort and
   * hash joins, where a lookup per row costs a server round of index probes (80 ms per 500 subjects after a
   * bulk rewrite of the probed table, issue 14). SQLite has no such clause, and there a correlated lookup per
   * row, in process, is the cheaper plan (0.43 s of CPU for 100,000 subjects against 0.74 s ranked by a window).
   */
  readonly distinctOn: boolean;
  /**
   * A WITH clause may hold INSERT, UPDATE or DELETE … RETURNING, whose rows feed the rest of the statement
   * (PostgreSQL): rows read, compared, rewritten and logged in one statement, none of them sent to this
   * process and back. SQLite's WITH holds only SELECTs.
   */
  readonly writesInWith: boolean;
  /**
   * A table can keep free room in its pages (PostgreSQL's `fillfactor`), so that an update writes the new row
   * version on the old one's page: a HOT update, which adds no index entry, and whose dead version the page's
   * next reader prunes without VACUUM (autovacuum may be off). SQLite rewrites a row in place.
   */
  readonly fillfactor: boolean;
  /** How the driver spells the n-th (1-based) bound parameter in raw SQL: `?` or `$n`. */
  placeholder(n: number): string;
  /** The unique key a failed write broke, when `error` is the driver's unique-violation error; else undefined. */
  uniqueViolation(error: unknown): UniqueViolation | undefined;
  /** Column types for migrations. Values read back are the same JS types on every dialect. */
  readonly types: {
    /** Stored and read as ISO 8601 UTC strings with milliseconds. */
    readonly timestamp: 'timestamptz' | 'text';
    /** Written as JSON text; read back as JSON text (parse in the store). */
    readonly json: 'jsonb' | 'text';
    /**
     * JSON that no query looks inside, stored as written: PostgreSQL's `json` checks the text's syntax and
     * keeps it, where `jsonb` parses every value into its binary form on insert and prints it back on read
     * (keys reordered, spaced). Written and read back as JSON text, as `json` is.
     */
    readonly jsonAsWritten: 'json' | 'text';
    /** Read back as a Node Buffer. */
    readonly binary: 'bytea' | 'blob';
    /** Read back as a JS number (safe up to 2^53). */
    readonly bigint: 'bigint' | 'integer';
  };
}

export const sqliteCapabilities: DialectCapabilities = Object.freeze({
  skipLocked: false,
  multiProcess: false,
  advisoryLocks: false,
  // The connection's own setting is FULL (database.ts); NORMAL in WAL mode syncs at the next FULL commit.
  deferredCommit: Object.freeze({ before: 'pragma synchronous = NORMAL', after: 'pragma synchronous = FULL' }),
  plannerNeedsStatistics: false,
  reusesPreparedStatements: true,
  insertsFromArrays: false,
  listsAsArrays: false,
  bytesAsHexText: false,
  distinctOn: false,
  writesInWith: false,
  fillfactor: false,
  placeholder: () => '?',
  uniqueViolation: sqliteUniqueViolation,
  types: Object.freeze({ timestamp: 'text', json: 'text', jsonAsWritten: 'text', binary: 'blob', bigint: 'integer' }),
});

export const postgresCapabilities: DialectCapabilities = Object.freeze({
  skipLocked: true,
  multiProcess: true,
  advisoryLocks: true,
  deferredCommit: Object.freeze({ first: 'set local synchronous_commit = off' }),
  plannerNeedsStatistics: true,
  reusesPreparedStatements: false,
  insertsFromArrays: true,
  listsAsArrays: true,
  bytesAsHexText: true,
  distinctOn: true,
  writesInWith: true,
  fillfactor: true,
  placeholder: (n: number) => `$${n}`,
  uniqueViolation: postgresUniqueViolation,
  types: Object.freeze({ timestamp: 'timestamptz', json: 'jsonb', jsonAsWritten: 'json', binary: 'bytea', bigint: 'bigint' }),
});
