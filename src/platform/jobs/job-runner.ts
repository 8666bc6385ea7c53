import { tracingChannel } from 'node:diagnostics_channel';
import { hostname } from 'node:os';
import type { Clock } from '../clock.js';
import { isDatabaseUnavailable, withBlockingDurability, withDeferredDurability, type Database } from '../db/index.js';
import type { Logger } from '../log.js';
import { claimJobs, completeJob, completeJobs, failJob, releaseOrphanedLeases } from './claims.js';
import { groupsInClaimOrder } from './job-groups.js';
import { enqueueJob, type Job } from './jobs.js';
import type { LeaseHolder } from './lease-holder.js';
import { inWork, workJobCounts, type JobStateCounts } from './work.js';

/**
 * Runs one kind of job. Must be idempotent: a job whose worker died after doing part or all of the work
 * is run again once its lease expires.
 */
export type JobHandler = (job: Job) => Promise<void>;

/**
 * Runs one kind of job, one at a time or several at once: for a kind whose jobs cost less together. The
 * runner gives `many` the jobs of the kind it claimed together (of one work, in claim order, on their first
 * attempt: see job-groups.ts), in one durability scope, and completes them in one statement. `many` must
 * leave what `one` leaves run on each of them in turn, audit records included, and does it in one
 * transaction so that they share its fixed costs (begin and commit, the audit chain's head, the event and
 * job inserts). Should it throw, each job is run alone with `one`: a job that breaks its group fails and is
 * retried alone, and the others complete.
 */
export interface GroupedJobHandler {
  readonly one: JobHandler;
  readonly many: (jobs: readonly Job[]) => Promise<void>;
}

/** What runs the jobs of one kind: a handler of one job, or of several at once. */
export type JobKindHandler = JobHandler | GroupedJobHandler;

export interface JobRunnerOptions {
  readonly db: Database;
  readonly clock: Clock;
  readonly log: Logger;
  readonly handlers: Readonly<Record<string, JobKindHandler>>;
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
  /**
   * The most jobs a {@link GroupedJobHandler} is given at once: a claim that finds jobs of such a kind takes
   * the next queued jobs of that kind and work with them, up to this many (claims.ts). Default 8; 1 takes
   * none with them (the jobs of a kind one claim holds still run together).
   */
  readonly groupSize?: number;
  /**
   * How many jobs {@link JobRunner.start} runs at once: that many lanes, each claiming its own batch and
   * running it one job after the other, under its own worker name (`<worker>#<lane>`), so that
   * {@link releaseOrphanedLeases} still finds the one job (or group) each lane of a dead process was in. Default 1.
   */
  readonly lanes?: number;
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

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Retry backoff: 10 s, 40 s, 160 s, … capped at one hour. */
export function retryDelayMs(attempt: number): number {
  return Math.min(10_000 * 4 ** Math.max(0, attempt - 1), 3_600_000);
}

/**
 * Each job a runner runs, as a diagnostics tracing channel (`{ kind, id }`; a group of jobs run together is
 * traced once, with its first job's id and `jobs` its size): free without subscribers, and lets a profiler
 * attribute the process's time to job kinds (bench/soak-probe.ts binds a store to its start).
 */
export const jobTracing = tracingChannel<unknown, { readonly kind: string; readonly id: string; readonly jobs?: number }>(
  'clearinghouse:job',
);

export class JobRunner {
  readonly #options: Required<Omit<JobRunnerOptions, 'holder'>> & Pick<JobRunnerOptions, 'holder'>;
  #recovered: Promise<void> | undefined;
  /** The period each schedule was last enqueued for by this runner: a poll need not ask again within it. */
  readonly #scheduled = new Map<string, number>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #running: Promise<unknown>[] = [];
  #stopped = true;
  /**
   * How claimed jobs ended, where writing it failed because the database went away (an outage): written
   * first at the next poll, so that the jobs run again as soon as it is back, not when their leases expire.
   */
  #unwritten: (() => Promise<unknown>)[] = [];
  /** The kinds whose jobs run in groups. */
  readonly #grouped: ReadonlySet<string>;

