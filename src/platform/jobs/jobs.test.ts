import { beforeEach, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '#test-support/databases.js';
import { ManualClock, MINUTE, SECOND } from '../clock.js';
import type { Database } from '../db/index.js';
import { testLogger } from '#test-support/run-logs.js';
import { dueBacklog } from './backlog.js';
import { JobRunner, retryDelayMs } from './job-runner.js';
import { claimJobs, completeJob, failJob } from './claims.js';
import { enqueueJob, enqueueJobs, getJob, JOB_PRIORITY } from './jobs.js';

describeEachDatabase('jobs', (dialect) => {
  const get = useTestDatabase(dialect);
  let db: Database;
  let clock: ManualClock;

  beforeEach(() => {
    db = get().db;
    clock = new ManualClock();
  });

  it('claims a due job once, then completes it', async () => {
    const id = await enqueueJob(db.kysely, clock, { kind: 'feeds.kev.refresh', payload: { url: 'x' } });
    const [job] = await claimJobs(db, clock, { worker: 'w1', leaseMs: MINUTE });
    expect(job).toMatchObject({ id, kind: 'feeds.kev.refresh', payload: { url: 'x' }, attempt: 1 });
    expect(await claimJobs(db, clock, { worker: 'w2', leaseMs: MINUTE })).toEqual([]);
    expect(await completeJob(db.kysely, clock, job!)).toBe(true);
    expect((await getJob(db.kysely, id))?.status).toBe('done');
  });

  it('does not run a job before its time', async () => {
    await enqueueJob(db.kysely, clock, { kind: 'k', runAt: new Date(clock.now().getTime() + 10 * MINUTE) });
    expect(await claimJobs(db, clock, { worker: 'w', leaseMs: MINUTE })).toEqual([]);
    clock.advance(10 * MINUTE);
    expect(await claimJobs(db, clock, { worker: 'w', leaseMs: MINUTE })).toHaveLength(1);
  });

  it('gives a job whose lease expired to another worker, and ignores the first worker afterwards', async () => {
    const id = await enqueueJob(db.kysely, clock, { kind: 'k' });
    const [first] = await claimJobs(db, clock, { worker: 'dead', leaseMs: MINUTE });
    clock.advance(MINUTE - SECOND);
    expect(await claimJobs(db, clock, { worker: 'w2', leaseMs: MINUTE })).toEqual([]);
    clock.advance(SECOND);
    const [second] = await claimJobs(db, clock, { worker: 'w2', leaseMs: MINUTE });
    expect(second).toMatchObject({ id, attempt: 2, leaseOwner: 'w2' });
    expect(await completeJob(db.kysely, clock, first!)).toBe(false);
    expect(await completeJob(db.kysely, clock, second!)).toBe(true);
  });

  it('retries a failed job with backoff, and gives up after the last attempt', async () => {
    const id = await enqueueJob(db.kysely, clock, { kind: 'k', maxAttempts: 2 });
    const [a] = await claimJobs(db, clock, { worker: 'w', leaseMs: MINUTE });
    await failJob(db.kysely, clock, a!, 'network down', retryDelayMs(1));
    expect(await getJob(db.kysely, id)).toMatchObject({ status: 'queued', last_error: 'network down' });
    expect(await claimJobs(db, clock, { worker: 'w', leaseMs: MINUTE })).toEqual([]);
    clock.advance(retryDelayMs(1));
    const [b] = await claimJobs(db, clock, { worker: 'w', leaseMs: MINUTE });
    expect(b?.attempt).toBe(2);
    await failJob(db.kysely, clock, b!, 'still down', retryDelayMs(2));
    expect((await getJob(db.kysely, id))?.status).toBe('failed');
  });

  it('fails a job whose worker died on its last attempt instead of claiming it forever', async () => {
    const id = await enqueueJob(db.kysely, clock, { kind: 'k', maxAttempts: 1 });
    await claimJobs(db, clock, { worker: 'dead', leaseMs: MINUTE });
    clock.advance(2 * MINUTE);
    expect(await claimJobs(db, clock, { worker: 'w', leaseMs: MINUTE })).toEqual([]);
    expect(await getJob(db.kysely, id)).toMatchObject({ status: 'failed' });
  });

  it('enqueues once per dedup key', async () => {
    const a = await enqueueJob(db.kysely, clock, { kind: 'k', dedupKey: 'kev:2026-06-02' });
    const b = await enqueueJob(db.kysely, clock, { kind: 'k', dedupKey: 'kev:2026-06-02' });
    expect(b).toBe(a);
    expect(await claimJobs(db, clock, { worker: 'w', leaseMs: MINUTE, limit: 10 })).toHaveLength(1);
  });

  it('never hands one job to two concurrent claimers', async () => {
    for (let i = 0; i < 40; i++) await enqueueJob(db.kysely, clock, { kind: 'k', payload: i });
    const other = get().another();
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) => claimJobs(i % 2 === 0 ? db : other, clock, { worker: `w${i}`, leaseMs: MINUTE, limit: 7 })),
    );
    const ids = claims.flat().map((j) => j.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(40);
  });

  it('claims an urgent job before a backlog of normal jobs queued earlier, and those then oldest first', async () => {
    const backlog = await enqueueJobs(
      db.kysely,
      db.caps,
      clock,
      Array.from({ length: 30 }, (_, i) => ({ kind: 'bulk', payload: i, dedupKey: `bulk:${i}` })),
    );
    clock.advance(SECOND);
    await enqueueJob(db.kysely, clock, { kind: 'bulk', payload: 'later' });
    const urgent = await enqueueJob(db.kysely, clock, { kind: 'deliver', priority: JOB_PRIORITY.urgent });
    const [first] = await claimJobs(db, clock, { worker: 'w', leaseMs: MINUTE });
    expect(first?.id).toBe(urgent);
    const next = await claimJobs(db, clock, { worker: 'w', leaseMs: MINUTE, limit: 31 });
    expect(
      next
        .slice(0, 30)
        .map((j) => j.id)
        .sort(),
    ).toEqual([...backlog.values()].sort());
    expect(next[30]?.payload).toBe('later');
  });

  it('hands each job to one of several concurrent claimers, urgent ones first', async () => {
    for (let i = 0; i < 20; i++) await enqueueJob(db.kysely, clock, { kind: 'bulk', payload: i });
    clock.advance(SECOND);
    for (let i = 0; i < 4; i++) await enqueueJob(db.kysely, clock, { kind: 'deliver', payload: i, priority: JOB_PRIORITY.urgent });
    const other = get().another();
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, i) => claimJobs(i % 2 === 0 ? db : other, clock, { worker: `w${i}`, leaseMs: MINUTE, limit: 1 })),
    );
    const claimed = claims.flat();
    expect(new Set(claimed.map((j) => j.id)).size).toBe(claimed.length);
    const rest = await claimJobs(db, clock, { worker: 'w', leaseMs: MINUTE, limit: 100 });
    expect(claimed.length + rest.length).toBe(24);
    expect(rest.filter((j) => j.kind === 'deliver')).toEqual([]);
  });

  it('runs handlers through the runner and records failures', async () => {
    const seen: unknown[] = [];
    const runner = new JobRunner({
      db,
      clock,
      log: testLogger(),
      handlers: {
        ok: async (job) => void seen.push(job.payload),
        broken: async () => {
          throw new Error('handler exploded');
        },
      },
    });
    const ok = await enqueueJob(db.kysely, clock, { kind: 'ok', payload: 'hello' });
    const broken = await enqueueJob(db.kysely, clock, { kind: 'broken' });
    expect(await runner.runOnce()).toBe(2);
    expect(seen).toEqual(['hello']);
    expect((await getJob(db.kysely, ok))?.status).toBe('done');
    expect(await getJob(db.kysely, broken)).toMatchObject({ status: 'queued', last_error: 'handler exploded', attempts: 1 });
  });

  it('runs as many jobs at once as it has lanes, each lane under its own worker name', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await enqueueJob(db.kysely, clock, { kind: 'k', payload: i }));
    let started = 0;
    let allStarted: () => void = () => undefined;
    const together = new Promise<void>((resolve) => (allStarted = resolve));
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    // Each job waits for all three to have started: one lane at a time would never get past the first.
    const runner = new JobRunner({
      db,
      clock,
      log: testLogger(),
      worker: 'w',
      lanes: 3,
      batch: 1,
      handlers: {
        k: async () => {
          if (++started === 3) allStarted();
          await released;
        },
      },
    });
    runner.start();
    await together;
    const owners = await Promise.all(ids.map(async (id) => (await getJob(db.kysely, id))?.lease_owner));
    expect(owners.sort()).toEqual(['w#0', 'w#1', 'w#2']);
    release();
    await runner.stop();
    for (const id of ids) expect((await getJob(db.kysely, id))?.status).toBe('done');
  });

  it('counts running and due queued jobs of the kinds named; not later ones, finished ones or other kinds', async () => {
    for (let i = 0; i < 3; i++) await enqueueJob(db.kysely, clock, { kind: 'a' });
    await enqueueJob(db.kysely, clock, { kind: 'b' });
    await enqueueJob(db.kysely, clock, { kind: 'a', runAt: new Date(clock.now().getTime() + 10 * MINUTE) });
    await enqueueJob(db.kysely, clock, { kind: 'slot:1' });
    expect(await dueBacklog(db.kysely, clock, ['a', 'b'])).toBe(4);

    const [running, done] = await claimJobs(db, clock, { worker: 'w', leaseMs: MINUTE, kinds: ['a'], limit: 2 });
    await completeJob(db.kysely, clock, done!);
    expect(running).toBeDefined();
    expect(await dueBacklog(db.kysely, clock, ['a', 'b'])).toBe(3);
    expect(await dueBacklog(db.kysely, clock, ['b'])).toBe(1);
    expect(await dueBacklog(db.kysely, clock, [])).toBe(0);

    clock.advance(10 * MINUTE);
    expect(await dueBacklog(db.kysely, clock, ['a', 'b'])).toBe(4);
  });
});
