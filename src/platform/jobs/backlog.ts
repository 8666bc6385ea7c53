import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { tables, type Executor } from '../db/index.js';
import type { JobRow } from './jobs.js';

/**
 * Jobs of `kinds` the servers owe now: running, and queued whose time has come. Jobs waiting for a retry or a
 * later start are no backlog yet, and kinds no server runs (work slots that wait for people) never are.
 */
export async function dueBacklog(executor: Executor, clock: Clock, kinds: readonly string[]): Promise<number> {
  if (kinds.length === 0) return 0;
  const row = await tables<{ platform_job: JobRow }>(executor as Kysely<{ platform_job: JobRow }>)
    .selectFrom('platform_job')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('kind', 'in', [...kinds])
    .where((eb) =>
      eb.or([eb('status', '=', 'running'), eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', clock.now().toISOString())])]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
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
