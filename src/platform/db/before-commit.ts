type BeforeCommitWork = () => Promise<void>;

/** The work each open transaction of {@link withTransaction} runs last, before its COMMIT. */
const pending = new WeakMap<object, BeforeCommitWork[]>();

/** Marks `trx` as one whose before-commit work {@link runBeforeCommit} will run. */
export function openBeforeCommit(trx: object): void {
  pending.set(trx, []);
}

/**
 * Runs `work` as the last statements of the transaction `trx`, just before it commits (in the order given,
 * work added meanwhile included), and returns true; returns false, running nothing, when `trx` is not a
 * transaction of `withTransaction` (autocommit, or a transaction begun elsewhere): the caller must then do
 * its work at once. For a step that takes a lock every writer queues on: taken last, the lock is held for
 * the commit only, not for the whole of the transaction's work.
 */
export function beforeCommit(trx: object, work: BeforeCommitWork): boolean {
  const queue = pending.get(trx);
  if (queue === undefined) return false;
  queue.push(work);
  return true;
}

/** Runs the before-commit work of `trx`; afterwards, work for it is refused as for any other executor. */
export async function runBeforeCommit(trx: object): Promise<void> {
  const queue = pending.get(trx);
  if (queue === undefined) return;
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) await next();
  pending.delete(trx);
}
