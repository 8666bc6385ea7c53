import type { ServiceContext } from '../../../platform/context.js';
import {
  inProcessTurn,
  serializeOn,
  serializeOnInOrder,
  serializeOnStatement,
  withTransaction,
  type Executor,
  type WriteStatement,
} from '../../../platform/db/index.js';
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
  /**
   * Statements to send before the change log's append, with the last writes before it: under the lock held
   * shared they take the change log's own lock, which numbers changes in commit order (none under the lock
   * held alone, which does so already).
   */
  readonly beforeAppend: readonly WriteStatement[];
}

const LOCK = 'inventory.match';
/** Taken, exclusively, by an upload (holding {@link LOCK} shared) from its change log append to its commit. */
const CHANGES = 'inventory.change';
/** An operator's uploads, one at a time: its assets' names, versions and current SBOMs. */
const UPLOADS = 'inventory.upload';

/**
 * Runs `work` in one transaction that holds the inventory lock alone: an advisory upsert and a reverse match
 * take it so, an SBOM upload shared ({@link withUploadLockAfter}), so that of an upload and a reverse match
 * whichever commits second sees the first. Without it an SBOM uploaded while a new advisory's reverse match
 * runs could be missed by both directions. On PostgreSQL this is an advisory lock across processes, waited for
 * in this process's queue first; on SQLite write transactions are serialized already.
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
export function withInventoryLockAfter<T, A>(
  ctx: ServiceContext,
  ahead: (indexes: InventoryIndexes) => A | Promise<A>,
  work: (locked: LockedWork<A>) => Promise<T>,
): Promise<T> {
  return inProcessTurn(ctx.db, LOCK, () =>
    locked(
      ctx,
      ahead,
      work,
      (trx) => serializeOn(trx, ctx.db.caps, LOCK),
      () => [],
      true,
    ),
  );
}

/**
 * {@link withInventoryLockAfter} for an SBOM upload to one of `orgId`'s assets: the inventory lock held shared,
 * with the operator's upload lock alone. An upload reads the advisories and writes its own asset's rows only,
 * so uploads to different operators need not wait for one another (issue 20: the lock was held 97–99 % of a
 * soak, each holder a dozen event-loop turns); the advisories cannot change while it is held (advisory upserts
 * hold the lock alone), and a reverse match, holding it alone, still waits for every upload and is waited for
 * by every later one. What stays serial is the change log: its numbers must commit in order, for a refresh
 * reads the changes after the last one it saw, so `work` sends {@link LockedWork.beforeAppend} before its
 * append and holds the change log's lock from there to its commit, a few statements.
 */
export function withUploadLockAfter<T, A>(
  ctx: ServiceContext,
  orgId: string,
  ahead: (indexes: InventoryIndexes) => A | Promise<A>,
  work: (locked: LockedWork<A>) => Promise<T>,
): Promise<T> {
  const uploads = `${UPLOADS}:${orgId}`;
  const caps = ctx.db.caps;
  // The operator's lock before the shared one, in one statement (the subquery runs first): waiting for the
  // shared lock behind an exclusive waiter while holding it, an upload keeps only its operator's uploads waiting.
  const take = (trx: Executor) => serializeOnInOrder(trx, caps, uploads, LOCK, { shared: true });
  // In this process, the shared turn first and the operator's inside it: an upload waiting for its shared turn
  // (behind the exclusive turns called before it) holds nothing, so the operator's next upload keeps its own
  // place in the queue. The other way round, it waited for the operator's turn while the first waited for the
  // shared one, then went to the back of the queue behind every exclusive turn called meanwhile: a convoy per
  // operator, 4.3 of an upload's 7.7 s at p50 and 39 of 43 s at p99 in a loaded two-server soak (issue 20).
  // Waiting for the operator's turn inside a shared one keeps waiting only the exclusive turns called after it,
  // which wait for it anyway, and the shared turns past the cap (a turn of the four); what holds the operator's
  // turn holds its shared turn already and waits for no other turn, so no turn waits on itself.
  return inProcessTurn(
    ctx.db,
    LOCK,
    () => inProcessTurn(ctx.db, uploads, () => locked(ctx, ahead, work, take, (trx) => serializeOnStatement(trx, caps, CHANGES), false)),
    { shared: true },
  );
}

async function locked<T, A>(
  ctx: ServiceContext,
  ahead: (indexes: InventoryIndexes) => A | Promise<A>,
  work: (locked: LockedWork<A>) => Promise<T>,
  take: (trx: Executor) => Promise<void>,
  beforeAppend: (trx: Executor) => WriteStatement[],
  refreshAhead: boolean,
): Promise<T> {
  const indexes = indexesOf(ctx.db);
  // Other processes' changes are read here, outside the lock, which the other process may hold meanwhile;
  // under it only what committed since is left to read (issue 20: with two servers nearly every turn began
  // with a refresh of the other's changes, four round trips, while every process's inventory work waited).
  // Not for the lock held shared, which keeps no other upload waiting: there a refresh ahead would cost a
  // round trip more, and a pooled connection for each refresh waited for (refreshes run one at a time)
  // while uploads inside their transactions held theirs.
  if (refreshAhead && ctx.db.caps.advisoryLocks) await indexes.refresh(ctx.db.kysely);
  const early = await ahead(indexes);
  const after: (() => void)[] = [];
  const result = await withTransaction(ctx.db, async (trx) => {
    await take(trx);
    await indexes.refresh(trx);
    return work({ trx, indexes, ahead: early, afterCommit: (fn) => after.push(fn), beforeAppend: beforeAppend(trx) });
  });
  for (const fn of after) fn();
  return result;
}
