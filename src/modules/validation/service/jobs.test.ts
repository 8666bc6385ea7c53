import { expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime, type TestRuntime } from '#test-support/runtime.js';
import { HOUR } from '../../../platform/clock.js';
import { distinctFinding, errorOf, notReproduced, report, reproduced } from '../test-support/scene.js';
import { claimValidationJob, listValidationJobs, releaseValidationJob, reportValidationJob } from './jobs.js';
import { setVerdict } from './verdicts.js';

const CRITICAL = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';

describeEachDatabase('validation jobs for partner sandboxes', (dialect) => {
  const get = useTestRuntime(dialect);

  async function scene(t: TestRuntime, findings = [distinctFinding()]) {
    const lab = await t.org('model_developer');
    const a = await t.org('agency');
    const b = await t.org('researcher');
    const ids = await report(t, lab, findings, { shareWith: [a.orgId, b.orgId] });
    return { lab, a, b, ids };
  }

  it('leases a job to one organisation; a killed validator’s job returns to the pool when its lease ends', async () => {
    const t = get();
    const { a, b, ids } = await scene(t);
    const claimed = await claimValidationJob(t.as(a));
    expect(claimed.job).toMatchObject({
      clusterId: ids[0],
      claimedBy: a.userId,
      leaseExpiresAt: new Date(t.clock.now().getTime() + 24 * HOUR).toISOString(),
    });
    expect(claimed.cluster).toMatchObject({ id: ids[0] });
    expect(await listValidationJobs(t.as(a))).toEqual([claimed.job]);
    expect((await claimValidationJob(t.as(b))).job).toBeNull();
    // The background runner never takes validation jobs: they wait for validators.
    await t.runtime.jobs.drain();
    expect((await claimValidationJob(t.as(b))).job).toBeNull();

    // The first validator dies; its lease runs out and the job goes to the next one.
    t.clock.advance(24 * HOUR + 1);
    expect(await listValidationJobs(t.as(a))).toEqual([]);
    const taken = await claimValidationJob(t.as(b));
    expect(taken.job?.id).toBe(claimed.job?.id);
    const late = await errorOf(reportValidationJob(t.as(a), claimed.job!.id, reproduced()));
    expect(late.code).toBe('lease-lost');
    const done = await reportValidationJob(t.as(b), taken.job!.id, reproduced());
    expect(done).toMatchObject({ state: 'valid', jobCompleted: true, attempt: { jobId: taken.job?.id } });
    expect((await claimValidationJob(t.as(a))).job).toBeNull();
  });

  it('accepts a report after the lease ended as long as nobody took the job over', async () => {
    const t = get();
    const { a } = await scene(t);
    const claimed = await claimValidationJob(t.as(a), { leaseHours: 2 });
    t.clock.advance(3 * HOUR);
    await expect(reportValidationJob(t.as(a), claimed.job!.id, reproduced())).resolves.toMatchObject({
      state: 'valid',
      jobCompleted: true,
    });
  });

  it('hands out the highest-scored cluster first and opens a new slot after a failed reproduction', async () => {
    const t = get();
    const { a, b, ids } = await scene(t, [
      distinctFinding(),
      distinctFinding({ cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }),
    ]);
    const first = await claimValidationJob(t.as(a));
    expect(first.job?.clusterId).toBe(ids[1]); // CVSS 7.5 outranks an unstated severity (0.5)
    const failed = await reportValidationJob(t.as(a), first.job!.id, notReproduced());
    expect(failed).toMatchObject({ state: 'received', jobCompleted: true, attempt: { confirms: false } });
    const next = await claimValidationJob(t.as(b));
    expect(next.job?.clusterId).toBe(ids[1]);
    expect(next.job?.id).not.toBe(first.job?.id);
    // The first organisation tried that one already: it gets the other cluster.
    expect((await claimValidationJob(t.as(a))).job?.clusterId).toBe(ids[0]);
  });

  it('opens one slot per confirmation still needed and never gives one organisation two of them', async () => {
    const t = get();
    const { a, b, ids } = await scene(t, [distinctFinding({ cvssVector: CRITICAL })]);
    const one = await claimValidationJob(t.as(a));
    expect((await claimValidationJob(t.as(a))).job).toBeNull();
    const two = await claimValidationJob(t.as(b));
    expect([one.job?.clusterId, two.job?.clusterId]).toEqual([ids[0], ids[0]]);
    expect(two.job?.id).not.toBe(one.job?.id);
    await reportValidationJob(t.as(a), one.job!.id, reproduced());
    await expect(reportValidationJob(t.as(b), two.job!.id, reproduced())).resolves.toMatchObject({
      state: 'valid',
      quorum: { needed: 2, confirmations: 2 },
    });
  });

  it('gives a job back on release, and closes open jobs once the cluster is decided', async () => {
    const t = get();
    const { a, b, ids } = await scene(t);
    const claimed = await claimValidationJob(t.as(a));
    await expect(releaseValidationJob(t.as(b), claimed.job!.id)).rejects.toMatchObject({ code: 'lease-lost' });
    await releaseValidationJob(t.as(a), claimed.job!.id);
    const again = await claimValidationJob(t.as(b));
    expect(again.job?.id).toBe(claimed.job?.id);
    await setVerdict(t.as(t.coordinatorAdmin), ids[0]!, { state: 'invalid', reason: 'out_of_scope', note: 'test fixture' });
    expect((await errorOf(reportValidationJob(t.as(b), again.job!.id, reproduced()))).code).toBe('not-awaiting-validation');
    expect((await claimValidationJob(t.as(a))).job).toBeNull();
    expect(await listValidationJobs(t.as(b))).toEqual([]);
  });

  it('refuses leases beyond the policy and non-validators', async () => {
    const t = get();
    const { a } = await scene(t);
    const vendor = await t.org('vendor');
    expect((await errorOf(claimValidationJob(t.as(a), { leaseHours: 73 }))).code).toBe('invalid-input');
    expect((await errorOf(claimValidationJob(t.as(vendor)))).name).toBe('NotAllowedError');
    expect((await errorOf(reportValidationJob(t.as(a), 'job_unknown', reproduced()))).name).toBe('NotFoundError');
  });
});
