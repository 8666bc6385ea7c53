import type { Clock } from '../clock.js';
import type { Kysely } from 'kysely';
import { insertMany, tables, type Database, type DialectCapabilities, type Executor } from '../db/index.js';
import { newId } from '../ids.js';
import { holderIsGone, processStartTime, type LeaseHolder } from './lease-holder.js';
import { currentWork, type WorkTag } from './work.js';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface JobRow {
  readonly id: string;
  readonly kind: string;
  readonly payload: string;
  readonly status: JobStatus;
  readonly dedup_key: string | null;
  readonly run_at: string;
  readonly attempts: number;
  readonly max_attempts: number;
  readonly lease_owner: string | null;
  readonly lease_expires_at: string | null;
  /** Who holds the lease, when a process took it (see {@link LeaseHolder}); null when taken by hand. */
  readonly lease_instance: string | null;
  readonly lease_boot_id: string | null;
  readonly lease_pid_ns: string | null;
  readonly lease_pid: number | null;
  readonly lease_started: string | null;
  readonly last_error: string | null;
  readonly created_at: string;
  readonly updated_at: string;
  readonly finished_at: string | null;
  /** The work the job belongs to (see work.ts); null for scheduled and untracked work. */
  readonly work_id: string | null;
  readonly work_kind: string | null;
  readonly work_org_id: string | null;
  /** Higher is claimed first, before due jobs of lower priority queued earlier (see {@link JOB_PRIORITY}). */
  readonly priority: number;
}

/**
 * Job priorities. Bulk work (processing, matching, scoring) is `normal`; work someone outside waits on and
 * that finishes quickly — webhook dispatch — is `urgent`, so that a backlog of bulk work does not delay it.
 */
export const JOB_PRIORITY = { normal: 0, urgent: 100 } as const;

export interface Job<P = unknown> {
  readonly id: string;
  readonly kind: string;
  readonly payload: P;
  /** 1 on the first run, 2 when a job is run again after a failure or an expired lease. */
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly leaseOwner: string;
  readonly leaseExpiresAt: string;
  /** The work it belongs to: current while it runs, so that the jobs it enqueues belong to it too. */
  readonly work?: WorkTag;
}

export interface EnqueueJob {
  readonly kind: string;
  readonly payload?: unknown;
  /** Not before this instant; default now. */
  readonly runAt?: Date;
  /** A second enqueue with the same key while the first exists is ignored. */
  readonly dedupKey?: string;
  /** Default 5. */
  readonly maxAttempts?: number;
  /** Default {@link JOB_PRIORITY}.normal. */
  readonly priority?: number;
}

interface JobTables {
  platform_job: JobRow;
}

function jobs(executor: Executor): Kysely<JobTables> {
  return tables<JobTables>(executor);
}

/** The work columns of a job enqueued now: those of the current work, if any. */
function workColumns(): { work_id: string | null; work_kind: string | null; work_org_id: string | null } {
  const work = currentWork();
  return { work_id: work?.id ?? null, work_kind: work?.kind ?? null, work_org_id: work?.orgId ?? null };
}

/**
 * Adds a job. Pass the transaction of the change that calls for it, so that the job exists exactly when
 * the change committed. Returns the job's id (the existing one when `dedupKey` matched).
 */
