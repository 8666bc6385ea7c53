import type { DialectCapabilities } from './capabilities.js';

/** How a transaction holds a lock: `shared` holders exclude only exclusive ones (the default), not each other. */
export interface LockMode {
  readonly shared?: boolean;
}

/** What a turn needs of a database handle: whether it has advisory locks (the handle also keys the queues). */
interface TurnDatabase {
  readonly caps: Pick<DialectCapabilities, 'advisoryLocks'>;
}

/**
 * One key's queue of a process's turns, in call order: an exclusive turn runs alone; shared turns run together,
 * at most `most` at once, as long as no exclusive turn is queued before them (so that a stream of shared turns
 * never keeps an exclusive one waiting). The in-process half of a lock that PostgreSQL holds as an advisory lock,
 * exclusive or shared (see {@link inProcessTurn}).
 */
class TurnQueue {
  private exclusive = false;
  private shared = 0;
  private readonly waiting: { readonly shared: boolean; readonly most: number; readonly start: () => void }[] = [];

  /** True when nothing runs or waits: the queue may be forgotten. */
  get idle(): boolean {
    return !this.exclusive && this.shared === 0 && this.waiting.length === 0;
  }

  /** Runs `fn` in its turn; a failure is passed on and does not stop the queue. */
  async run<T>(fn: () => Promise<T>, shared: boolean, most: number): Promise<T> {
    if (this.waiting.length > 0 || !this.mayStart(shared, most)) {
      await new Promise<void>((start) => this.waiting.push({ shared, most, start }));
    } else this.take(shared);
    try {
      return await fn();
    } finally {
      if (shared) this.shared -= 1;
      else this.exclusive = false;
      this.startWaiting();
    }
  }

  private mayStart(shared: boolean, most: number): boolean {
    return !this.exclusive && (shared ? this.shared < most : this.shared === 0);
  }

  private take(shared: boolean): void {
    if (shared) this.shared += 1;
    else this.exclusive = true;
  }

  private startWaiting(): void {
    for (let next = this.waiting[0]; next !== undefined && this.mayStart(next.shared, next.most); next = this.waiting[0]) {
      this.waiting.shift();
      this.take(next.shared);
      next.start();
    }
  }
}

/** Per database handle, each key's queue of this process's turns. */
const processTurns = new WeakMap<TurnDatabase, Map<string, TurnQueue>>();

/**
 * Runs `fn` once every earlier call for the same database handle and key in this process has settled (in call
 * order; a failure does not stop the queue). Put it in front of a transaction whose first step is
 * {@link serializeOn} with the same key: a process's waiters then queue here, holding nothing, instead of
 * each holding a pooled PostgreSQL connection while blocked on the advisory lock — which starved every other
 * query of connections until they failed as "database unavailable" with the database up. Across processes
 * the advisory lock still decides. SQLite serializes write transactions itself, so there it just runs `fn`.
 * With `shared`, for a lock taken shared: runs beside the shared turns running, at most `most` (default 4: each
 * holds a pooled connection) at once, once the exclusive turns called before it have settled.
 * Not re-entrant: `fn` must not ask for the same key's turn.
 */
export async function inProcessTurn<T>(
  db: TurnDatabase,
  key: string,
  fn: () => Promise<T>,
  mode: LockMode & { readonly most?: number } = {},
): Promise<T> {
  if (!db.caps.advisoryLocks) return fn();
  let turns = processTurns.get(db);
  if (turns === undefined) processTurns.set(db, (turns = new Map()));
  let queue = turns.get(key);
  if (queue === undefined) turns.set(key, (queue = new TurnQueue()));
  try {
    return await queue.run(fn, mode.shared === true, mode.most ?? 4);
  } finally {
    if (queue.idle && turns.get(key) === queue) turns.delete(key);
  }
}
