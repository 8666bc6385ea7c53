import { hostname } from 'node:os';
import type { Clock } from '../clock.js';
import { isDatabaseUnavailable, withBlockingDurability, withDeferredDurability, type Database } from '../db/index.js';
import type { Logger } from '../log.js';
import { claimJobs, completeJob, enqueueJob, failJob, releaseOrphanedLeases, type Job } from './jobs.js';
import type { LeaseHolder } from './lease-holder.js';
import { inWork, workJobCounts, type JobStateCounts } from './work.js';

/**
 * Runs one kind of job. Must be idempotent: a job whose worker died after doing part or all of the work
 * is run again once its lease expires.
 */
export type JobHandler = (job: Job) => Promise<void>;

export interface JobRunnerOptions {
  readonly db: Database;
  readonly clock: Clock;
  readonly log: Logger;
  readonly handlers: Readonly<Record<string, JobHandler>>;
  /**
   * This process as it holds leases. With it, the first poll releases the leases that earlier processes
   * of the same instance held when they died, so their jobs run at once rather than when the leases expire.
   */
  readonly holder?: LeaseHolder;
  /** Default the holder's worker name, else `<host>:<pid>`. */
  readonly worker?: string;
  /** How long a claim lasts before another worker may take the job over. Default 5 minutes. */
  readonly leaseMs?: number;
  /** Pause between polls when there was nothing to do. Default 1 second. */
  readonly pollMs?: number;
  /** Jobs claimed per poll. Default 4. */
  readonly batch?: number;
  /** Recurring work: each poll enqueues `kind` once per period (deduplicated across processes). */
  readonly schedules?: readonly Schedule[];
}

export interface Schedule {
  readonly kind: string;
  readonly everyMs: number;
  readonly payload?: unknown;
  /** Default `JOB_PRIORITY.normal`. */
  readonly priority?: number;
}

/** Retry backoff: 10 s, 40 s, 160 s, … capped at one hour. */
export function retryDelayMs(attempt: number): number {
  return Math.min(10_000 * 4 ** Math.max(0, attempt - 1), 3_600_000);
}

export class JobRunner {
  readonly #options: Required<Omit<JobRunnerOptions, 'holder'>> & Pick<JobRunnerOptions, 'holder'>;
  #recovered = false;
  /** The period each schedule was last enqueued for by this runner: a poll need not ask again within it. */
  readonly #scheduled = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> = Promise.resolve();
  #stopped = true;
  /**
   * How claimed jobs ended, where writing it failed because the database went away (an outage): written
   * first at the next poll, so that the jobs run again as soon as it is back, not when their leases expire.
   */
  #unwritten: (() => Promise<unknown>)[] = [];

