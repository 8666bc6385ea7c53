import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../src/platform/clock.js';
import { addAllowlistEntry, createHttpTransport, dispatchDue, getDelivery, registerWebhook } from '../src/modules/notify/index.js';
import { attemptCount, queueTestMessages } from '../src/modules/notify/test-support/messages.js';
import { startReceiver, type TestReceiver } from '../src/modules/notify/test-support/receiver.js';
import { describeEachDatabase, postgresAvailable } from '#test-support/databases.js';
import { useTestRuntime, type TestRuntime } from '#test-support/runtime.js';
import { killed, runToEnd, spawnTs, waitForLine } from '#test-support/spawn.js';

const loopback = [{ address: { version: 4 as const, bytes: Uint8Array.from([127, 0, 0, 0]) }, prefix: 8 }];

async function withWebhooks(rt: TestRuntime, receiver: TestReceiver, messages: number): Promise<string[]> {
  // The child dispatchers sign with the real time: the test's clock starts there too.
  rt.clock.set(new Date());
  receiver.now = () => rt.clock.now().getTime();
  await addAllowlistEntry(rt.as(rt.coordinatorAdmin), { cidr: '127.0.0.0/8' });
  const admin = await rt.org('operator');
  const { webhook, secret } = await registerWebhook(rt.as(admin), { url: receiver.url, events: ['*'] });
  receiver.secrets.push(secret);
  return queueTestMessages(rt.system, webhook.id, messages);
}

describeEachDatabase('a dispatcher killed in the middle of a batch', (dialect) => {
  const get = useTestRuntime(dialect);
  let receiver: TestReceiver | undefined;
  afterEach(async () => receiver?.close());

  it('loses nothing: another dispatcher delivers the batch again under the same webhook-ids once the lease runs out', async () => {
    const rt = get();
    receiver = await startReceiver();
    const rcv = receiver;
    const ids = await withWebhooks(rt, rcv, 6);
    rcv.answer = () => 'hang';
    const child = spawnTs('test/fixtures/notify-dispatcher.ts', ['once', '6', '6'], {
      DATABASE_URL: rt.database.url,
      CLEARINGHOUSE_DATA_DIR: rt.database.dir,
    });
    await waitForLine(child, /ready/);
    while (rcv.received.length < 6) await new Promise((resolve) => setTimeout(resolve, 20));
    await killed(child);
    const firstRound = rcv.received.map((r) => r.id).sort();
    expect(firstRound).toEqual([...ids].sort());

    rcv.answer = () => 204;
    const transport = createHttpTransport({ allowList: () => loopback });
    try {
      // Within the lease nobody takes the batch over; after it, the survivor does.
      expect((await dispatchDue(rt.system, { transport, worker: 'survivor' })).claimed).toBe(0);
      rt.clock.advance(2 * MINUTE);
      expect(await dispatchDue(rt.system, { transport, worker: 'survivor' })).toMatchObject({ claimed: 6, delivered: 6 });
    } finally {
      transport.close();
    }
    const secondRound = rcv.received.slice(6);
    expect(secondRound.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(secondRound.every((r) => r.verified && r.attempt === '2')).toBe(true);
    for (const id of ids) expect(await getDelivery(rt.system, id)).toMatchObject({ status: 'delivered', attempts: 2 });
  });
});

describe.runIf(postgresAvailable())('two dispatcher processes on one PostgreSQL', () => {
  const get = useTestRuntime('postgres');
  let receiver: TestReceiver | undefined;
  afterEach(async () => receiver?.close());

  it('share the work and never make the same attempt twice, nor overlap on one webhook-id', async () => {
    const rt = get();
    receiver = await startReceiver();
    const ids = await withWebhooks(rt, receiver, 300);
    const goFile = path.join(rt.database.dir, 'go');
    const env = { DATABASE_URL: rt.database.url, CLEARINGHOUSE_DATA_DIR: rt.database.dir, GO_FILE: goFile };
    const children = [
      spawnTs('test/fixtures/notify-dispatcher.ts', ['drain', '20', '8'], env),
      spawnTs('test/fixtures/notify-dispatcher.ts', ['drain', '20', '8'], env),
    ];
    const ends = children.map(runToEnd);
    await Promise.all(children.map((c) => waitForLine(c, /ready/)));
    writeFileSync(goFile, '');
    const results = await Promise.all(ends);
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const claimed = results.map((r) => Number(/drained (\d+) claimed/.exec(r.stdout)?.[1] ?? -1));
    expect(claimed[0]! + claimed[1]!).toBe(300);
    // Both took part (each claims in batches of 20 while the other sends).
    expect(claimed.every((n) => n > 0)).toBe(true);
    expect(receiver.received).toHaveLength(300);
    expect(new Set(receiver.received.map((r) => r.id))).toEqual(new Set(ids));
    expect(receiver.received.some((r) => r.overlapped)).toBe(false);
    expect(receiver.received.every((r) => r.verified && r.attempt === '1')).toBe(true);
    expect(await attemptCount(rt.runtime.db)).toBe(300);
  });
});
