import type { Kysely } from 'kysely';
import type { Clock } from './clock.js';
import { DAY } from './clock.js';
import { tables, withDeferredDurability, type Database } from './db/index.js';
import { EVENT_JOB_PREFIX, eventIdsNamedBy } from './events/index.js';

/**
 * The housekeeping sweep (issue 20): the outbox's events and the finished jobs were never deleted, some 117,000
 * events a minute of soak, so a long-running server's database grew without bound. It deletes
 * - done jobs finished more than `doneJobsKeepMs` ago (a work's status is read from its jobs, and a scheduled
 *   run's done job is what keeps a restarted server from running that period again: see `scheduleKeepMs`);
 * - failed jobs (their last attempt used) finished more than `failedJobsKeepMs` ago: kept longer, for an
 *   operator to read what went wrong (`jobs status` counts them, `last_error` says why);
 * - events stored more than `eventsKeepMs` ago that no job other than a done one names, in any of the forms a
 *   delivery job names events (outbox.ts, `eventIdsNamedBy`): a queued, running, retrying or failed job keeps its
 *   events.
 *
 * Each table is walked in primary-key order (ids begin with their creation time, so the oldest rows come
 * first) one page of `batch` rows at a time, and each page's deletion is one statement, its own transaction:
 * a write lock (SQLite) or a transaction (PostgreSQL) is held for one page's deletion only, and a sweep killed
 * at any moment has deleted whole pages and nothing else. Running it again does what was left.
 *
 * Why no job can lose an event it names: the outbox writes a delivery job in the same transaction as the events
 * it names (createOutbox), and its dedup key begins with the first of their ids. A page of events is read first;
 * then the jobs whose keys fall between the page's first id and the one after its last (by the dedup key's
 * index), and those found in earlier pages. A job that names an event of the page has a key no greater than
 * that event's id, and so is found in this page or an earlier one; and it was committed with the event, so it
 * is visible to the second read whenever the event was visible to the first (on PostgreSQL each statement
 * reads a newer snapshot than the one before). Only then are the page's old, unnamed events deleted. An event is
 * also never deleted before `eventsKeepMs`, so a job written later that named an event already stored (nothing
 * does) would still be safe within that time.
 */

/** The job kind of the scheduled sweep. */
export const HOUSEKEEPING_JOB = 'platform.housekeeping.sweep';

export interface HousekeepingOptions {
  readonly doneJobsKeepMs: number;
  readonly failedJobsKeepMs: number;
  readonly eventsKeepMs: number;
  /**
   * Done scheduled jobs (dedup key `schedule:…`) stay at least this long, whatever `doneJobsKeepMs` says: the
   * longest schedule's period. Default a day.
   */
  readonly scheduleKeepMs?: number;
  /** Rows read and deleted per statement. Default {@link HOUSEKEEPING_BATCH}. */
  readonly batch?: number;
  /**
   * Rows read per table before the sweep stops with `complete: false`, so that one run holds a job lane a
   * bounded time (the scheduled job queues another at once). Default {@link HOUSEKEEPING_MAX_ROWS}.
   */
  readonly maxRows?: number;
  /** Count what would go; delete nothing. */
  readonly dryRun?: boolean;
  /** Told of each deleting statement, with how long it took (its transaction: a write lock on SQLite). */
  readonly onBatch?: (batch: { readonly table: 'platform_job' | 'platform_event'; readonly rows: number; readonly ms: number }) => void;
}

export const HOUSEKEEPING_BATCH = 2000;
export const HOUSEKEEPING_MAX_ROWS = 200_000;

export interface HousekeepingReport {
  readonly dryRun: boolean;
  /** False when `maxRows` stopped it before it reached rows too young to go. */
  readonly complete: boolean;
  readonly cutoffs: { readonly doneJobs: string; readonly failedJobs: string; readonly events: string };
  readonly jobs: { readonly examined: number; readonly removedDone: number; readonly removedFailed: number };
  /** `named`: old enough to go, but named by a job not done. */
  readonly events: { readonly examined: number; readonly removed: number; readonly named: number };
  /** Deleting statements run (each its own transaction). */
  readonly batches: number;
}

interface JobColumns {
  id: string;
  kind: string;
  status: string;
  dedup_key: string | null;
  payload: string;
  created_at: string;
  finished_at: string | null;
}

interface HousekeepingTables {
  platform_job: JobColumns;
  platform_event: { id: string; created_at: string };
}

const t = (db: Database): Kysely<HousekeepingTables> => tables<HousekeepingTables>(db.kysely);

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The smallest id of the same length greater than `id` (its last base-32 digit incremented, carried), below
 * every dedup key that begins with `id`, whatever the collation: the keys after `id` differ from it in its digits.
 */