  constructor(options: JobRunnerOptions) {
    this.#options = {
      worker: options.holder?.worker ?? `${hostname()}:${process.pid}`,
      leaseMs: 5 * 60_000,
      pollMs: 1000,
      batch: 4,
      schedules: [],
      ...options,
    };
  }

  /** The kinds of job this runner runs. */
  get kinds(): readonly string[] {
    return Object.keys(this.#options.handlers);
  }

  /** Enqueues this period's run of every schedule that has not been enqueued yet. */
  async enqueueScheduled(): Promise<void> {
    const { db, clock, schedules } = this.#options;
    const now = clock.now().getTime();
    for (const schedule of schedules) {
      const period = Math.floor(now / schedule.everyMs);
      if (this.#scheduled.get(schedule.kind) === period) continue;
      await enqueueJob(db.kysely, clock, {
        kind: schedule.kind,
        payload: schedule.payload ?? null,
        dedupKey: `schedule:${schedule.kind}:${period}`,
        ...(schedule.priority === undefined ? {} : { priority: schedule.priority }),
      });
      this.#scheduled.set(schedule.kind, period);
    }
  }

  /** Releases, once per runner, the leases of dead processes of this instance (a no-op without a holder). */
  async #recover(): Promise<void> {
    const { db, clock, log, holder } = this.#options;
    if (this.#recovered || holder === undefined) return;
    const released = await releaseOrphanedLeases(db.kysely, clock, holder);
    this.#recovered = true;
    if (released.length > 0) log.warn({ jobs: released }, 'released the job leases of a process of this instance that died');
  }

  /**
   * Enqueues scheduled work, claims due jobs once and runs them; returns how many ran. With `workId`, only
   * that work's jobs are claimed, and no schedule is enqueued.
   */
  async runOnce(workId?: string): Promise<number> {
    const { db, clock, log, handlers, worker, holder, leaseMs, batch } = this.#options;
    while (this.#unwritten.length > 0) {
      await this.#unwritten[0]!();
      this.#unwritten.shift();
    }
    await this.#recover();
    if (workId === undefined) await this.enqueueScheduled();
    const kinds = Object.keys(handlers);
    // A claim or an outcome that a power cut takes back only means the job runs again (handlers allow it):
    // neither waits for the disk. The handlers' own commits do, on the spot (durability-scope.ts).
    const claimed = await withDeferredDurability(() =>
      claimJobs(db, clock, {
        worker,
        holder,
        kinds,
        limit: batch,
        leaseMs,
        ...(workId === undefined ? {} : { workId }),
      }),
    );
    for (const job of claimed) {
      const handler = handlers[job.kind];
      if (handler === undefined) continue;
      let outcome: () => Promise<unknown>;
      try {
        await withBlockingDurability(() => (job.work === undefined ? handler(job) : inWork(job.work, () => handler(job))));
        outcome = async () => {
          if (!(await completeJob(db.kysely, clock, job)))
            log.warn({ job: job.id, kind: job.kind }, 'job lease was lost before completion');
        };
      } catch (error) {
        log.error({ job: job.id, kind: job.kind, attempt: job.attempt, err: error }, 'job failed');
        // A job cut short by a database outage is retried as soon as the database is back.
        const delay = isDatabaseUnavailable(error) ? 0 : retryDelayMs(job.attempt);
        outcome = () => failJob(db.kysely, clock, job, error instanceof Error ? error.message : String(error), delay);
      }
      try {
        await withDeferredDurability(outcome);
      } catch (error) {
        if (!isDatabaseUnavailable(error)) throw error;
        this.#unwritten.push(outcome);
      }
    }
    return claimed.length;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    const tick = (): void => {
      this.#running = this.runOnce()
        .catch((error: unknown) => this.#options.log.error({ err: error }, 'job poll failed'))
        .then((ran) => {
          if (this.#stopped) return;
          this.#timer = setTimeout(tick, typeof ran === 'number' && ran > 0 ? 0 : this.#options.pollMs);
          this.#timer.unref();
        });
    };
    tick();
  }

  /** Runs until no job is due (for tests and the CLI); returns how many ran. Stops after `limit`. */
  async drain(limit = 10_000): Promise<number> {
    let total = 0;
    for (;;) {
      const ran = await this.runOnce();
      total += ran;
      if (ran === 0 || total >= limit) return total;
    }
  }

  /**
   * Runs the jobs of one work in this process until none is left to run: what a command that queued work
   * and was asked to `--wait` does when it works on the database itself. Jobs another process holds, or
   * that wait for a retry, are waited for (polling every `pollMs`). Reports the work's counts after each
   * round; resolves with the final counts (some may have failed).
   */
  async runWork(workId: string, onProgress?: (counts: JobStateCounts) => void): Promise<JobStateCounts> {
    for (;;) {
      const ran = await this.runOnce(workId);
      const counts = await workJobCounts(this.#options.db.kysely, workId);
      onProgress?.(counts);
      if (counts.pending + counts.running === 0) return counts;
      if (ran === 0) await new Promise((resolve) => setTimeout(resolve, this.#options.pollMs));
    }
  }

  /** Stops polling and waits for the jobs in hand to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.#running;
  }
}
