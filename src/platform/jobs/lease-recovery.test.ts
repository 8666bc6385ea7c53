import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '../../../test/support/databases.js';
import { ManualClock, MINUTE } from '../clock.js';
import type { Database } from '../db/index.js';
import { silentLogger } from '../log.js';
import { JobRunner } from './job-runner.js';
import { claimJobs, enqueueJob, getJob, releaseOrphanedLeases } from './jobs.js';
import { holderIsGone, instanceIdOf, type LeaseHolder } from './lease-holder.js';

const me: LeaseHolder = { instance: 'inst-a@host', bootId: 'boot-1', pid: 4242, worker: 'host:4242:new' };
const lease = (over: Partial<Parameters<typeof holderIsGone>[0]> = {}) => ({
  lease_owner: 'host:1000:old',
  lease_instance: me.instance,
  lease_boot_id: me.bootId,
  lease_pid: 1000,
  ...over,
});
const alive = (pids: number[]) => (pid: number) => pids.includes(pid);

describe('whether a lease holder is gone', () => {
  it('is gone when its process no longer exists, or the machine rebooted since it took the lease', () => {
    expect(holderIsGone(lease(), me, alive([]))).toBe(true);
    expect(holderIsGone(lease(), me, alive([1000]))).toBe(false);
    expect(holderIsGone(lease({ lease_boot_id: 'boot-0' }), me, alive([1000]))).toBe(true);
  });

  it('is gone when its pid is now this process under another owner name (a pid reused, as pid 1 in a container)', () => {
    expect(holderIsGone(lease({ lease_pid: me.pid }), me, alive([me.pid]))).toBe(true);
    expect(holderIsGone(lease({ lease_pid: me.pid, lease_owner: me.worker }), me, alive([me.pid]))).toBe(false);
  });

  it('is never judged for another instance, or a lease taken without a holder', () => {
    expect(holderIsGone(lease({ lease_instance: 'inst-b@host' }), me, alive([]))).toBe(false);
    expect(holderIsGone(lease({ lease_instance: 'inst-a@other-host' }), me, alive([]))).toBe(false);
    expect(holderIsGone(lease({ lease_instance: null, lease_pid: null }), me, alive([]))).toBe(false);
  });
});

describe('the instance id of a data directory', () => {
  it('is created once and read back the same', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'instance-'));
    try {
      const first = instanceIdOf(path.join(dir, 'data'));
      expect(first).toMatch(/^[0-9a-f-]{36}$/);
      expect(instanceIdOf(path.join(dir, 'data'))).toBe(first);
      expect(instanceIdOf(path.join(dir, 'other'))).not.toBe(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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

  const holder = (pid: number, over: Partial<LeaseHolder> = {}): LeaseHolder => ({ ...me, pid, worker: `host:${pid}:w`, ...over });

  it('releases at once the lease of a dead process of this instance, so the job runs again now, not after 5 minutes', async () => {
    const id = await enqueueJob(db.kysely, clock, { kind: 'k', payload: 'p' });
    const [first] = await claimJobs(db, clock, { worker: 'host:1000:w', holder: holder(1000), leaseMs: 5 * MINUTE });
    expect(await getJob(db.kysely, id)).toMatchObject({ lease_instance: me.instance, lease_boot_id: 'boot-1', lease_pid: 1000 });
    expect(await claimJobs(db, clock, { worker: 'x', leaseMs: 5 * MINUTE })).toEqual([]);

    expect(await releaseOrphanedLeases(db.kysely, clock, me, alive([]))).toEqual([id]);
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
    expect(await releaseOrphanedLeases(db.kysely, clock, me, alive([1001]))).toEqual([]);
    expect(await claimJobs(db, clock, { worker: 'x', leaseMs: 5 * MINUTE })).toEqual([]);
  });

  it('fails a job whose dead holder had its last attempt', async () => {
    const id = await enqueueJob(db.kysely, clock, { kind: 'k', maxAttempts: 1 });
    await claimJobs(db, clock, { worker: 'host:1000:w', holder: holder(1000), leaseMs: 5 * MINUTE });
    await releaseOrphanedLeases(db.kysely, clock, me, alive([]));
    expect(await claimJobs(db, clock, { worker: 'x', leaseMs: 5 * MINUTE })).toEqual([]);
    expect(await getJob(db.kysely, id)).toMatchObject({ status: 'failed' });
  });

  it('is what a runner with a holder does on its first poll', async () => {
    const id = await enqueueJob(db.kysely, clock, { kind: 'k' });
    // A pid no process can have: the kernel's maximum is below 2^22.
    await claimJobs(db, clock, { worker: 'host:dead:w', holder: holder(2 ** 30), leaseMs: 5 * MINUTE });
    const runs: string[] = [];
    const runner = new JobRunner({
      db,
      clock,
      log: silentLogger,
      holder: { ...me, pid: process.pid },
      handlers: { k: async (j) => void runs.push(j.id) },
    });
    expect(await runner.runOnce()).toBe(1);
    expect(runs).toEqual([id]);
    expect(await getJob(db.kysely, id)).toMatchObject({ status: 'done', attempts: 2, lease_pid: null, lease_instance: null });
  });
});
