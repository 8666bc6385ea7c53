import type { TestRuntime, TestUser } from '#test-support/runtime.js';
import { addAllowlistEntry } from '../service/allowlist.js';
import { registerWebhook } from '../service/webhooks.js';
import { startReceiver, type TestReceiver } from './receiver.js';

/**
 * A receiver on loopback (on the runtime's clock, loopback allow-listed) and an operator with a webhook to it
 * for every event, its secret known to the receiver. The caller closes the receiver.
 */
export async function receiverWithWebhook(rt: TestRuntime): Promise<{ receiver: TestReceiver; admin: TestUser; webhookId: string }> {
  const receiver = await startReceiver();
  receiver.now = () => rt.clock.now().getTime();
  await addAllowlistEntry(rt.as(rt.coordinatorAdmin), { cidr: '127.0.0.0/8', note: 'test receivers' });
  const admin = await rt.org('operator', { sectors: ['energy'] });
  const { webhook, secret } = await registerWebhook(rt.as(admin), { url: receiver.url, events: ['*'] });
  receiver.secrets.push(secret);
  return { receiver, admin, webhookId: webhook.id };
}
