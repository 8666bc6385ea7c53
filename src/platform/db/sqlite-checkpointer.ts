import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The write-ahead log's size from which the checkpointer starts (SQLite's own default checkpoint point,
 * 1,000 pages of 4 KiB). A database that never writes this much (most tests, a quiet server) never starts it.
 */
const START_AT_BYTES = 4 * 1024 * 1024;

/** The least time between two checkpoints asked for: small commits do not each cost a checkpoint. */
const MIN_INTERVAL_MS = 100;

/**
 * The connection's own checkpoint point while a checkpointer runs beside it: only a backstop, should the
 * checkpointer fall behind (64 MiB of log).
 */
export const BACKSTOP_CHECKPOINT_PAGES = 16_384;

// The worker is plain CommonJS, evaluated: it loads nothing of ours, so it runs the same from sources and
// from the build. A PASSIVE checkpoint never waits for the writer and never makes it wait.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
db.pragma('synchronous = FULL');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or locked: the next commit asks again.
  }
  parentPort.postMessage('done');
});
`;

/**
 * Checkpoints a SQLite database's write-ahead log from a worker thread with its own connection, so that the
 * copying of committed pages into the database file, and its fsync, happen beside the writer instead of
 * inside one of its commits (measured in issue 14: two thirds of intake's commit time at 50,000 findings).
 * Durability is SQLite's own either way: a commit is durable in the log, and a checkpoint killed halfway is
 * redone from the log on the next open.
 */
export class SqliteCheckpointer {
  readonly #file: string;
  readonly #wal: string;
  #worker: Worker | undefined;
  #busy = false;
  #waiting: (() => void)[] = [];
  #last = 0;
  #closed = false;

  constructor(file: string) {
    this.#file = file;
    this.#wal = `${file}-wal`;
  }

  /** Told after each commit: asks for a checkpoint when the log is large enough and none is under way. */
  committed(): void {
    if (this.#busy || this.#closed) return;
    const now = performance.now();
    if (now - this.#last < MIN_INTERVAL_MS) return;
    if (this.#worker === undefined) {
      let size = 0;
      try {
        size = statSync(this.#wal).size;
      } catch {
        return;
      }
      if (size < START_AT_BYTES) return;
      this.#worker = this.#start();
    }
    this.#last = now;
    this.#busy = true;
    this.#worker.postMessage('checkpoint');
  }

  #start(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file: this.#file, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
    });
    const settle = () => {
      this.#busy = false;
      for (const resolve of this.#waiting.splice(0)) resolve();
    };
    worker.on('message', settle);
    // A checkpointer that fails leaves checkpoints to the connection's own backstop; nothing is lost.
    worker.on('error', () => {
      this.#closed = true;
      settle();
    });
    worker.unref();
    return worker;
  }

  /** Settles when no checkpoint is under way. */
  idle(): Promise<void> {
    return this.#busy ? new Promise((resolve) => this.#waiting.push(resolve)) : Promise.resolve();
  }

  /** Ends the worker after its checkpoint under way, if any. */
  async close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    if (worker === undefined) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    // Held while it ends: an unreferenced worker would let the process end before the caller's next step.
    worker.ref();
    worker.postMessage('close');
    await exited;
  }
}