export async function enqueueJob(executor: Executor, clock: Clock, job: EnqueueJob): Promise<string> {
  const now = clock.now().toISOString();
  const id = newId('job');
  const inserted = await jobs(executor)
    .insertInto('platform_job')
    .values({
      id,
      kind: job.kind,
      payload: JSON.stringify(job.payload ?? null),
      status: 'queued',
      dedup_key: job.dedupKey ?? null,
      run_at: (job.runAt ?? clock.now()).toISOString(),
      attempts: 0,
      max_attempts: job.maxAttempts ?? 5,
      lease_owner: null,
      lease_expires_at: null,
      lease_instance: null,
      lease_boot_id: null,
      lease_pid_ns: null,
      lease_pid: null,
      lease_started: null,
      last_error: null,
      created_at: now,
      updated_at: now,
      finished_at: null,
      priority: job.priority ?? JOB_PRIORITY.normal,
      ...workColumns(),
    })
    .onConflict((oc) => oc.column('dedup_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted !== undefined) return inserted.id;
  const existing = await jobs(executor)
    .selectFrom('platform_job')
    .select('id')
    .where('dedup_key', '=', job.dedupKey ?? '')
    .executeTakeFirstOrThrow();
  return existing.id;
}

/**
 * Enqueues many jobs in one statement, in the caller's transaction. Jobs whose dedup key exists already
 * are left as they are; the answer maps each dedup key to the id of its job, new or existing.
 */
export async function enqueueJobs(
  executor: Executor,
  caps: DialectCapabilities,
  clock: Clock,
  batch: readonly (EnqueueJob & { readonly dedupKey: string })[],
): Promise<Map<string, string>> {
  if (batch.length === 0) return new Map();
  await addJobs(executor, caps, clock, batch);
  const ids = new Map<string, string>();
  const keys = batch.map((j) => j.dedupKey);
  for (let i = 0; i < keys.length; i += 500) {
    for (const row of await jobs(executor)
      .selectFrom('platform_job')
      .select(['id', 'dedup_key'])
      .where('dedup_key', 'in', keys.slice(i, i + 500))
      .execute()) {
      if (row.dedup_key !== null) ids.set(row.dedup_key, row.id);
    }
  }
  return ids;
}

/**
 * {@link enqueueJobs} without asking for the ids: one statement (per 1,600 jobs), for callers that need only
 * the jobs to exist when their transaction commits — every round trip inside a transaction keeps it open
 * while the process gets round to the next one.
 */
export async function addJobs(
  executor: Executor,
  caps: DialectCapabilities,
  clock: Clock,
  batch: readonly (EnqueueJob & { readonly dedupKey: string })[],
): Promise<void> {
  if (batch.length === 0) return;
  const now = clock.now().toISOString();
  const work = workColumns();
  const rows = batch.map((job) => [
    newId('job'),
    job.kind,
    JSON.stringify(job.payload ?? null),
    'queued',
    job.dedupKey,
    (job.runAt ?? clock.now()).toISOString(),
    0,
    job.maxAttempts ?? 5,
    null,
    null,
    null,
    now,
    now,
    null,
    work.work_id,
    work.work_kind,
    work.work_org_id,
    job.priority ?? JOB_PRIORITY.normal,
  ]);
  await insertMany(executor, caps, 'platform_job', JOB_COLUMNS, rows, { onConflictDoNothing: ['dedup_key'] });
}

/** The columns {@link addJobs} writes, in the order of its rows. */
const JOB_COLUMNS = [
  'id',
  'kind',
  'payload',
  'status',
  'dedup_key',
  'run_at',
  'attempts',
  'max_attempts',
  'lease_owner',
  'lease_expires_at',
  'last_error',
  'created_at',
  'updated_at',
  'finished_at',
  'work_id',
  'work_kind',
  'work_org_id',
  'priority',
];

const NO_HOLDER = { lease_instance: null, lease_boot_id: null, lease_pid_ns: null, lease_pid: null, lease_started: null } as const;

export interface ClaimOptions {
  /** Who claims: recorded as the lease owner (e.g. `host:pid`). */
  readonly worker: string;
  /** The claiming process, recorded so that its successor can release the lease at once should it die. */
  readonly holder?: LeaseHolder;
  readonly kinds?: readonly string[];
  /** Only the jobs of this work (the CLI running what its own import queued). */
  readonly workId?: string;
  readonly limit?: number;
  readonly leaseMs: number;
}

/**
 * Claims up to `limit` due jobs for `worker`: running jobs whose lease expired (their worker died) first,
 * then queued jobs whose time has come, the highest priority first and, within one priority, the oldest.
 * On PostgreSQL several processes claim concurrently with `FOR UPDATE SKIP LOCKED`; on SQLite each UPDATE
 * statement is atomic.
 */
export async function claimJobs(db: Database, clock: Clock, options: ClaimOptions): Promise<Job[]> {
  const now = clock.now();
  const nowIso = now.toISOString();
  const leaseExpiresAt = new Date(now.getTime() + options.leaseMs).toISOString();
  const limit = options.limit ?? 1;
  const k = jobs(db.kysely);
  await k
    .updateTable('platform_job')
    .set({ status: 'failed', last_error: 'lease expired on the last allowed attempt', finished_at: nowIso, updated_at: nowIso })
    .where('status', '=', 'running')
    .where('lease_expires_at', '<=', nowIso)
    .where((eb) => eb('attempts', '>=', eb.ref('max_attempts')))
    .execute();
  // Two statements rather than one with an OR, so that each walks an index in claim order instead of
  // sorting every due job on each poll (the backlog can be large).
  const claim = async (due: 'queued' | 'expired', max: number): Promise<JobRow[]> =>
    await k
      .updateTable('platform_job')
      .set((eb) => ({
        status: 'running',
        attempts: eb('attempts', '+', 1),
        lease_owner: options.worker,
        lease_expires_at: leaseExpiresAt,
        lease_instance: options.holder?.instance ?? null,
        lease_boot_id: options.holder?.bootId ?? null,
        lease_pid_ns: options.holder?.pidNamespace ?? null,
        lease_pid: options.holder?.pid ?? null,
        lease_started: options.holder?.startTime ?? null,
        updated_at: nowIso,
      }))
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('platform_job')
          .select('id')
          .$if(due === 'queued', (q) => q.where('status', '=', 'queued').where('run_at', '<=', nowIso))
          .$if(due === 'expired', (q) =>
            q
              .where('status', '=', 'running')
              .where('lease_expires_at', '<=', nowIso)
              .where((w) => w('attempts', '<', w.ref('max_attempts'))),
          )
          .$if(options.kinds !== undefined, (q) => q.where('kind', 'in', options.kinds ?? []))
          .$if(options.workId !== undefined, (q) => q.where('work_id', '=', options.workId ?? ''))
          .orderBy('priority', 'desc')
          .orderBy('run_at')
          .orderBy('id')
          .limit(max)
          .$if(db.caps.skipLocked, (q) => q.forUpdate().skipLocked()),
      )
      .returningAll()
      .execute();
  const expired = await claim('expired', limit);
  const rows = expired.length < limit ? [...expired, ...(await claim('queued', limit - expired.length))] : expired;
  // UPDATE … RETURNING does not keep the subquery's order.
  rows.sort(inClaimOrder);
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    payload: JSON.parse(row.payload) as unknown,
    attempt: row.attempts,
    maxAttempts: row.max_attempts,
    leaseOwner: options.worker,
    leaseExpiresAt,
    ...(row.work_id === null ? {} : { work: { id: row.work_id, kind: row.work_kind ?? 'unknown', orgId: row.work_org_id } }),
  }));
}

