import { AsyncLocalStorage } from 'node:async_hooks';
import {
  CompiledQuery,
  PostgresDialect,
  PostgresDriver,
  type DatabaseConnection,
  type Driver,
  type PostgresDialectConfig,
  type TransactionSettings,
} from 'kysely';

/** SQL the next BEGIN in this async context sends with it, once (see {@link PostgresDriverWithPreamble}). */
const transactionPreamble = new AsyncLocalStorage<{ sql: string | undefined }>();

/**
 * Kysely's PostgreSQL driver, whose BEGIN carries the statement a transaction must start with (a deferred
 * one's `set local synchronous_commit = off`) in the same message: one round trip where there were two, and
 * one less while a connection sits idle in transaction before its work starts (issue 20). Sent without
 * parameters, as a simple query of two statements; only the first BEGIN after {@link transactionPreamble} is
 * set takes it, not the transactions the work itself may open.
 */
class PostgresDriverWithPreamble extends PostgresDriver {
  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const preamble = transactionPreamble.getStore();
    const first = preamble?.sql;
    if (preamble === undefined || first === undefined || settings.isolationLevel !== undefined || settings.accessMode !== undefined)
      return super.beginTransaction(connection, settings);
    preamble.sql = undefined;
    await connection.executeQuery(CompiledQuery.raw(`begin; ${first}`));
  }
}

/** Kysely's PostgreSQL dialect with {@link PostgresDriverWithPreamble} as its driver. */
export class PostgresDialectWithPreamble extends PostgresDialect {
  readonly #config: PostgresDialectConfig;
  constructor(config: PostgresDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new PostgresDriverWithPreamble(this.#config);
  }
}

/** Runs `fn` with `first` (if any) sent together with the BEGIN of the first transaction it opens on PostgreSQL. */
export function withTransactionPreamble<T>(first: string | undefined, fn: () => Promise<T>): Promise<T> {
  return first === undefined ? fn() : transactionPreamble.run({ sql: first }, fn);
}
