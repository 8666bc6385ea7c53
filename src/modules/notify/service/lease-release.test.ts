import { afterEach, expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime, type TestRuntime } from '#test-support/runtime.js';
import { processStartTime, readBootId, readPidNamespace, type LeaseHolder } from '../../../platform/jobs/index.js';
import { parseCidr, type Cidr } from '../domain/ip-address.js';
import { notifyJobs } from '../jobs.js';
import { claimDeliveries, releaseGoneDeliveryLeases } from '../store/deliveries.js';
import type { TestReceiver } from '../test-support/receiver.js';
import { receiverWithWebhook } from '../test-support/webhook-scene.js';
import { testWebhook } from './deliveries.js';
import { DISPATCH_JOB } from './fan-out.js';
import { createHttpTransport, type WebhookTransport } from './webhook-transport.js';

/** A holder of `instance` in this boot and pid namespace, as process `pid` started at `startTime`. */
const holderAs = (instance: string, pid: number, startTime: string | null): LeaseHolder => ({
  instance,
  bootId: readBootId(),
  pidNamespace: readPidNamespace(),
  pid,
  startTime,
  worker: `test:${pid}`,
});

describeEachDatabase('webhook deliveries a dead process held', (dialect) => {
  const get = useTestRuntime(dialect);
  let receiver: TestReceiver | undefined;
  let transport: WebhookTransport | undefined;
  afterEach(async () => {
    transport?.close();
    await receiver?.close();
  });

  /** `count` pending deliveries to a receiver on loopback, due now. */
  async function deliveries(rt: TestRuntime, count: number): Promise<{ ids: string[]; receiver: TestReceiver }> {
    const scene = await receiverWithWebhook(rt);
    receiver = scene.receiver;
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push((await testWebhook(rt.as(scene.admin), scene.webhookId)).deliveryId as string);
    return { ids, receiver };
  }

  const claim = (rt: TestRuntime, holder: LeaseHolder) => {
    const now = rt.clock.now();
    return claimDeliveries(rt.runtime.db, {
      leaseOwner: holder.worker,
      holder,
      now: now.toISOString(),
      leaseExpiresAt: new Date(now.getTime() + 60_000).toISOString(),
      limit: 1,
    });
  };

  it('gives back only the leases of a process of this instance that is gone, and they can be claimed again at once', async () => {
    const rt = get();
    await deliveries(rt, 3);
    // Process 222 is gone (no start time), 111 still runs (same start time); 333 held it for another instance.
    const startTimes = new Map<number, string | null>([
      [111, '5'],
      [222, null],
      [333, null],
    ]);
    const [gone] = await claim(rt, holderAs('here@host', 222, '7'));
    const [live] = await claim(rt, holderAs('here@host', 111, '5'));
    const [elsewhere] = await claim(rt, holderAs('there@host', 333, '9'));
    expect([gone, live, elsewhere].every((d) => d !== undefined)).toBe(true);
    const me = holderAs('here@host', 444, '1');
    const now = rt.clock.now().toISOString();
    expect(await releaseGoneDeliveryLeases(rt.runtime.db.kysely, me, now, (pid) => startTimes.get(pid) ?? null)).toEqual([gone?.id]);
    const again = await claim(rt, me);
    expect(again.map((d) => [d.id, d.attempts])).toEqual([[gone?.id, 2]]);
    expect(await claim(rt, me)).toEqual([]);
  });

  it('delivers, on the first dispatch after a restart, what the dead process had claimed, under the same webhook-id', async (ctx) => {
    if (readBootId() === null || readPidNamespace() === null) ctx.skip('this system tells no boot id or pid namespace: leases only expire');
    const rt = get();
    const { ids, receiver: got } = await deliveries(rt, 1);
    // A pid no process has: the kernel's largest (pid_max is at most 2^22).
    await claim(rt, holderAs('here@host', 4_194_304, '7'));
    transport = createHttpTransport({ allowList: () => [parseCidr('127.0.0.0/8') as Cidr] });
    const me = holderAs('here@host', process.pid, processStartTime(process.pid));
    const handlers = notifyJobs(
      { contextFor: (actor) => rt.runtime.contextFor(actor), publicUrl: 'http://127.0.0.1' },
      { transport, holder: me },
    );
    const dispatch = handlers[DISPATCH_JOB];
    if (dispatch === undefined) throw new Error('no dispatch job');
    await dispatch({ id: 'job_1', kind: DISPATCH_JOB, payload: null, attempt: 1, maxAttempts: 5, leaseOwner: 'test', leaseExpiresAt: '' });
    expect(got.received.map((m) => [m.id, m.attempt, m.verified])).toEqual([[ids[0], '2', true]]);
  });
});
