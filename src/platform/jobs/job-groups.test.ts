import { beforeEach, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '#test-support/databases.js';
import { testLogger } from '#test-support/run-logs.js';
import { ManualClock } from '../clock.js';
import type { Database } from '../db/index.js';
import { JobRunner, retryDelayMs, type GroupedJobHandler, type JobKindHandler } from './job-runner.js';
import { enqueueJob, getJob, type Job } from './jobs.js';
import { currentWork, startWork } from './work.js';

// A kind whose handler takes several jobs at once gets the jobs of it the runner claimed together, in one
// call; when that call fails, each job runs alone, so one bad job fails and retries on its own.
describeEachDatabase('jobs run in groups', (dialect) => {
  const get = useTestDatabase(dialect);
  let db: Database;
  let clock: ManualClock;
  /** What each handler was given, in order: `many:a,b` for a group, `one:a` for one job. */
  let calls: string[];

  beforeEach(() => {
    db = get().db;
    clock = new ManualClock();
    calls = [];
  });

  const payloads = (jobs: readonly Job[]) => jobs.map((j) => j.payload as string).join(',');
  /** A grouped kind whose jobs fail, alone and in any group, when their payload is in `poisoned`. */
  const grouped = (name: string, poisoned: ReadonlySet<string> = new Set()): GroupedJobHandler => ({
    one: async (job) => {
      calls.push(`${name} one:${payloads([job])}`);
      if (poisoned.has(job.payload as string)) throw new Error(`${job.payload as string} is poisoned`);
    },
    many: async (jobs) => {
      calls.push(`${name} many:${payloads(jobs)}`);
      const bad = jobs.find((j) => poisoned.has(j.payload as string));
      if (bad !== undefined) throw new Error(`${bad.payload as string} is poisoned`);
    },
  });
  const runner = (handlers: Record<string, JobKindHandler>, batch = 8, groupSize = 8) =>
    new JobRunner({ db, clock, log: testLogger(), batch, groupSize, handlers });
  const enqueue = async (kind: string, payload: string) => {
    const id = await enqueueJob(db.kysely, clock, { kind, payload });
    clock.advance(1);
    return id;
  };

  it('gives a grouped kind the jobs of it claimed together in one call, in claim order, and completes them; plain handlers run one at a time', async () => {
    const ids = [
      await enqueue('g', 'a'),
      await enqueue('plain', 'p1'),
      await enqueue('g', 'b'),
      await enqueue('h', 'x'),
      await enqueue('g', 'c'),
    ];
    ids.push(await enqueue('plain', 'p2'), await enqueue('h', 'y'));
    const plain = async (job: Job) => void calls.push(`plain one:${job.payload as string}`);
    expect(await runner({ g: grouped('g'), h: grouped('h'), plain }).runOnce()).toBe(7);
    expect(calls).toEqual(['g many:a,b,c', 'plain one:p1', 'h many:x,y', 'plain one:p2']);
    for (const id of ids)
      expect(await getJob(db.kysely, id)).toMatchObject({ status: 'done', lease_owner: null, finished_at: clock.now().toISOString() });
  });

  it('runs a job claimed alone with the one-job handler, and groups no more than the group size', async () => {
    for (const p of ['a', 'b', 'c']) await enqueue('g', p);
    const r = runner({ g: grouped('g') }, 2, 2);
    expect(await r.drain()).toBe(3);
    expect(calls).toEqual(['g many:a,b', 'g one:c']);
  });

  it('fills a group from the queue past other kinds’ jobs, up to the group size, first attempts of its work only', async () => {
    const plain = async (job: Job) => void calls.push(`plain one:${job.payload as string}`);
    const [a] = [await enqueue('g', 'a'), await enqueue('plain', 'p1'), await enqueue('plain', 'p2')];
    const retried = await enqueue('g', 'retried');
    await enqueue('plain', 'p3');
    await enqueue('g', 'b');
    await startWork(db.kysely, { kind: 'test.work', orgId: null, mayCount: false }, () => enqueue('g', 'other-work'));
    await enqueue('g', 'c');
    await enqueue('g', 'd');
    await enqueue('g', 'e');
    // `retried` is waiting for its second attempt: due, but not mixed into a group.
    await db.kysely.updateTable('platform_job').set({ attempts: 1 }).where('id', '=', retried).execute();
    const r = runner({ g: grouped('g'), plain }, 2, 4);
    // The claim takes `a` and `p1`; the group is filled with b, c and d, not with `retried` or `other-work`.
    expect(await r.runOnce()).toBe(5);
    expect(calls).toEqual(['g many:a,b,c,d', 'plain one:p1']);
    expect(await getJob(db.kysely, a)).toMatchObject({ status: 'done' });
    calls = [];
    expect(await r.drain()).toBe(5);
    expect(calls).toEqual(['plain one:p2', 'g one:retried', 'plain one:p3', 'g one:other-work', 'g one:e']);
    expect(await getJob(db.kysely, retried)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('takes nothing from the queue beyond the claim with a group size of 1', async () => {
    for (const p of ['a', 'b']) await enqueue('g', p);
    expect(await runner({ g: grouped('g') }, 1, 1).runOnce()).toBe(1);
    expect(calls).toEqual(['g one:a']);
  });

  it('runs each job of a failed group alone: the poisoned one fails and is retried alone, the others complete', async () => {
    const [a, b, c] = [await enqueue('g', 'a'), await enqueue('g', 'b'), await enqueue('g', 'c')];
    const r = runner({ g: grouped('g', new Set(['b'])) });
    expect(await r.runOnce()).toBe(3);
    expect(calls).toEqual(['g many:a,b,c', 'g one:a', 'g one:b', 'g one:c']);
    expect(await getJob(db.kysely, a)).toMatchObject({ status: 'done' });
    expect(await getJob(db.kysely, c)).toMatchObject({ status: 'done' });
    expect(await getJob(db.kysely, b)).toMatchObject({ status: 'queued', attempts: 1, last_error: 'b is poisoned' });
    // Its retry is not mixed with jobs on their first attempt.
    calls = [];
    await enqueue('g', 'd');
    await enqueue('g', 'e');
    clock.advance(retryDelayMs(1));
    expect(await r.runOnce()).toBe(3);
    expect(calls).toEqual(['g many:d,e', 'g one:b']);
    expect(await getJob(db.kysely, b)).toMatchObject({ status: 'queued', attempts: 2 });
  });

  it('retries every job of a group cut short by a database outage at once, without running them alone', async () => {
    const ids = [await enqueue('g', 'a'), await enqueue('g', 'b')];
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const r = runner({
      g: {
        one: async () => void calls.push('one'),
        many: async () => {
          throw down;
        },
      },
    });
    expect(await r.runOnce()).toBe(2);
    expect(calls).toEqual([]);
    for (const id of ids)
      expect(await getJob(db.kysely, id)).toMatchObject({ status: 'queued', attempts: 1, run_at: clock.now().toISOString() });
  });

  it('never mixes the jobs of two works in one group, and runs each group in its work', async () => {
    const works: string[] = [];
    const tagged = async (...names: string[]) => {
      const { work } = await startWork(db.kysely, { kind: 'test.work', orgId: null, mayCount: false }, async () => {
        for (const p of names) await enqueue('g', p);
      });
      works.push(work.id);
    };
    await tagged('a1');
    await enqueue('g', 'untracked');
    await tagged('b');
    await tagged('a2', 'a3');
    const seen: string[] = [];
    const r = runner({
      g: {
        one: async (job) => void seen.push(`one:${job.payload as string}@${currentWork()?.id ?? 'none'}`),
        many: async (jobs) => void seen.push(`many:${payloads(jobs)}@${currentWork()?.id ?? 'none'}`),
      },
    });
    expect(await r.runOnce()).toBe(5);
    expect(seen).toEqual([`one:a1@${works[0]}`, 'one:untracked@none', `one:b@${works[1]}`, `many:a2,a3@${works[2]}`]);
  });
});