  constructor(options: JobRunnerOptions) {
    this.#options = {
      worker: options.holder?.worker ?? `${hostname()}:${process.pid}`,
      leaseMs: 5 * 60_000,
      pollMs: 1000,
      batch: 4,
      groupSize: 8,
      lanes: 1,
      schedules: [],
      ...options,
    };
    this.#grouped = new Set(Object.keys(options.handlers).filter((kind) => typeof options.handlers[kind] !== 'function'));
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
  #recover(): Promise<void> {
    const { db, clock, log, holder } = this.#options;
    if (holder === undefined) return Promise.resolve();
    // One release for every lane; asked again after a failure.
    this.#recovered ??= releaseOrphanedLeases(db.kysely, clock, holder, { groupedKinds: this.#grouped }).then(
      (released) => {
        if (released.length > 0) log.warn({ jobs: released }, 'released the job leases of a process of this instance that died');
      },
      (error: unknown) => {
        this.#recovered = undefined;
        throw error;
      },
    );
    return this.#recovered;
  }

  /**
   * Enqueues scheduled work, claims due jobs once and runs them; returns how many ran. With `workId`, only
   * that work's jobs are claimed, and no schedule is enqueued.
   */
  async runOnce(workId?: string): Promise<number> {
    return this.#runBatch(this.#options.worker, 'blocking', workId);
  }

  /**
   * {@link runOnce} as `worker`. With `durability` `blocking`, each commit of a handler syncs the log on the
   * spot (durability-scope.ts), which suits one job at a time; `awaited`, it waits for the shared flush on the
   * thread pool, which the commits of the jobs that other lanes run meanwhile share.
   */
  async #runBatch(
    worker: string,
    durability: 'blocking' | 'awaited',
    workId?: string,
    onClaimed?: (count: number) => void,
  ): Promise<number> {
    const { db, clock, handlers, holder, leaseMs, batch, groupSize } = this.#options;
    // Lanes share the list: each takes its own, and puts back one it could not write yet.
    for (let outcome = this.#unwritten.shift(); outcome !== undefined; outcome = this.#unwritten.shift()) {
      try {
        await outcome();
      } catch (error) {
        this.#unwritten.unshift(outcome);
        throw error;
      }
    }
    await this.#recover();
    if (workId === undefined) await this.enqueueScheduled();
    const kinds = Object.keys(handlers);
    // A claim or an outcome that a power cut takes back only means the job runs again (handlers allow it):
    // neither waits for the disk. The handlers' own commits do, as `durability` says.
    const claimed = await withDeferredDurability(() =>
      claimJobs(db, clock, {
        worker,
        holder,
        kinds,
        limit: batch,
        leaseMs,
        ...(workId === undefined ? {} : { workId }),
        ...(this.#grouped.size === 0 ? {} : { groups: { kinds: this.#grouped, size: groupSize } }),
      }),
    );
    onClaimed?.(claimed.length);
    for (const group of groupsInClaimOrder(claimed, this.#grouped)) {
      const handler = handlers[group[0]?.kind ?? ''];
      if (handler === undefined) continue;
      if (typeof handler !== 'function' && group.length > 1) await this.#runGroup(group, handler, durability);
      else for (const job of group) await this.#runAlone(job, typeof handler === 'function' ? handler : handler.one, durability);
    }
    return claimed.length;
  }

  /** Runs `job` and records how it ended. */
  async #runAlone(job: Job, handler: JobHandler, durability: 'blocking' | 'awaited'): Promise<void> {
    const { db, clock, log } = this.#options;
    let outcome: () => Promise<unknown>;
    try {
      await this.#inScope([job], durability, () => handler(job));
      outcome = async () => {
        if (!(await completeJob(db.kysely, clock, job))) log.warn({ job: job.id, kind: job.kind }, 'job lease was lost before completion');
      };
    } catch (error) {
      log.error({ job: job.id, kind: job.kind, attempt: job.attempt, err: error }, 'job failed');
      // A job cut short by a database outage is retried as soon as the database is back.
      const delay = isDatabaseUnavailable(error) ? 0 : retryDelayMs(job.attempt);
      outcome = () => failJob(db.kysely, clock, job, messageOf(error), delay);
    }
    await this.#write(outcome);
  }

  /**
   * Runs several jobs of one kind with its {@link GroupedJobHandler}, and completes them together; when that
   * fails, runs each alone — unless the database went away, when each is retried once it is back.
   */
  async #runGroup(group: readonly Job[], handler: GroupedJobHandler, durability: 'blocking' | 'awaited'): Promise<void> {
    const { db, clock, log } = this.#options;
    const jobs = group.map((job) => job.id);
    const kind = group[0]?.kind;
    try {
      await this.#inScope(group, durability, () => handler.many(group));
    } catch (error) {
      if (!isDatabaseUnavailable(error)) {
        log.warn({ jobs, kind, err: error }, 'job group failed: running its jobs alone');
        for (const job of group) await this.#runAlone(job, handler.one, durability);
        return;
      }
      log.error({ jobs, kind, err: error }, 'job group failed');
      await this.#write(async () => {
        for (const job of group) await failJob(db.kysely, clock, job, messageOf(error), 0);
      });
      return;
    }
    await this.#write(async () => {
      const lost = await completeJobs(db.kysely, clock, group);
      if (lost.length > 0) log.warn({ jobs: lost, kind }, 'job lease was lost before completion');
    });
  }

  /** Runs `work` for `jobs` (one, or a group of one kind and work) in their work, traced, under `durability`. */
  async #inScope(jobs: readonly Job[], durability: 'blocking' | 'awaited', work: () => Promise<void>): Promise<void> {
    const [first] = jobs;
    if (first === undefined) return;
    const context = jobs.length === 1 ? { kind: first.kind, id: first.id } : { kind: first.kind, id: first.id, jobs: jobs.length };
    const traced = () => jobTracing.tracePromise(work, context);
    const run = () => (first.work === undefined ? traced() : inWork(first.work, traced));
    await (durability === 'blocking' ? withBlockingDurability(run) : run());
  }

  /**
   * Writes how claimed jobs ended, without waiting for the disk: a power cut that takes it back only means
   * the jobs run again (handlers allow it). Kept for the next poll when the database has gone away.
   */
  async #write(outcome: () => Promise<unknown>): Promise<void> {
    try {
      await withDeferredDurability(outcome);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      this.#unwritten.push(outcome);
    }
  }

  /**
   * Polls in the background until {@link stop}. The first lane polls always: a batch, then the next at once,
   * or after `pollMs` when it found nothing to do. The others run only while there is a backlog: a lane that
   * has just claimed a full batch wakes one that sleeps, and a lane other than the first that found nothing sleeps
   * until woken — an idle server polls as often as with one lane, and its lanes hold no pooled connections.
   */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    const { lanes, worker, batch, pollMs, log } = this.#options;
    this.#running = [];
    const asleep: (() => void)[] = [];
    const later = (fn: () => void, ms: number): void => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        fn();
      }, ms);
      timer.unref();
      this.#timers.add(timer);
    };
    for (let lane = 0; lane < lanes; lane++) {
      const name = lanes === 1 ? worker : `${worker}#${lane}`;
      const tick = (): void => {
        // A full batch means more may be due: another lane starts on it while this one runs its own.
        const wake = (claimed: number) => {
          if (claimed >= batch && !this.#stopped) asleep.shift()?.();
        };
        this.#running[lane] = this.#runBatch(name, lanes === 1 ? 'blocking' : 'awaited', undefined, wake)
          .catch((error: unknown) => log.error({ err: error }, 'job poll failed'))
          .then((ran) => {
            if (this.#stopped) return;
            if (typeof ran === 'number' && ran > 0) later(tick, 0);
            else if (lane === 0) later(tick, pollMs);
            else asleep.push(tick);
          });
      };
      if (lane === 0) tick();
      else asleep.push(tick);
    }
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
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await Promise.all(this.#running);
  }
}
