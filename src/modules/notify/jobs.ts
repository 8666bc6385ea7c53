import { hostname } from 'node:os';
import { systemActor } from '../../platform/actor.js';
import { MINUTE, HOUR } from '../../platform/clock.js';
import { enqueueJob, JOB_PRIORITY, type JobHandler, type LeaseHolder, type Schedule } from '../../platform/jobs/index.js';
import type { Cidr } from './domain/ip-address.js';
import type { NotifyBackgroundDeps } from './consumers.js';
import { allowListBlocks } from './service/allowlist.js';
import { dispatchDue } from './service/dispatcher.js';
import { DISPATCH_JOB, DISPATCH_JOB_OPTIONS } from './service/fan-out.js';
import { sendOverdueReminders } from './service/reminders.js';
import { createHttpTransport, type WebhookTransport } from './service/webhook-transport.js';
import { nextDueAt, releaseGoneDeliveryLeases } from './store/deliveries.js';

export const REMINDER_JOB = 'notify.remind';

/** A dispatch job works this long, then hands over to a follow-up job so that other jobs get their turn. */
const DISPATCH_BUDGET_MS = 5_000;

export const notifySchedules: readonly Schedule[] = [
  // The safety net: retries fall due and leases expire without anyone kicking the dispatcher.
  { kind: DISPATCH_JOB, everyMs: MINUTE / 2, priority: JOB_PRIORITY.urgent },
  { kind: REMINDER_JOB, everyMs: HOUR },
];

export interface NotifyJobOptions {
  /** A transport other than HTTP (tests). */
  readonly transport?: WebhookTransport;
  /**
   * This process as a lease holder: recorded on the deliveries it claims, and, on its first dispatch, the
   * deliveries a dead process of the same instance held are given back at once rather than after their lease.
   */
  readonly holder?: LeaseHolder | undefined;
}

/**
 * `notify.dispatch`: delivers due webhooks for a few seconds, then enqueues its own follow-up while work
 * remains, and a run at the next retry's time. `notify.remind`: overdue reminders.
 */
export function notifyJobs(deps: NotifyBackgroundDeps, options: NotifyJobOptions = {}): Record<string, JobHandler> {
  let allowList: readonly Cidr[] = [];
  const transport = options.transport ?? createHttpTransport({ allowList: () => allowList });
  const worker = `${hostname()}:${process.pid}`;
  const actor = systemActor('notify');
  const { holder } = options;
  let recovered: Promise<void> | undefined;
  const recover = (ctx: ReturnType<NotifyBackgroundDeps['contextFor']>): Promise<void> => {
    if (holder === undefined) return Promise.resolve();
    // Once per process; asked again after a failure.
    recovered ??= releaseGoneDeliveryLeases(ctx.db.kysely, holder, ctx.clock.now().toISOString()).then(
      (released) => {
        if (released.length > 0)
          ctx.log.warn({ deliveries: released }, 'gave back the webhook deliveries a process of this instance held when it died');
      },
      (error: unknown) => {
        recovered = undefined;
        throw error;
      },
    );
    return recovered;
  };
  return {
    [DISPATCH_JOB]: async (job) => {
      const ctx = deps.contextFor(actor);
      allowList = await allowListBlocks(ctx);
      await recover(ctx);
      const result = await dispatchDue(ctx, { transport, worker, holder, budgetMs: DISPATCH_BUDGET_MS });
      if (result.exhausted) {
        await enqueueJob(ctx.db.kysely, ctx.clock, { ...DISPATCH_JOB_OPTIONS, dedupKey: `${DISPATCH_JOB}:after:${job.id}` });
        return;
      }
      const next = await nextDueAt(ctx.db.kysely);
      if (next !== null && Date.parse(next) > ctx.clock.now().getTime()) {
        const at = new Date(Math.ceil(Date.parse(next) / 1000) * 1000);
        await enqueueJob(ctx.db.kysely, ctx.clock, {
          ...DISPATCH_JOB_OPTIONS,
          runAt: at,
          dedupKey: `${DISPATCH_JOB}:at:${at.toISOString()}`,
        });
      }
    },
    [REMINDER_JOB]: async () => void (await sendOverdueReminders(deps.contextFor(actor))),
  };
}
