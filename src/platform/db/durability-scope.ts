import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * How a SQLite commit made inside a scope reaches its caller (see DurableCommits in sqlite-driver.ts; other
 * databases ignore it):
 * - `deferred`: at once, its flush left to whoever asks next — for bookkeeping that is redone when lost,
 *   such as a job's claim and its completion (a job whose completion a power cut takes back runs again, as
 *   job handlers must allow). A killed process loses none of them. Every commit made in the scope is
 *   answered so, a transaction's too: keep the scope to such bookkeeping.
 * - `blocking`: after an fsync of the log on the JavaScript thread, as `synchronous = FULL` does inside each
 *   commit — for background work that runs one step after the other: on a busy server each flush waited for
 *   on the thread pool costs its caller turns of the event loop, which 64 requests in flight hold for long,
 *   and the job runner fell far behind (issue 20's soak).
 */
export type DurabilityScope = 'deferred' | 'blocking';

const scope = new AsyncLocalStorage<DurabilityScope>();

/** Runs `fn` with its writes' durability as {@link DurabilityScope} `deferred` says. */
export function withDeferredDurability<T>(fn: () => Promise<T>): Promise<T> {
  return scope.run('deferred', fn);
}

/** Runs `fn` with its commits made durable as {@link DurabilityScope} `blocking` says. */
export function withBlockingDurability<T>(fn: () => Promise<T>): Promise<T> {
  return scope.run('blocking', fn);
}

/** The scope the code now running is in, if any. */
export function durabilityScope(): DurabilityScope | undefined {
  return scope.getStore();
}
