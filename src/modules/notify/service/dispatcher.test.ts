import { afterEach, expect, it } from 'vitest';
import { describeEachDatabase } from '#test-support/databases.js';
import { useTestRuntime, type TestRuntime, type TestUser } from '#test-support/runtime.js';
import { HOUR, MINUTE, SECOND } from '../../../platform/clock.js';
import type { TestReceiver } from '../test-support/receiver.js';
import { receiverWithWebhook } from '../test-support/webhook-scene.js';
import { getDelivery, listDeliveries, replayDeadLetters, testWebhook } from './deliveries.js';
import { dispatchBatch, dispatchDue, type DispatchOptions } from './dispatcher.js';
import { createHttpTransport, type WebhookTransport } from './webhook-transport.js';
import { getWebhook } from './webhooks.js';
import { parseCidr, type Cidr } from '../domain/ip-address.js';

describeEachDatabase('webhook delivery to a real receiver on loopback', (dialect) => {
  const get = useTestRuntime(dialect);
  let receiver: TestReceiver | undefined;
  let transport: WebhookTransport | undefined;
  afterEach(async () => {
    transport?.close();
    await receiver?.close();
  });

  async function setup(): Promise<{
    rt: TestRuntime;
    admin: TestUser;
    receiver: TestReceiver;
    webhookId: string;
    options: DispatchOptions;
  }> {
    const rt = get();
    const scene = await receiverWithWebhook(rt);
    receiver = scene.receiver;
    transport = createHttpTransport({ allowList: () => [parseCidr('127.0.0.0/8') as Cidr] });
    // No jitter: each retry falls exactly on the nominal schedule.
    return { rt, admin: scene.admin, receiver, webhookId: scene.webhookId, options: { transport, worker: 'test', random: () => 0.5 } };
  }

  it('signs every message so that an independent verifier accepts it, with the delivery id as webhook-id', async () => {
    const { rt, admin, receiver, webhookId, options } = await setup();
    const { deliveryId } = await testWebhook(rt.as(admin), webhookId);
    expect(await dispatchDue(rt.system, options)).toMatchObject({ claimed: 1, delivered: 1 });
    expect(receiver.received).toHaveLength(1);
    const [message] = receiver.received;
    expect(message).toMatchObject({ id: deliveryId, verified: true, attempt: '1' });
    expect(message?.timestamp).toBe(String(Math.floor(rt.clock.now().getTime() / 1000)));
    expect(JSON.parse(message?.body ?? '')).toMatchObject({ type: 'webhook.test', data: { webhookId } });
    // Someone without the secret cannot produce a message the receiver accepts.
    receiver.secrets.splice(0, 1, 'whsec_' + Buffer.alloc(32, 7).toString('base64'));
    await testWebhook(rt.as(admin), webhookId);
    await dispatchDue(rt.system, options);
    expect(receiver.received[1]?.verified).toBe(false);
    expect(await getDelivery(rt.as(admin), deliveryId as string)).toMatchObject({
      status: 'delivered',
      attempts: 1,
      attemptLog: [{ attempt: 1, outcome: 'success', statusCode: 204 }],
    });
  });

  it('retries a failing endpoint on the backoff schedule and delivers on the sixth attempt', async () => {
    const { rt, admin, receiver, webhookId, options } = await setup();
    receiver.answer = ({ count }) => (count <= 5 ? 503 : 204);
    const { deliveryId } = await testWebhook(rt.as(admin), webhookId);
    // 10 s, 1 min, 6 min, 36 min, 3 h 36 min after each failure (the nominal schedule).
    const delays = [10 * SECOND, MINUTE, 6 * MINUTE, 36 * MINUTE, 216 * MINUTE];
    for (const delay of delays) {
      const failedAt = rt.clock.now().getTime();
      expect(await dispatchBatch(rt.system, options)).toMatchObject({ claimed: 1, failed: 1 });
      const pending = await getDelivery(rt.as(admin), deliveryId as string);
      expect(pending).toMatchObject({ status: 'pending', lastStatus: 503 });
      expect(pending.nextAttemptAt).toBe(new Date(failedAt + delay).toISOString());
      rt.clock.advance(delay - 1);
      expect((await dispatchBatch(rt.system, options)).claimed).toBe(0);
      rt.clock.advance(1);
    }
    expect(await dispatchBatch(rt.system, options)).toMatchObject({ claimed: 1, delivered: 1 });
    expect(receiver.received.map((r) => [r.id, r.attempt, r.verified])).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) => [deliveryId, String(n), true]),
    );
    // Retries carry the same id; each attempt is signed at its own time.
    expect(new Set(receiver.received.map((r) => r.timestamp)).size).toBe(6);
  });

  it('dead-letters after 24 hours of failures, lists it, and replays it under the same webhook-id', async () => {
    const { rt, admin, receiver, webhookId, options } = await setup();
    receiver.answer = () => 500;
    const { deliveryId } = await testWebhook(rt.as(admin), webhookId);
    const start = rt.clock.now().getTime();
    for (let i = 0; i < 20; i++) {
      await dispatchBatch(rt.system, options);
      const d = await getDelivery(rt.as(admin), deliveryId as string);
      if (d.status !== 'pending') break;
      rt.clock.set(d.nextAttemptAt as string);
    }
    const dead = await getDelivery(rt.as(admin), deliveryId as string);
    expect(dead).toMatchObject({ status: 'dead', deadReason: 'no success within 24 hours of the first attempt', attempts: 10 });
    expect(rt.clock.now().getTime() - start).toBeLessThanOrEqual(24 * HOUR);
    expect((await listDeliveries(rt.as(admin), { status: 'dead' }, {})).items.map((d) => d.id)).toEqual([deliveryId]);

    receiver.answer = () => 200;
    expect(await replayDeadLetters(rt.as(admin), { webhookId })).toEqual({ replayed: 1 });
    expect(await dispatchBatch(rt.system, options)).toMatchObject({ delivered: 1 });
    const last = receiver.received[receiver.received.length - 1];
    expect(last).toMatchObject({ id: deliveryId, attempt: '11', verified: true });
    expect(await getDelivery(rt.as(admin), deliveryId as string)).toMatchObject({ status: 'delivered', replays: 1 });
    expect((await listDeliveries(rt.as(admin), { status: 'dead' }, {})).items).toEqual([]);
  });

  it('opens the circuit after five failures in a row and holds the rest back, unattempted, until a probe succeeds', async () => {
    const { rt, admin, receiver, webhookId, options } = await setup();
    receiver.answer = () => 502;
    for (let i = 0; i < 8; i++) await testWebhook(rt.as(admin), webhookId);
    const serial = { ...options, batchSize: 1, concurrency: 1 };
    for (let i = 0; i < 8; i++) await dispatchBatch(rt.system, serial);
    expect(receiver.received).toHaveLength(5);
    expect((await getWebhook(rt.as(admin), webhookId)).circuit).toMatchObject({ status: 'open', consecutiveFailures: 5 });
    const held = (await listDeliveries(rt.as(admin), { status: 'pending' }, {})).items;
    expect(held.filter((d) => d.attempts === 0)).toHaveLength(3);

    receiver.answer = () => 204;
    rt.clock.advance(30 * SECOND);
    await dispatchDue(rt.system, options);
    expect((await getWebhook(rt.as(admin), webhookId)).circuit.status).toBe('closed');
    // The three held back went out once the probe succeeded (the five failed ones wait for their retry time).
    expect(receiver.received.length).toBeGreaterThanOrEqual(6);
    rt.clock.advance(HOUR);
    await dispatchDue(rt.system, options);
    expect((await listDeliveries(rt.as(admin), { status: 'delivered' }, { limit: 50 })).items).toHaveLength(8);
  });

  it('disables an endpoint that answers 410 Gone', async () => {
    const { rt, admin, receiver, webhookId, options } = await setup();
    receiver.answer = () => 410;
    await testWebhook(rt.as(admin), webhookId);
    expect(await dispatchBatch(rt.system, options)).toMatchObject({ deadLettered: 1 });
    expect(await getWebhook(rt.as(admin), webhookId)).toMatchObject({
      enabled: false,
      disabledReason: expect.stringMatching(/410 Gone/) as unknown,
    });
  });
});
