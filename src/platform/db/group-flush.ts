import { close, fstatSync, fsync, fsyncSync, openSync, statSync, type Stats } from 'node:fs';
import { promisify } from 'node:util';

const fsyncAsync = promisify(fsync);
const closeAsync = promisify(close);

/**
 * Group commit: one flush covers every caller that asked before it started. A caller asking while a flush is
 * under way (which may have started before its commit) waits for the next one, which starts when that one
 * ends and covers everyone who asked meanwhile: under concurrent commits, one flush per round instead of one
 * per commit, and the committing thread never waits on the disk itself.
 */
export class GroupFlush {
  readonly #flush: () => Promise<void>;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;

  constructor(flush: () => Promise<void>) {
    this.#flush = flush;
  }

  /** Settles once a flush that started after this call has ended; rejects with that flush's error. */
  flushed(): Promise<void> {
    if (this.#queued !== undefined) return this.#queued;
    if (this.#running === undefined) return this.#start();
    const queued = this.#running.then(
      () => this.#start(),
      () => this.#start(),
    );
    this.#queued = queued;
    return queued;
  }

  #start(): Promise<void> {
    this.#queued = undefined;
    const running = this.#flush().finally(() => {
      if (this.#running === running) this.#running = undefined;
    });
    this.#running = running;
    return running;
  }
}

/**
 * Flushes a SQLite database's write-ahead log to disk with fsync on the thread pool (not the JavaScript thread,
 * which goes on with the next transaction). A commit made with `synchronous = NORMAL` in WAL mode is written to
 * the log file (a killed process loses nothing) but not synced; fsync of the log file, through any descriptor
 * of it, makes every commit written before the call durable — what `synchronous = FULL` does inside each
 * commit. The log is only rewritten from its start after a checkpoint has copied (and synced) all of it into
 * the database file, so a commit found no longer in the log is durable there already. The descriptor is
 * reopened should the log file have been replaced (removed when the last connection closed, then created again).
 */
export class WalFlusher {
  readonly #wal: string;
  #fd: number | undefined;
  #inode: number | undefined;
  readonly #retired: number[] = [];
  readonly #group = new GroupFlush(() => this.#fsync());

  constructor(databaseFile: string) {
    this.#wal = `${databaseFile}-wal`;
  }

  /** Settles once every commit made before the call is on disk. */
  flushed(): Promise<void> {
    return this.#group.flushed();
  }

  /**
   * One operation on the thread pool, the fsync: on a busy server each operation's completion waits for a turn
   * of the event loop, and every committing caller waits for it. Finding the log file and opening it are
   * metadata lookups the kernel answers from memory, done here on the spot.
   */
  async #fsync(): Promise<void> {
    const fd = this.#log();
    if (fd !== undefined) await fsyncAsync(fd);
  }

  /** Every commit made before the call on disk, now, on this thread (what `synchronous = FULL` does in a commit). */
  flushNow(): void {
    const fd = this.#log();
    if (fd !== undefined) fsyncSync(fd);
  }

  /** A descriptor of the log file as it is now; undefined when there is none. */
  #log(): number | undefined {
    let current: Stats | undefined;
    try {
      current = statSync(this.#wal, { throwIfNoEntry: false });
    } catch {
      current = undefined;
    }
    // No log file: nothing written since the last connection closed, which checkpoints it and syncs.
    if (current === undefined) return undefined;
    if (this.#fd === undefined || this.#inode !== current.ino) {
      // Closed with the flusher: a flush on the thread pool may still be using it.
      if (this.#fd !== undefined) this.#retired.push(this.#fd);
      this.#fd = openSync(this.#wal, 'r');
      this.#inode = fstatSync(this.#fd).ino;
    }
    return this.#fd;
  }

  async close(): Promise<void> {
    await this.#group.flushed().catch(() => undefined);
    const fds = [...this.#retired.splice(0), ...(this.#fd === undefined ? [] : [this.#fd])];
    this.#fd = undefined;
    for (const fd of fds) await closeAsync(fd);
  }
}
