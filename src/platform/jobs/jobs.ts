import type { Clock } from '../clock.js';
import type { CompiledQuery, Kysely } from 'kysely';
import { insertManyStatements, tables, type DialectCapabilities, type Executor } from '../db/index.js';
import { newId } from '../ids.js';
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
  /** Who holds the lease, when a process took it (see lease-holder.ts); null when taken by hand. */
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

/** The jobs table, for this file and claims.ts. */
export function jobTable(executor: Executor): Kysely<JobTables> {
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
  const inserted = await jobTable(executor)
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
  const existing = await jobTable(executor)
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
    for (const row of await jobTable(executor)
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
  for (const statement of await addJobsStatements(executor, caps, clock, batch)) await executor.executeQuery(statement);
}

/** {@link addJobs}'s statements, built but not run: for `writeTogether`. None for no jobs. */
export async function addJobsStatements(
  executor: Executor,
  caps: DialectCapabilities,
  clock: Clock,
  batch: readonly (EnqueueJob & { readonly dedupKey: string })[],
): Promise<CompiledQuery[]> {
  if (batch.length === 0) return [];
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
  return insertManyStatements(executor, caps, 'platform_job', JOB_COLUMNS, rows, { onConflictDoNothing: ['dedup_key'] });
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

/** The lease columns of a job no process holds. */
export const NO_HOLDER = { lease_instance: null, lease_boot_id: null, lease_pid_ns: null, lease_pid: null, lease_started: null } as const;

/**
 * Marks the job with this dedup key done, whatever its state, in the caller's transaction: for work that
 * is done inline right away, with the job enqueued beforehand only as the safety net should the process
 * die first. A worker that claimed it meanwhile finds its lease lost and must be idempotent anyway.
 */
export async function finishJobByKey(executor: Executor, clock: Clock, dedupKey: string): Promise<void> {
  await finishJobByKeyStatement(executor, clock, dedupKey).execute();
}

/** {@link finishJobByKey} as a statement, for `writeTogether`. */
export function finishJobByKeyStatement(executor: Executor, clock: Clock, dedupKey: string) {
  const now = clock.now().toISOString();
  return jobTable(executor)
    .updateTable('platform_job')
    .set({ status: 'done', finished_at: now, updated_at: now, lease_owner: null, lease_expires_at: null, ...NO_HOLDER })
    .where('dedup_key', '=', dedupKey)
    .where('status', 'in', ['queued', 'running']);
}

/** The jobs of these dedup keys (those that exist), with their status: whether each has started yet. */
export async function jobsByDedupKey(executor: Executor, keys: readonly string[]): Promise<Pick<JobRow, 'id' | 'dedup_key' | 'status'>[]> {
  if (keys.length === 0) return [];
  return jobTable(executor).selectFrom('platform_job').select(['id', 'dedup_key', 'status']).where('dedup_key', 'in', keys).execute();
}

export async function getJob(executor: Executor, id: string): Promise<JobRow | undefined> {
  return jobTable(executor).selectFrom('platform_job').selectAll().where('id', '=', id).executeTakeFirst();
}
