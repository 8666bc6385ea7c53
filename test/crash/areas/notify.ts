import { addAllowlistEntry, registerWebhook } from '../../../src/modules/notify/index.js';
import { startReceiver, type TestReceiver } from '../../../src/modules/notify/test-support/receiver.js';
import type { TestUser } from '#test-support/runtime.js';
import type { CrashArea, CrashWorld } from '../harness.js';

/**
 * Notification delivery: an operator sends test messages to its webhook over HTTP (a receiver on loopback
 * that verifies every signature) while the server, which also dispatches them, is killed. Afterwards every acknowledged
 * message is delivered; whatever arrived more than once arrived under its one webhook-id with the same body
 * (at-least-once), and nothing arrived that the database does not hold.
 */
export function notifyArea(): CrashArea {
  const accepted = new Set<string>();
  let receiver: TestReceiver | undefined;
  let webhookId = '';
  let operator: TestUser | undefined;
  return {
    name: 'notify',
    concurrency: 2,
    async setup(world) {
      receiver = await startReceiver();
      await addAllowlistEntry(world.as(world.coordinatorAdmin), { cidr: '127.0.0.0/8' });
      operator = await world.org('operator');
      const { webhook, secret } = await registerWebhook(world.as(operator), { url: receiver.url, events: ['*'] });
      receiver.secrets.push(secret);
      webhookId = webhook.id;
    },
    async drive(world) {
      const answer = await world.call(operator!.token, 'POST', `/api/v1/webhooks/${webhookId}/test`);
      if (answer?.status !== 202) return false;
      accepted.add((answer.body as { deliveryId: string }).deliveryId);
      return true;
    },
    async settled(world) {
      const open = await world.runtime.db.kysely.selectFrom('notify_delivery').select('id').where('status', '!=', 'delivered').execute();
      return open.length === 0;
    },
    check: async (world) => checkDeliveries(world, accepted, receiver!),
    close: async () => receiver?.close(),
  };
}

async function checkDeliveries(world: CrashWorld, accepted: ReadonlySet<string>, receiver: TestReceiver) {
  const rows = await world.runtime.db.kysely.selectFrom('notify_delivery').select(['id', 'status']).execute();
  const status = new Map(rows.map((r) => [r.id as string, r.status as string]));
  const undelivered = [...accepted].filter((id) => status.get(id) !== 'delivered').length;
  const bodies = new Map<string, Set<string>>();
  for (const r of receiver.received) bodies.set(r.id, (bodies.get(r.id) ?? new Set()).add(r.body));
  const unknown = [...bodies.keys()].filter((id) => !status.has(id)).length;
  const neverArrived = [...accepted].filter((id) => !bodies.has(id)).length;
  return {
    invariants: {
      everyAcknowledgedMessageDelivered: undelivered === 0 && neverArrived === 0,
      nothingDeliveredThatWasNotStored: unknown === 0,
      repeatsKeepTheirIdAndBody: [...bodies.values()].every((b) => b.size === 1),
      everyDeliveryVerifies: receiver.received.every((r) => r.verified),
    },
    counts: { accepted: accepted.size, received: receiver.received.length, redelivered: receiver.received.length - bodies.size },
  };
}