/**
 * The order jobs are claimed in, and the order a runner runs a claimed batch in (job-runner.ts: one after
 * the other): the highest priority first, then the oldest due.
 */
function inClaimOrder(a: Pick<JobRow, 'priority' | 'run_at' | 'id'>, b: Pick<JobRow, 'priority' | 'run_at' | 'id'>): number {
  return b.priority - a.priority || a.run_at.localeCompare(b.run_at) || a.id.localeCompare(b.id);
}

/**
 * Marks a claimed job done. Returns false when the lease was lost meanwhile (another worker took the job
 * over); the caller's work must then be idempotent, which job handlers are required to be anyway.
 */
export async function completeJob(executor: Executor, clock: Clock, job: Pick<Job, 'id' | 'leaseOwner' | 'attempt'>): Promise<boolean> {
  const now = clock.now().toISOString();
  const result = await jobs(executor)
    .updateTable('platform_job')
    .set({ status: 'done', finished_at: now, updated_at: now, lease_owner: null, lease_expires_at: null, ...NO_HOLDER })
    .where('id', '=', job.id)
    .where('status', '=', 'running')
    .where('lease_owner', '=', job.leaseOwner)
    .where('attempts', '=', job.attempt)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Records a failure; the job is retried after `retryDelayMs` unless it used its last attempt. */
export async function failJob(
  executor: Executor,
  clock: Clock,
  job: Pick<Job, 'id' | 'leaseOwner' | 'attempt' | 'maxAttempts'>,
  error: string,
  retryDelayMs: number,
): Promise<void> {
  const now = clock.now();
  const final = job.attempt >= job.maxAttempts;
  await jobs(executor)
    .updateTable('platform_job')
    .set({
      status: final ? 'failed' : 'queued',
      last_error: error.slice(0, 4000),
      run_at: new Date(now.getTime() + retryDelayMs).toISOString(),
      lease_owner: null,
      lease_expires_at: null,
      ...NO_HOLDER,
      updated_at: now.toISOString(),
      finished_at: final ? now.toISOString() : null,
    })
    .where('id', '=', job.id)
    .where('status', '=', 'running')
    .where('lease_owner', '=', job.leaseOwner)
    .where('attempts', '=', job.attempt)
    .execute();
}

/**
 * Marks the job with this dedup key done, whatever its state, in the caller's transaction: for work that
 * is done inline right away, with the job enqueued beforehand only as the safety net should the process
 * die first. A worker that claimed it meanwhile finds its lease lost and must be idempotent anyway.
 */
export async function finishJobByKey(executor: Executor, clock: Clock, dedupKey: string): Promise<void> {
  const now = clock.now().toISOString();
  await jobs(executor)
    .updateTable('platform_job')
    .set({ status: 'done', finished_at: now, updated_at: now, lease_owner: null, lease_expires_at: null, ...NO_HOLDER })
    .where('dedup_key', '=', dedupKey)
    .where('status', 'in', ['queued', 'running'])
    .execute();
}

/** The jobs of these dedup keys (those that exist), with their status: whether each has started yet. */
export async function jobsByDedupKey(executor: Executor, keys: readonly string[]): Promise<Pick<JobRow, 'id' | 'dedup_key' | 'status'>[]> {
  if (keys.length === 0) return [];
  return jobs(executor).selectFrom('platform_job').select(['id', 'dedup_key', 'status']).where('dedup_key', 'in', keys).execute();
}

export async function getJob(executor: Executor, id: string): Promise<JobRow | undefined> {
  return jobs(executor).selectFrom('platform_job').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Releases at once the leases that processes of `holder`'s instance took before they died (a crash, a
 * SIGKILL, a reboot): their lease ends now, so the next claim runs the job again as it would after the
 * lease expired — a retry, or a failure when that was its last attempt. Leases of live processes and of
 * other instances are left alone. Returns the ids of the jobs released.
 *
 * Only the job the dead worker was running counts as an attempt. A runner claims a batch and runs it one
 * job after the other in claim order, so of a dead worker's jobs still running, the first in that order is
 * the one it was in (or had finished without recording it); the others never started, and get their
 * attempt back. Otherwise every job of a batch is charged at each death, and a job that waits behind slow
 * ones through a few restarts fails without ever having run (the crash harness found advisories never
 * reverse-matched this way). The job that was running is still charged, so one that kills its worker
 * each time it runs fails after its last attempt rather than killing every restart.
 */
export async function releaseOrphanedLeases(
  executor: Executor,
  clock: Clock,
  holder: LeaseHolder,
  startTimeOf: (pid: number) => string | null = processStartTime,
): Promise<string[]> {
  const nowIso = clock.now().toISOString();
  const held = await jobs(executor)
    .selectFrom('platform_job')
    .select([
      'id',
      'priority',
      'run_at',
      'attempts',
      'lease_owner',
      'lease_instance',
      'lease_boot_id',
      'lease_pid_ns',
      'lease_pid',
      'lease_started',
      'lease_expires_at',
    ])
    .where('status', '=', 'running')
    .where('lease_instance', '=', holder.instance)
    .execute();
  const inProgress = new Map<string, string>();
  for (const lease of [...held].sort(inClaimOrder))
    if (lease.lease_owner !== null && !inProgress.has(lease.lease_owner)) inProgress.set(lease.lease_owner, lease.id);
  const released: string[] = [];
  for (const lease of held) {
    if (!holderIsGone(lease, holder, startTimeOf) || lease.lease_owner === null) continue;
    if (lease.lease_expires_at !== null && lease.lease_expires_at <= nowIso) continue;
    const started = inProgress.get(lease.lease_owner) === lease.id;
    const result = await jobs(executor)
      .updateTable('platform_job')
      .set((eb) => ({
        lease_expires_at: nowIso,
        last_error: `its worker ${lease.lease_owner} died ${started ? 'holding it' : 'before it started it'}`,
        updated_at: nowIso,
        attempts: started ? lease.attempts : eb('attempts', '-', 1),
      }))
      .where('id', '=', lease.id)
      .where('status', '=', 'running')
      .where('lease_owner', '=', lease.lease_owner)
      // Another process of this instance releasing the same lease at once must not give the attempt back twice.
      .where('attempts', '=', lease.attempts)
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) released.push(lease.id);
  }
  return released;
}
