import type { Clock } from '../clock.js';
import type { Database, Executor } from '../db/index.js';
import { jobTable as jobs, NO_HOLDER, type Job, type JobRow } from './jobs.js';
import { groupKey } from './job-groups.js';
import { holderIsGone, processStartTime, type LeaseHolder } from './lease-holder.js';

// Claiming due jobs, and how a claim ends: done, failed (a retry), or released when its holder died.

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
  /**
   * Kinds whose jobs run in groups (job-groups.ts), and how large a group may be: for each such group the
   * claim found, it also claims the next due queued jobs of that kind and work, up to `size` in all, so that the
   * jobs of a kind meet in one claim although other kinds' jobs lie between them in the queue. Those are
   * taken ahead of other kinds' jobs due before them: a lane runs its whole claim before the next, so they
   * wait no longer than one group's turn.
   */
  readonly groups?: { readonly kinds: ReadonlySet<string>; readonly size: number };
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
  const claim = async (due: 'queued' | 'expired', max: number, like?: { kind: string; workId: string | null }): Promise<JobRow[]> =>
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
          .$if(like !== undefined, (q) =>
            q
              .where('kind', '=', like?.kind ?? '')
              .where('work_id', like?.workId === null ? 'is' : '=', like?.workId ?? null)
              .where('attempts', '=', 0),
          )
          // A group's kind is filled by due time alone, in the order of the index on (kind, status, run_at):
          // the claim order's ties sorted every queued job of the kind on each claim (0.8 ms at 20,000 queued).
          .$if(like === undefined, (q) => q.orderBy('priority', 'desc').orderBy('run_at').orderBy('id'))
          .$if(like !== undefined, (q) => q.orderBy('run_at'))
          .limit(max)
          .$if(db.caps.skipLocked, (q) => q.forUpdate().skipLocked()),
      )
      .returningAll()
      .execute();
  const expired = await claim('expired', limit);
  const rows = expired.length < limit ? [...expired, ...(await claim('queued', limit - expired.length))] : expired;
  if (options.groups !== undefined) rows.push(...(await topUpGroups(rows, options.groups, (like, max) => claim('queued', max, like))));
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

/** The queued jobs that fill the groups in `rows` up to `size` (see {@link ClaimOptions.groups}). */
async function topUpGroups(
  rows: readonly JobRow[],
  groups: NonNullable<ClaimOptions['groups']>,
  claim: (like: { kind: string; workId: string | null }, max: number) => Promise<JobRow[]>,
): Promise<JobRow[]> {
  const found = new Map<string, { kind: string; workId: string | null; count: number }>();
  for (const row of rows) {
    const key = groupKey({ kind: row.kind, attempt: row.attempts, workId: row.work_id }, groups.kinds);
    if (key === null) continue;
    const group = found.get(key);
    if (group === undefined) found.set(key, { kind: row.kind, workId: row.work_id, count: 1 });
    else group.count++;
  }
  const more: JobRow[] = [];
  for (const { kind, workId, count } of found.values())
    if (count < groups.size) more.push(...(await claim({ kind, workId }, groups.size - count)));
  return more;
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
  return (await completeJobs(executor, clock, [job])).length === 0;
}

/**
 * Marks claimed jobs done in one statement (a group the runner ran together). Returns the ids of those whose
 * lease was lost meanwhile, as {@link completeJob} answers false for one.
 */
export async function completeJobs(
  executor: Executor,
  clock: Clock,
  claimed: readonly Pick<Job, 'id' | 'leaseOwner' | 'attempt'>[],
): Promise<string[]> {
  if (claimed.length === 0) return [];
  const now = clock.now().toISOString();
  const done = await jobs(executor)
    .updateTable('platform_job')
    .set({ status: 'done', finished_at: now, updated_at: now, lease_owner: null, lease_expires_at: null, ...NO_HOLDER })
    .where(
      'id',
      'in',
      claimed.map((job) => job.id),
    )
    .where('status', '=', 'running')
    .where((eb) =>
      eb.or(
        claimed.map((job) => eb.and([eb('id', '=', job.id), eb('lease_owner', '=', job.leaseOwner), eb('attempts', '=', job.attempt)])),
      ),
    )
    .returning('id')
    .execute();
  const completed = new Set(done.map((row) => row.id));
  return claimed.filter((job) => !completed.has(job.id)).map((job) => job.id);
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

export interface ReleaseOptions {
  /** When the process with this pid started (lease-holder.ts); default as Linux tells. */
  readonly startTimeOf?: (pid: number) => string | null;
  /** The kinds whose jobs the dead runners ran in groups (job-groups.ts). Default none. */
  readonly groupedKinds?: ReadonlySet<string>;
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
 * each time it runs fails after its last attempt rather than killing every restart. Where the first was
 * run with others of its group (job-groups.ts, for the kinds in `groupedKinds`), the whole group was in
 * progress and each of its jobs is charged: each then runs alone.
 */
export async function releaseOrphanedLeases(
  executor: Executor,
  clock: Clock,
  holder: LeaseHolder,
  options: ReleaseOptions = {},
): Promise<string[]> {
  const { startTimeOf = processStartTime, groupedKinds = new Set<string>() } = options;
  const nowIso = clock.now().toISOString();
  const held = await jobs(executor)
    .selectFrom('platform_job')
    .select([
      'id',
      'kind',
      'work_id',
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
  const groupOf = (lease: (typeof held)[number]) =>
    groupKey({ kind: lease.kind, attempt: lease.attempts, workId: lease.work_id }, groupedKinds) ?? lease.id;
  // Each dead worker's job or group in progress: that of the first of its jobs still running.
  const inProgress = new Map<string, string>();
  for (const lease of [...held].sort(inClaimOrder))
    if (lease.lease_owner !== null && !inProgress.has(lease.lease_owner)) inProgress.set(lease.lease_owner, groupOf(lease));
  const released: string[] = [];
  for (const lease of held) {
    if (!holderIsGone(lease, holder, startTimeOf) || lease.lease_owner === null) continue;
    if (lease.lease_expires_at !== null && lease.lease_expires_at <= nowIso) continue;
    const started = inProgress.get(lease.lease_owner) === groupOf(lease);
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
