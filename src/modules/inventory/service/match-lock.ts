import type { ServiceContext } from '../../../platform/context.js';
import { withSerializedTransaction, type Executor } from '../../../platform/db/index.js';
import { indexesOf, type InventoryIndexes } from './match-indexes.js';

/** What inventory work under the lock is given. */
export interface LockedWork {
  readonly trx: Executor;
  /** This process's match indexes, refreshed to the database's newest change. */
  readonly indexes: InventoryIndexes;
  /** Runs `fn` once the transaction has committed (never if it rolls back): for updating the caches. */
  afterCommit(fn: () => void): void;
}

const LOCK = 'inventory.match';

/**
 * Runs `work` in one transaction that holds the inventory lock: an advisory upsert, an SBOM upload and a
 * reverse match each take it, so that whichever commits second sees the first. Without it an SBOM uploaded
 * while a new advisory's reverse match runs could be missed by both directions. On PostgreSQL this is an
 * advisory lock across processes, waited for in this process's queue first; on SQLite write transactions
 * are serialized already.
 */
export async function withInventoryLock<T>(ctx: ServiceContext, work: (locked: LockedWork) => Promise<T>): Promise<T> {
  const after: (() => void)[] = [];
  // One turn per process first: its waiters hold no pooled connection while another transaction holds the lock.
  const result = await withSerializedTransaction(ctx.db, LOCK, async (trx) => {
    const indexes = indexesOf(ctx.db);
    await indexes.refresh(trx);
    return work({ trx, indexes, afterCommit: (fn) => after.push(fn) });
  });
  for (const fn of after) fn();
  return result;
}
