import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '#test-support/databases.js';
import { ManualClock, MINUTE } from '../clock.js';
import type { Database } from '../db/index.js';
import { testLogger } from '#test-support/run-logs.js';
import { JobRunner, type JobKindHandler } from './job-runner.js';
import { claimJobs, releaseOrphanedLeases } from './claims.js';
import { enqueueJob, getJob, type Job } from './jobs.js';
import { killed, runToEnd, spawnTs } from '#test-support/spawn.js';
import { holderIsGone, instanceIdOf, processStartTime, readPidNamespace, type LeaseHolder, type StoredLease } from './lease-holder.js';

const me: LeaseHolder = {
  instance: 'inst-a@host',
  bootId: 'boot-1',
  pidNamespace: 'pid:[4026531836]',
  pid: 4242,
  startTime: '9000',
  worker: 'host:4242:new',
};
const lease = (over: Partial<StoredLease> = {}): StoredLease => ({
  lease_owner: 'host:1000:old',
  lease_instance: me.instance,
  lease_boot_id: me.bootId,
  lease_pid_ns: me.pidNamespace,
  lease_pid: 1000,
  lease_started: '500',
  ...over,
});
/** The processes that exist, by pid, with their start times. */
const running =
  (processes: Record<number, string>) =>
  (pid: number): string | null =>
    processes[pid] ?? null;

describe('whether a lease holder is gone', () => {
  it('is gone when no process has its pid', () => {
    expect(holderIsGone(lease(), me, running({}))).toBe(true);
    expect(holderIsGone(lease(), me, running({ 1001: '500' }))).toBe(true);
  });

  it('is gone when its pid belongs to a process that started at another time (the pid reused)', () => {
    expect(holderIsGone(lease(), me, running({ 1000: '7000' }))).toBe(true);
  });

  it('is alive when the process with its pid started when it did', () => {
    expect(holderIsGone(lease(), me, running({ 1000: '500' }))).toBe(false);
  });

  it('judges its own pid by start time too: a predecessor whose pid this process reuses is gone, itself is not', () => {
    const mine = running({ [me.pid]: me.startTime! });
    expect(holderIsGone(lease({ lease_pid: me.pid, lease_started: '500' }), me, mine)).toBe(true);
    expect(holderIsGone(lease({ lease_pid: me.pid, lease_started: me.startTime }), me, mine)).toBe(false);
    // Whatever owner name the lease carries: a runner of this process may have taken it.
    expect(holderIsGone(lease({ lease_pid: me.pid, lease_started: me.startTime, lease_owner: 'other' }), me, mine)).toBe(false);
  });

  it('is never judged in another pid namespace (a container sharing the host name), even when the pid is absent here', () => {
    expect(holderIsGone(lease({ lease_pid_ns: 'pid:[4026532999]' }), me, running({}))).toBe(false);
    expect(holderIsGone(lease({ lease_pid_ns: null }), me, running({}))).toBe(false);
    expect(holderIsGone(lease(), { ...me, pidNamespace: null }, running({}))).toBe(false);
  });

  it('is never judged from another boot (a reboot, or another machine with the same host name): the lease waits for expiry', () => {
    expect(holderIsGone(lease({ lease_boot_id: 'boot-0' }), me, running({}))).toBe(false);
    expect(holderIsGone(lease({ lease_boot_id: null }), { ...me, bootId: null }, running({}))).toBe(false);
  });

  it('is never judged without a start time, for another instance, or a lease taken without a holder', () => {
    expect(holderIsGone(lease({ lease_started: null }), me, running({}))).toBe(false);
    expect(holderIsGone(lease({ lease_instance: 'inst-b@host' }), me, running({}))).toBe(false);
    expect(holderIsGone(lease({ lease_instance: 'inst-a@other-host' }), me, running({}))).toBe(false);
    expect(holderIsGone(lease({ lease_instance: null, lease_pid: null }), me, running({}))).toBe(false);
  });
});

