import { AsyncLocalStorage } from 'node:async_hooks';
import { sql, type Kysely } from 'kysely';
import { tables, type Executor } from '../db/index.js';
import { newId } from '../ids.js';

/**
 * A piece of background work as the person who caused it sees it: the jobs one request (an import, an
 * upload) queued, and the jobs those jobs queued in turn. Every job enqueued while a work is current carries
 * its tag, and the job runner makes a job's work current while it runs, so the whole cascade stays tagged.
 */
export interface WorkTag {
  /** `work_…`. */
  readonly id: string;
  /** What started it, `<module>.<noun>.<verb>`: `inventory.sbom.upload`. */
  readonly kind: string;
  /** The organisation of the user who started it; null for the local operator and the server itself. */
  readonly orgId: string | null;
}

const current = new AsyncLocalStorage<WorkTag>();

/** The work the code now running belongs to, if any. */
export function currentWork(): WorkTag | undefined {
  return current.getStore();
}

/** Runs `fn` with `tag` as the current work: every job it enqueues (and theirs) is tagged with it. */
export function inWork<T>(tag: WorkTag, fn: () => Promise<T>): Promise<T> {
  return current.run(tag, fn);
}

/** How many jobs of each status. `pending`: queued, also those waiting for a retry. */
export interface JobStateCounts {
  readonly pending: number;
  readonly running: number;
  readonly failed: number;
  readonly done: number;
}

/** What a request says about the background work it caused. */
export interface QueuedWork {
  readonly id: string;
  /** How many jobs it queued; null when the caller may not count them (they may be about records hidden from it). */
  readonly jobs: number | null;
}

/**
 * Runs `fn` as a new work of `kind` for `orgId`, then counts the jobs it queued (after `fn` committed).
 * `mayCount` says whether the caller may learn that number (see {@link QueuedWork}).
 */
export async function startWork<T>(
  executor: Executor,
  start: { readonly kind: string; readonly orgId: string | null; readonly mayCount: boolean },
  fn: () => Promise<T>,
): Promise<{ readonly result: T; readonly work: QueuedWork }> {
  const tag: WorkTag = { id: newId('work'), kind: start.kind, orgId: start.orgId };
  const result = await inWork(tag, fn);
  if (!start.mayCount) return { result, work: { id: tag.id, jobs: null } };
  const counts = await workJobCounts(executor, tag.id);
  return { result, work: { id: tag.id, jobs: counts.pending + counts.running + counts.failed + counts.done } };
}

interface WorkColumns {
  platform_job: {
    id: string;
    kind: string;
    status: string;
    work_id: string | null;
    work_kind: string | null;
    work_org_id: string | null;
  };
}

const jobs = (executor: Executor): Kysely<WorkColumns> => tables<WorkColumns>(executor);

const ZERO: JobStateCounts = { pending: 0, running: 0, failed: 0, done: 0 };

function add(counts: JobStateCounts, status: string, n: number): JobStateCounts {
  switch (status) {
    case 'queued':
      return { ...counts, pending: counts.pending + n };
    case 'running':
      return { ...counts, running: counts.running + n };
    case 'failed':
      return { ...counts, failed: counts.failed + n };
    case 'done':
      return { ...counts, done: counts.done + n };
    default:
      return counts;
  }
}

/** The jobs of one work by status, its whole cascade included. */
export async function workJobCounts(executor: Executor, workId: string): Promise<JobStateCounts> {
  const rows = await jobs(executor)
    .selectFrom('platform_job')
    .select(['status', sql<number>`count(*)`.as('n')])
    .where('work_id', '=', workId)
    .groupBy('status')
    .execute();
  return rows.reduce((counts, row) => add(counts, row.status, Number(row.n)), ZERO);
}

/** Who started a work, or undefined when no job carries its id. */
export async function findWork(executor: Executor, workId: string): Promise<WorkTag | undefined> {
  const row = await jobs(executor)
    .selectFrom('platform_job')
    .select(['work_id', 'work_kind', 'work_org_id'])
    .where('work_id', '=', workId)
    .limit(1)
    .executeTakeFirst();
  if (row === undefined || row.work_id === null) return undefined;
  return { id: row.work_id, kind: row.work_kind ?? 'unknown', orgId: row.work_org_id };
}

/** Counts of unfinished and failed jobs for one kind; finished jobs are not counted here. */
export interface KindCounts {
  readonly kind: string;
  readonly pending: number;
  readonly running: number;
  readonly failed: number;
}

function kindCounts(rows: readonly { key: string | null; status: string; n: number | string | bigint }[]): KindCounts[] {
  const byKind = new Map<string, JobStateCounts>();
  for (const row of rows) {
    const key = row.key ?? 'unknown';
    byKind.set(key, add(byKind.get(key) ?? ZERO, row.status, Number(row.n)));
  }
  return [...byKind.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, c]) => ({ kind, pending: c.pending, running: c.running, failed: c.failed }));
}

/** Every job not done, counted per job kind (an event consumer is `event:<consumer>`). */
export async function jobCountsByKind(executor: Executor): Promise<KindCounts[]> {
  const rows = await jobs(executor)
    .selectFrom('platform_job')
    .select(['kind as key', 'status', sql<number>`count(*)`.as('n')])
    .where('status', 'in', ['queued', 'running', 'failed'])
    .groupBy(['kind', 'status'])
    .execute();
  return kindCounts(rows);
}

/**
 * Works not finished, or with a job that failed, counted per kind of work (what started them): a work is
 * `running` when one of its jobs runs, else `pending` when one waits, else `failed` when one failed. Only
 * the works of `orgId` when given. A work counts once, however many jobs it holds, so that the numbers say
 * what its organisation did and nothing about the records its jobs touch.
 */
export async function workCountsByKind(executor: Executor, orgId?: string): Promise<KindCounts[]> {
  const rows = await jobs(executor)
    .selectFrom('platform_job')
    .select([
      'work_id',
      'work_kind',
      sql<number>`sum(case when status = 'running' then 1 else 0 end)`.as('running'),
      sql<number>`sum(case when status = 'queued' then 1 else 0 end)`.as('pending'),
      sql<number>`sum(case when status = 'failed' then 1 else 0 end)`.as('failed'),
    ])
    .where('work_id', 'is not', null)
    .where('status', 'in', ['queued', 'running', 'failed'])
    .$if(orgId !== undefined, (q) => q.where('work_org_id', '=', orgId ?? ''))
    .groupBy(['work_id', 'work_kind'])
    .execute();
  const stateOf = (r: { running: number; pending: number }): string =>
    Number(r.running) > 0 ? 'running' : Number(r.pending) > 0 ? 'queued' : 'failed';
  return kindCounts(rows.map((r) => ({ key: r.work_kind, status: stateOf(r), n: 1 })));
}

/** The state of a work: running or pending while a job is unfinished, else failed when one failed, else done. */
export function workState(counts: JobStateCounts): 'pending' | 'running' | 'failed' | 'done' {
  if (counts.running > 0) return 'running';
  if (counts.pending > 0) return 'pending';
  return counts.failed > 0 ? 'failed' : 'done';
}

/** A work as a caller reads it: its state, and its jobs' counts when the caller may count them. */
export interface WorkStatus {
  readonly id: string;
  readonly kind: string;
  readonly state: 'pending' | 'running' | 'failed' | 'done';
  readonly jobs: JobStateCounts | null;
}
