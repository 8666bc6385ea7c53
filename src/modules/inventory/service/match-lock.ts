import type { ServiceContext } from '../../../platform/context.js';
import { inProcessTurn, serializeOn, withTransaction, type Executor } from '../../../platform/db/index.js';
import { indexesOf, type InventoryIndexes } from './match-indexes.js';

/** What inventory work under the lock is given. */
export interface LockedWork<A> {
  readonly trx: Executor;
  /** This process's match indexes, refreshed to the database's newest change. */
  readonly indexes: InventoryIndexes;
  /** What `ahead` computed before the lock (undefined without one). */
  readonly ahead: A;
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
export function withInventoryLock<T>(ctx: ServiceContext, work: (locked: LockedWork<undefined>) => Promise<T>): Promise<T> {
  return withInventoryLockAfter(ctx, () => undefined, work);
}

/**
 * {@link withInventoryLock}, with `ahead` run first in this process's turn, before the lock, on indexes that
 * on PostgreSQL have just been brought up to the database's newest change: work there (matching against the
 * indexes, reading what the match needs) keeps only this process's inventory work waiting, where the lock
 * keeps every process's. What it computes is as of `indexes.seq` then; `work` gets it as `ahead`, to use
 * only if the indexes, refreshed under the lock, still stand at that change.
 */
export async function withInventoryLockAfter<T, A>(
  ctx: ServiceContext,
  ahead: (indexes: InventoryIndexes) => A | Promise<A>,
  work: (locked: LockedWork<A>) => Promise<T>,
): Promise<T> {
  const indexes = indexesOf(ctx.db);
  // One turn per process first: its waiters hold no pooled connection while another transaction holds the lock.
  return inProcessTurn(ctx.db, LOCK, async () => {
    // Other processes' changes are read here, outside the lock, which the other process may hold meanwhile;
    // under it only what committed since is left to read (issue 20: with two servers nearly every turn began
    // with a refresh of the other's changes, four round trips, while every process's inventory work waited).
    // Only where the turn keeps this process's other inventory work from refreshing at the same time.
    if (ctx.db.caps.advisoryLocks) await indexes.refresh(ctx.db.kysely);
    const early = await ahead(indexes);
    const after: (() => void)[] = [];
    const result = await withTransaction(ctx.db, async (trx) => {
      await serializeOn(trx, ctx.db.caps, LOCK);
      await indexes.refresh(trx);
      return work({ trx, indexes, ahead: early, afterCommit: (fn) => after.push(fn) });
    });
    for (const fn of after) fn();
    return result;
  });
}