describe.runIf(existsSync('/proc/self/stat'))('what Linux tells about processes', () => {
  it('gives this process its pid namespace and start time, and no start time to a process that has exited', async () => {
    expect(readPidNamespace()).toMatch(/^pid:\[\d+\]$/);
    const own = readFileSync('/proc/self/stat', 'utf8');
    expect(processStartTime(process.pid)).toBe(own.slice(own.lastIndexOf(')') + 2).split(' ')[19]);
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    const pid = child.pid!;
    expect(processStartTime(pid)).toMatch(/^\d+$/);
    await killed(child);
    expect(processStartTime(pid)).toBeNull();
  });
});

describe('the instance id of a data directory', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'instance-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is created once and read back the same', () => {
    const first = instanceIdOf(path.join(dir, 'data'));
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(instanceIdOf(path.join(dir, 'data'))).toBe(first);
    expect(instanceIdOf(path.join(dir, 'other'))).not.toBe(first);
    expect(readdirSync(path.join(dir, 'data'))).toEqual(['instance-id']);
  });

  it('is the same for processes that create it at once: the loser reads the whole id the winner wrote', async () => {
    const count = 300;
    const racers = Array.from({ length: 4 }, () => spawnTs('test/fixtures/instance-ids.ts', [dir, String(count)], {}));
    const outputs = racers.map(runToEnd);
    writeFileSync(path.join(dir, 'go'), '');
    const ids = (await Promise.all(outputs)).map((o) => JSON.parse(o.stdout) as string[]);
    for (let i = 0; i < count; i++) {
      const seen = new Set(ids.map((list) => list[i]));
      expect([...seen], `data directory ${i}`).toHaveLength(1);
      expect([...seen][0]).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('refuses a file that holds no id rather than taking it for one', () => {
    mkdirSync(path.join(dir, 'data'));
    writeFileSync(path.join(dir, 'data', 'instance-id'), '');
    expect(() => instanceIdOf(path.join(dir, 'data'))).toThrow(/holds no instance id/);
  });
});

describeEachDatabase('releasing the leases of dead processes', (dialect) => {
  const get = useTestDatabase(dialect);
  let db: Database;
  let clock: ManualClock;
  beforeEach(() => {
    db = get().db;
    clock = new ManualClock();
  });

  const holder = (pid: number, over: Partial<LeaseHolder> = {}): LeaseHolder => ({
    ...me,
    pid,
    startTime: `t${pid}`,
    worker: `host:${pid}:w`,
    ...over,
  });

  it('releases at once the lease of a dead process of this instance, so the job runs again now, not after 5 minutes', async () => {
    const id = await enqueueJob(db.kysely, clock, { kind: 'k', payload: 'p' });
    const [first] = await claimJobs(db, clock, { worker: 'host:1000:w', holder: holder(1000), leaseMs: 5 * MINUTE });
    expect(await getJob(db.kysely, id)).toMatchObject({
      lease_instance: me.instance,
      lease_boot_id: 'boot-1',
      lease_pid_ns: me.pidNamespace,
      lease_pid: 1000,
      lease_started: 't1000',
    });
    expect(await claimJobs(db, clock, { worker: 'x', leaseMs: 5 * MINUTE })).toEqual([]);

    expect(await releaseOrphanedLeases(db.kysely, clock, me, { startTimeOf: running({}) })).toEqual([id]);
    const [again] = await claimJobs(db, clock, { worker: me.worker, holder: me, leaseMs: 5 * MINUTE });
    expect(again).toMatchObject({ id, attempt: first!.attempt + 1, payload: 'p' });
    expect(await getJob(db.kysely, id)).toMatchObject({
      status: 'running',
      lease_pid: me.pid,
      last_error: 'its worker host:1000:w died holding it',
    });
  });

  it('leaves the leases of live processes, of other instances and of claims without a holder', async () => {
    for (let i = 0; i < 3; i++) await enqueueJob(db.kysely, clock, { kind: 'k', payload: i });
    await claimJobs(db, clock, { worker: 'live', holder: holder(1001), leaseMs: 5 * MINUTE });
    await claimJobs(db, clock, { worker: 'elsewhere', holder: holder(1002, { instance: 'inst-b@host' }), leaseMs: 5 * MINUTE });
    await claimJobs(db, clock, { worker: 'by hand', leaseMs: 5 * MINUTE });
    expect(await releaseOrphanedLeases(db.kysely, clock, me, { startTimeOf: running({ 1001: 't1001' }) })).toEqual([]);
    expect(await claimJobs(db, clock, { worker: 'x', leaseMs: 5 * MINUTE })).toEqual([]);
  });

  it('charges, of a dead process that ran several lanes, the job each lane was in and gives the rest their attempt back', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push(await enqueueJob(db.kysely, clock, { kind: 'k', payload: i }));
      clock.advance(1000);
    }
    // Two lanes of one process (job-runner.ts: `<worker>#<lane>`), each with a batch of two, the first of each in progress.
    const dead = holder(1000);
    await claimJobs(db, clock, { worker: `${dead.worker}#0`, holder: dead, limit: 2, leaseMs: 5 * MINUTE });
    await claimJobs(db, clock, { worker: `${dead.worker}#1`, holder: dead, limit: 2, leaseMs: 5 * MINUTE });
    expect(await releaseOrphanedLeases(db.kysely, clock, me, { startTimeOf: running({}) })).toHaveLength(4);
    const attempts = await Promise.all(ids.map(async (id) => (await getJob(db.kysely, id))?.attempts));
    expect(attempts).toEqual([1, 0, 1, 0]);
  });

  it('fails a job whose dead holder had its last attempt', async () => {
    const id = await enqueueJob(db.kysely, clock, { kind: 'k', maxAttempts: 1 });
    await claimJobs(db, clock, { worker: 'host:1000:w', holder: holder(1000), leaseMs: 5 * MINUTE });
    await releaseOrphanedLeases(db.kysely, clock, me, { startTimeOf: running({}) });
    expect(await claimJobs(db, clock, { worker: 'x', leaseMs: 5 * MINUTE })).toEqual([]);
    expect(await getJob(db.kysely, id)).toMatchObject({ status: 'failed' });
  });

  /**
   * A runner claims a batch and runs it one job after the other. Killed in the middle of one job, it never
   * started the ones after it: those must not lose an attempt, or a job that waits behind slow ones through
   * five restarts fails without having run (on PostgreSQL with every crash area at once, an acknowledged
   * advisory's reverse match failed this way about once in ten kills). Each round below is one life of a
   * server: a runner with a holder that is dead by the next round (a pid no process can have), whose
   * handler finishes the jobs before `dieIn` and hangs in `dieIn`, as a process does when SIGKILL arrives.
   * With `grouped`, the kind's handler takes several jobs at once, and hangs in a group that holds `dieIn`.
   */
  async function livesOfARunner(
    names: readonly string[],
    dieIn: readonly string[],
    grouped = false,
  ): Promise<{ ids: Map<string, string>; ran: string[] }> {
    const ids = new Map<string, string>();
    for (const name of names) {
      ids.set(name, await enqueueJob(db.kysely, clock, { kind: 'k', payload: name }));
      clock.advance(1000);
    }
    const ran: string[] = [];
    const handlerOf = (run: (jobs: readonly Job[]) => Promise<void>): JobKindHandler =>
      grouped ? { one: (job) => run([job]), many: run } : (job) => run([job]);
    for (const [round, victim] of dieIn.entries()) {
      let reached: () => void = () => undefined;
      const died = new Promise<'died'>((resolve) => (reached = () => resolve('died')));
      const runner = new JobRunner({
        db,
        clock,
        log: testLogger(),
        batch: 4,
        holder: holder(2 ** 30 + round),
        handlers: {
          k: handlerOf(async (jobs) => {
            if (jobs.some((job) => job.payload === victim)) {
              reached();
              await new Promise(() => undefined);
            }
            ran.push(...jobs.map((job) => job.payload as string));
          }),
        },
      });
      // The runner is abandoned where it hangs: nothing of it runs again, as after SIGKILL.
      await Promise.race([died, runner.runOnce()]);
    }
    const last = new JobRunner({
      db,
      clock,
      log: testLogger(),
      holder: { ...me, pid: process.pid },
      handlers: { k: handlerOf(async (jobs) => void ran.push(...jobs.map((job) => job.payload as string))) },
    });
    await last.drain();
    return { ids, ran };
  }

  it('charges only the job a killed runner was in: the jobs of its batch it never started run, however often it dies', async () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    // Each job is in progress at two kills at most (of its five attempts), but d waits in six batches.
    const { ids, ran } = await livesOfARunner(names, ['a', 'b', 'b', 'c', 'c', 'd', 'd']);
    expect([...ran].sort()).toEqual(names);
    for (const name of names) expect(await getJob(db.kysely, ids.get(name)!), name).toMatchObject({ status: 'done' });
    expect(await getJob(db.kysely, ids.get('d')!)).toMatchObject({ attempts: 3 });
  });

  it('still fails a job its runner dies in at every attempt, and runs the jobs claimed with it', async () => {
    const { ids, ran } = await livesOfARunner(['a', 'b', 'c', 'd'], ['a', 'a', 'a', 'a', 'a']);
    expect(await getJob(db.kysely, ids.get('a')!)).toMatchObject({ status: 'failed', attempts: 5 });
    expect([...ran].sort()).toEqual(['b', 'c', 'd']);
  });

  it('charges every job of the group a dead runner was in, when it ran them together, and gives the rest their attempt back', async () => {
    const ids: string[] = [];
    for (const kind of ['g', 'k', 'g', 'g']) {
      ids.push(await enqueueJob(db.kysely, clock, { kind }));
      clock.advance(1000);
    }
    const dead = holder(1000);
    await claimJobs(db, clock, { worker: dead.worker, holder: dead, limit: 4, leaseMs: 5 * MINUTE });
    const attempts = () => Promise.all(ids.map(async (id) => (await getJob(db.kysely, id))?.attempts));
    expect(await releaseOrphanedLeases(db.kysely, clock, me, { startTimeOf: running({}), groupedKinds: new Set(['g']) })).toHaveLength(4);
    expect(await attempts()).toEqual([1, 0, 1, 1]);
  });

  it('runs alone, after a death in its group, a job that kills its runner: it fails at its last attempt, the others of its group complete', async () => {
    const { ids, ran } = await livesOfARunner(['a', 'poison', 'b', 'c'], Array<string>(6).fill('poison'), true);
    expect(await getJob(db.kysely, ids.get('poison')!)).toMatchObject({ status: 'failed', attempts: 5 });
    expect([...ran].sort()).toEqual(['a', 'b', 'c']);
  });

  it('is what a runner with a holder does on its first poll', async () => {
    const id = await enqueueJob(db.kysely, clock, { kind: 'k' });
    // A pid no process can have: the kernel's maximum is below 2^22.
    await claimJobs(db, clock, { worker: 'host:dead:w', holder: holder(2 ** 30), leaseMs: 5 * MINUTE });
    const runs: string[] = [];
    const runner = new JobRunner({
      db,
      clock,
      log: testLogger(),
      holder: { ...me, pid: process.pid },
      handlers: { k: async (j) => void runs.push(j.id) },
    });
    expect(await runner.runOnce()).toBe(1);
    expect(runs).toEqual([id]);
    expect(await getJob(db.kysely, id)).toMatchObject({ status: 'done', attempts: 2, lease_pid: null, lease_instance: null });
  });
});
