import type { Actor } from '../platform/actor.js';
import { systemActor } from '../platform/actor.js';
import { BLOB_SWEEP_JOB, openBlobStore, sweepBlobs, type BlobStore, type SweepReport } from '../platform/blobs/index.js';
import { HOUR, MINUTE, systemClock, type Clock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import type { AuditWriter, ServiceContext } from '../platform/context.js';
import { openDatabase, pendingMigrations, runMigrations, type Database } from '../platform/db/index.js';
import type pino from 'pino';
import type { Logger } from '../platform/log.js';
import { createAuditWriter } from '../modules/audit/index.js';
import { createOutbox, eventJobHandlers, type EventPublisher } from '../platform/events/index.js';
import { HOUSEKEEPING_JOB, sweepHousekeeping, type HousekeepingReport } from '../platform/housekeeping.js';
import { currentLeaseHolder, enqueueJob, JOB_PRIORITY, JobRunner, type LeaseHolder, type Schedule } from '../platform/jobs/index.js';
import { allBlobReferences, allConsumers, allJobHandlers, allMigrations, allSchedules, stopAllModules } from './modules.js';

/** Everything a process shares between requests, commands and jobs. */
export interface Runtime {
  readonly config: Config;
  readonly db: Database;
  readonly blobs: BlobStore;
  readonly clock: Clock;
  readonly log: pino.Logger;
  readonly audit: AuditWriter;
  readonly events: EventPublisher;
  /** Background work: event deliveries, module jobs and schedules. `serve` starts it; tests drain it. */
  readonly jobs: JobRunner;
  contextFor(actor: Actor, log?: Logger): ServiceContext;
  /** Names of migrations not applied yet; empty when the schema is current. */
  pendingMigrations(): Promise<string[]>;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  readonly clock?: Clock;
  /** Apply pending migrations on open (default true). */
  readonly migrate?: boolean;
}

/** Opens the configured database and blob store and, unless told otherwise, brings the schema up to date. */
export async function openRuntime(config: Config, log: pino.Logger, options: RuntimeOptions = {}): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  // Each job lane past the first brings its own connection, so that requests keep the pool they had with one.
  const database =
    config.database.dialect === 'postgres'
      ? { ...config.database, poolSize: config.database.poolSize + config.jobLanes - 1 }
      : config.database;
  const db = openDatabase(database, {
    onIdleConnectionError: (error) => log.warn({ err: error }, 'a database connection failed while idle; the next query opens a new one'),
  });
  try {
    if (options.migrate ?? true) {
      const applied = await runMigrations(db, allMigrations, () => clock.now());
      if (applied.length > 0) log.info({ applied }, 'applied migrations');
    }
  } catch (error) {
    await db.close();
    throw new Error(`cannot prepare the database ${db.description}: ${(error as Error).message}`, { cause: error });
  }
  const blobs = openBlobStore(config, db, clock);
  const audit = createAuditWriter(clock, db.caps);
  const holder = leaseHolder(config, log);
  const background = { contextFor: (actor: Actor) => contextFor(actor), config, holder };
  const consumers = allConsumers(background);
  const events = createOutbox(clock, consumers, db.caps);
  const contextFor = (actor: Actor, requestLog?: Logger): ServiceContext => ({
    db,
    clock,
    actor,
    log: requestLog ?? log,
    audit,
    events,
    blobs,
  });
  const jobs = new JobRunner({
    db,
    holder,
    lanes: config.jobLanes,
    batch: config.jobBatch,
    groupSize: config.jobGroup,
    clock,
    log,
    handlers: {
      ...eventJobHandlers(consumers, db.kysely),
      ...allJobHandlers(background),
      [BLOB_SWEEP_JOB]: async () => void (await sweepBlobStore(contextFor(BLOB_SWEEPER), config)),
      // A sweep stopped by its row budget queues the rest at once, behind the jobs due before it.
      [HOUSEKEEPING_JOB]: async (job) => {
        const report = await housekeep(db, clock, config);
        log.info({ ...report }, 'swept finished jobs and delivered events');
        if (!report.complete)
          await enqueueJob(db.kysely, clock, {
            kind: HOUSEKEEPING_JOB,
            dedupKey: `${HOUSEKEEPING_JOB}:after:${job.id}`,
            priority: JOB_PRIORITY.urgent,
          });
      },
    },
    schedules: runtimeSchedules(config),
  });
  return {
    config,
    db,
    blobs,
    clock,
    log,
    audit,
    events,
    jobs,
    contextFor,
    pendingMigrations: () => pendingMigrations(db, allMigrations),
    close: async () => {
      await jobs.stop();
      await stopAllModules();
      await db.close();
    },
  };
}

/** This process as a job lease holder; without one (a data directory it cannot write) leases only expire. */
function leaseHolder(config: Config, log: pino.Logger): LeaseHolder | undefined {
  try {
    return currentLeaseHolder(config.dataDir);
  } catch (error) {
    log.warn({ err: error, dataDir: config.dataDir }, 'no instance id: leases of a crashed process will be released only when they expire');
    return undefined;
  }
}

const BLOB_SWEEPER = systemActor('blob-sweeper');

/** Removes leftover temporary files and unreferenced blobs older than the configured grace (a job and a command). */
export function sweepBlobStore(ctx: ServiceContext, config: Config, options: { dryRun?: boolean } = {}): Promise<SweepReport> {
  return sweepBlobs(ctx, allBlobReferences, { graceMs: config.blobSweepGraceHours * HOUR, dryRun: options.dryRun });
}

/**
 * Every schedule a server runs: the modules' and the platform's own. The housekeeping sweep keeps a scheduled
 * run's done job for the longest of their periods, whether a server or the CLI's `jobs sweep` runs it.
 */
function runtimeSchedules(config: Config): Schedule[] {
  return [
    ...allSchedules,
    { kind: BLOB_SWEEP_JOB, everyMs: 6 * HOUR },
    // Urgent, as webhook dispatch: behind a backlog of bulk work (the soak's grows all along) a sweep of normal
    // priority waited 44 s and more, so the tables kept growing while the backlog did. A run's work is bounded
    // (HOUSEKEEPING_MAX_ROWS).
    { kind: HOUSEKEEPING_JOB, everyMs: config.housekeepingEveryMinutes * MINUTE, priority: JOB_PRIORITY.urgent },
  ];
}

/**
 * Deletes done and failed jobs and delivered events older than the configured times (a job and a command;
 * platform/housekeeping.ts). Done scheduled jobs stay for the longest schedule's period at least.
 */
export function housekeep(db: Database, clock: Clock, config: Config, options: { dryRun?: boolean } = {}): Promise<HousekeepingReport> {
  return sweepHousekeeping(db, clock, {
    doneJobsKeepMs: config.doneJobsKeepMinutes * MINUTE,
    failedJobsKeepMs: config.failedJobsKeepDays * 24 * HOUR,
    eventsKeepMs: config.eventsKeepMinutes * MINUTE,
    scheduleKeepMs: Math.max(HOUR, ...runtimeSchedules(config).map((s) => s.everyMs)),
    ...options,
  });
}

export const cliActor = systemActor('cli');