export function idAfter(id: string): string {
  const chars = [...id];
  for (let i = chars.length - 1; i >= 0; i--) {
    const digit = CROCKFORD.indexOf(chars[i] ?? '');
    if (digit < 0) break;
    if (digit < CROCKFORD.length - 1) {
      chars[i] = CROCKFORD[digit + 1] ?? '';
      return chars.join('');
    }
    chars[i] = '0';
  }
  throw new Error(`cannot name the id after ${id}`);
}

/** Deletes old done and failed jobs and old events no unfinished job names; see the file's comment. */
export async function sweepHousekeeping(db: Database, clock: Clock, options: HousekeepingOptions): Promise<HousekeepingReport> {
  const now = clock.now().getTime();
  const iso = (ms: number) => new Date(now - ms).toISOString();
  const cutoffs = { doneJobs: iso(options.doneJobsKeepMs), failedJobs: iso(options.failedJobsKeepMs), events: iso(options.eventsKeepMs) };
  const scheduledCutoff = iso(Math.max(options.doneJobsKeepMs, options.scheduleKeepMs ?? DAY));
  const batch = options.batch ?? HOUSEKEEPING_BATCH;
  const maxRows = options.maxRows ?? HOUSEKEEPING_MAX_ROWS;
  const dryRun = options.dryRun ?? false;
  const jobs = { examined: 0, removedDone: 0, removedFailed: 0 };
  const events = { examined: 0, removed: 0, named: 0 };
  let batches = 0;
  let complete = true;
  /**
   * One page's deletion by key: one statement, its own transaction, not waiting for the disk (a sweep lost to a
   * power cut is done again). Finished jobs stay finished: their status is asked again only so that the
   * statement alone says what it deletes.
   */
  const deleteBatch = async (table: 'platform_job' | 'platform_event', rows: readonly { id: string }[]): Promise<void> => {
    batches++;
    const started = performance.now();
    const ids = rows.map((row) => row.id);
    await withDeferredDurability(() =>
      table === 'platform_job'
        ? t(db).deleteFrom('platform_job').where('id', 'in', ids).where('status', 'in', ['done', 'failed']).execute()
        : t(db).deleteFrom('platform_event').where('id', 'in', ids).execute(),
    );
    options.onBatch?.({ table, rows: rows.length, ms: performance.now() - started });
  };

  // Jobs. A job created after both cutoffs cannot have finished before either: a page of only such jobs ends the walk.
  const youngest = cutoffs.doneJobs > cutoffs.failedJobs ? cutoffs.doneJobs : cutoffs.failedJobs;
  for (let after = ''; ;) {
    if (jobs.examined >= maxRows) {
      complete = false;
      break;
    }
    const page = await t(db)
      .selectFrom('platform_job')
      .select(['id', 'status', 'dedup_key', 'created_at', 'finished_at'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(batch)
      .execute();
    jobs.examined += page.length;
    if (page.length === 0 || !page.some((job) => job.created_at < youngest)) break;
    after = page[page.length - 1]?.id ?? after;
    const done = page.filter(
      (job) =>
        job.status === 'done' &&
        job.finished_at !== null &&
        job.finished_at < (job.dedup_key?.startsWith('schedule:') === true ? scheduledCutoff : cutoffs.doneJobs),
    );
    const failed = page.filter((job) => job.status === 'failed' && job.finished_at !== null && job.finished_at < cutoffs.failedJobs);
    if (done.length + failed.length === 0) continue;
    jobs.removedDone += done.length;
    jobs.removedFailed += failed.length;
    if (dryRun) continue;
    await deleteBatch('platform_job', [...done, ...failed]);
  }

  // Events. `named`: the ids named by the unfinished delivery jobs found so far (see the file's comment).
  const named = new Set<string>();
  for (let after = ''; ;) {
    if (events.examined >= maxRows) {
      complete = false;
      break;
    }
    const page = await t(db)
      .selectFrom('platform_event')
      .select(['id', 'created_at'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(batch)
      .execute();
    events.examined += page.length;
    const first = page[0];
    const last = page[page.length - 1];
    if (first === undefined || last === undefined || !page.some((event) => event.created_at < cutoffs.events)) break;
    after = last.id;
    const naming = await t(db)
      .selectFrom('platform_job')
      .select('payload')
      .where('dedup_key', '>=', first.id)
      .where('dedup_key', '<', idAfter(last.id))
      .where('status', '<>', 'done')
      .where('kind', 'like', `${EVENT_JOB_PREFIX}%`)
      .execute();
    for (const job of naming) for (const id of eventIdsNamedBy(JSON.parse(job.payload))) named.add(id);
    const old = page.filter((event) => event.created_at < cutoffs.events);
    const gone = old.filter((event) => !named.has(event.id));
    events.named += old.length - gone.length;
    events.removed += gone.length;
    if (!dryRun && gone.length > 0) await deleteBatch('platform_event', gone);
  }
  return { dryRun, complete, cutoffs, jobs, events, batches };
}
