import type { Clock } from '../clock.js';
import { tables, type Executor } from '../db/index.js';
import type { JobRow } from './jobs.js';

/**
 * Jobs of `kinds` the servers owe now: running, and queued whose time has come. Jobs waiting for a retry or a
 * later start are no backlog yet, and kinds no server runs (work slots that wait for people) never are.
 */
export async function dueBacklog(executor: Executor, clock: Clock, kinds: readonly string[]): Promise<number> {
  if (kinds.length === 0) return 0;
  const db = tables<{ platform_job: JobRow }>(executor);
  const jobs = () => db.selectFrom('platform_job');
  // Two counts, each a range of the platform_job_backlog index (kind, status, run_at) per kind: one condition
  // with `or` over the statuses read every job of each kind there, done ones included.
  const row = await db
    .selectNoFrom(() => [
      jobs()
        .select((e) => e.fn.countAll<number | string>().as('n'))
        .where('kind', 'in', [...kinds])
        .where('status', '=', 'running')
        .as('running'),
      jobs()
        .select((e) => e.fn.countAll<number | string>().as('n'))
        .where('kind', 'in', [...kinds])
        .where('status', '=', 'queued')
        .where('run_at', '<=', clock.now().toISOString())
        .as('queued'),
    ])
    .executeTakeFirstOrThrow();
  return Number(row.running) + Number(row.queued);
}

/**
 * A reading of the backlog at most `maxAgeMs` old: counting a large backlog on every request would add to
 * the load it measures. Concurrent readers of a stale value share one count.
 */
export class BacklogGauge {
  #value = 0;
  #readAt = Number.NEGATIVE_INFINITY;
  #reading: Promise<number> | undefined;

  constructor(
    private readonly count: () => Promise<number>,
    private readonly maxAgeMs: number,
  ) {}

  async current(): Promise<number> {
    if (performance.now() - this.#readAt <= this.maxAgeMs && this.#reading === undefined) return this.#value;
    this.#reading ??= this.count()
      .then((n) => {
        this.#value = n;
        this.#readAt = performance.now();
        return n;
      })
      .finally(() => {
        this.#reading = undefined;
      });
    return this.#reading;
  }
}
