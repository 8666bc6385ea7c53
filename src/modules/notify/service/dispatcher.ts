import { ulid } from '../../../platform/ids.js';
import type { LeaseHolder } from '../../../platform/jobs/index.js';
import type { ServiceContext } from '../../../platform/context.js';
import { withTransaction } from '../../../platform/db/index.js';
import { appendTo } from '../../../platform/collections.js';
import {
  breakerGate,
  DEFAULT_BREAKER_POLICY,
  recordBreakerOutcome,
  type BreakerPolicy,
  type BreakerState,
} from '../domain/circuit-breaker.js';
import { DEFAULT_RETRY_POLICY, nextRetry, parseRetryAfter, type RetryPolicy } from '../domain/retry-schedule.js';
import { webhookHeaders, webhookSecretKey } from '../domain/webhook-signature.js';
import { claimDeliveries, insertAttempts, markDelivered, markFailed, postponeEndpoint, releaseDeliveries } from '../store/deliveries.js';
import { breakerOf, findEndpoints, saveBreaker, updateEndpoint } from '../store/endpoints.js';
import { findNotifications } from '../store/notifications.js';
import type { AttemptRow, DeliveryRow, EndpointRow } from '../store/tables.js';
import type { WebhookResponse, WebhookTransport } from './webhook-transport.js';

export interface DispatchOptions {
  readonly transport: WebhookTransport;
  /** Who dispatches: recorded on each attempt (`host:pid`). */
  readonly worker: string;
  /** The dispatching process, recorded on its leases so that a successor can give them back should it die. */
  readonly holder?: LeaseHolder | undefined;
  /** Deliveries claimed per batch. Default 200. */
  readonly batchSize?: number;
  /** Requests in flight at once. Default 64. */
  readonly concurrency?: number;
  /** How long a claim lasts: a worker that dies mid-batch loses its deliveries to another after this. Default 60 s. */
  readonly leaseMs?: number;
  /** Draws the retry jitter. Default Math.random. */
  readonly random?: () => number;
  readonly retryPolicy?: RetryPolicy;
  readonly breakerPolicy?: BreakerPolicy;
}

export interface BatchResult {
  readonly claimed: number;
  readonly delivered: number;
  readonly failed: number;
  readonly deadLettered: number;
  /** Held back unattempted by an open circuit. */
  readonly postponed: number;
}

const EMPTY: BatchResult = { claimed: 0, delivered: 0, failed: 0, deadLettered: 0, postponed: 0 };

/** The secrets that sign now: the current one, and the previous one while its rotation grace lasts. */
function signingKeys(endpoint: EndpointRow, now: Date): Buffer[] {
  const secrets = JSON.parse(endpoint.secrets) as string[];
  const inGrace = endpoint.previous_secret_until !== null && Date.parse(endpoint.previous_secret_until) > now.getTime();
  return (inGrace ? secrets.slice(0, 2) : secrets.slice(0, 1)).map(webhookSecretKey);
}

/** Runs `work` over `items` with at most `limit` running at once. */
async function pooled<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i] as T);
    }
  });
  await Promise.all(runners);
  return out;
}

interface Attempt {
  readonly delivery: DeliveryRow;
  readonly endpoint: EndpointRow;
  readonly startedAt: Date;
  readonly response: WebhookResponse;
}

/**
 * Claims one batch of due deliveries and makes one attempt of each: signed per Standard Webhooks with the
 * delivery's id as `webhook-id` (the same on every attempt and replay), sent concurrently, and recorded —
 * delivered, retried on the backoff schedule, or dead-lettered after 24 hours. An endpoint whose circuit is
 * open gets nothing: its deliveries wait, unattempted, until the cooldown ends. A crash mid-batch loses
 * nothing: the claimed deliveries are claimed again when the lease runs out, under the same ids.
 */
export async function dispatchBatch(ctx: Pick<ServiceContext, 'db' | 'clock'>, options: DispatchOptions): Promise<BatchResult> {
  const clock = ctx.clock;
  const leaseOwner = `${options.worker}#${ulid()}`;
  const claimedAt = clock.now();
  const claimed = await claimDeliveries(ctx.db, {
    leaseOwner,
    holder: options.holder,
    now: claimedAt.toISOString(),
    leaseExpiresAt: new Date(claimedAt.getTime() + (options.leaseMs ?? 60_000)).toISOString(),
    limit: options.batchSize ?? 200,
  });
  if (claimed.length === 0) return EMPTY;
  const breakerPolicy = options.breakerPolicy ?? DEFAULT_BREAKER_POLICY;
  const endpoints = new Map(
    (
      await findEndpoints(
        ctx.db.kysely,
        claimed.map((d) => d.endpoint_id),
      )
    ).map((e) => [e.id, e]),
  );
  const notifications = new Map(
    (
      await findNotifications(
        ctx.db.kysely,
        claimed.map((d) => d.notification_id),
      )
    ).map((n) => [n.id, n]),
  );

  // Gate each endpoint by its circuit: open → wait; half open → one probe, the others shortly after.
  const breakers = new Map<string, BreakerState>();
  const toSend: DeliveryRow[] = [];
  const held = new Map<string, string[]>();
  const hold = (until: Date, id: string) => appendTo(held, until.toISOString(), id);
  const inFlight = new Map<string, number>();
  const dead: { delivery: DeliveryRow; reason: string }[] = [];
  for (const delivery of claimed) {
    const endpoint = endpoints.get(delivery.endpoint_id);
    if (endpoint === undefined || endpoint.deleted_at !== null || endpoint.enabled !== 1) {
      dead.push({ delivery, reason: endpoint?.disabled_reason ?? 'the endpoint was deleted' });
      continue;
    }
    const gate = breakerGate(breakers.get(endpoint.id) ?? breakerOf(endpoint), claimedAt);
    if (!gate.allowed) {
      hold(gate.until, delivery.id);
      continue;
    }
    breakers.set(endpoint.id, gate.state);
    const used = inFlight.get(endpoint.id) ?? 0;
    if (used >= gate.limit) {
      hold(new Date(claimedAt.getTime() + 5_000), delivery.id);
      continue;
    }
    inFlight.set(endpoint.id, used + 1);
    toSend.push(delivery);
  }

  const attempts = await pooled(toSend, options.concurrency ?? 64, async (delivery): Promise<Attempt> => {
    const endpoint = endpoints.get(delivery.endpoint_id) as EndpointRow;
    const notification = notifications.get(delivery.notification_id);
    const startedAt = clock.now();
    if (notification === undefined) {
      return {
        delivery,
        endpoint,
        startedAt,
        response: { status: null, error: 'the notification is gone', retryAfter: null, durationMs: 0 },
      };
    }
    const headers = {
      ...webhookHeaders(signingKeys(endpoint, startedAt), delivery.id, startedAt, notification.body),
      'user-agent': 'Clearinghouse-Webhooks/1',
      'clearinghouse-attempt': String(delivery.attempts),
      'clearinghouse-event-type': notification.type,
    };
    const response = await options.transport.send({ url: endpoint.url, headers, body: notification.body });
    return { delivery, endpoint, startedAt, response };
  });

  // Fold the outcomes into each endpoint's circuit, in the order they were made.
  const finishedAt = clock.now();
  const now = finishedAt.toISOString();
  const random = options.random ?? Math.random;
  const successes: { id: string; status: number }[] = [];
  const failures: Parameters<typeof markFailed>[2][] = [];
  const gone = new Set<string>();
  for (const a of attempts) {
    const ok = a.response.status !== null && a.response.status >= 200 && a.response.status < 300;
    const before = breakers.get(a.endpoint.id) ?? breakerOf(a.endpoint);
    breakers.set(a.endpoint.id, recordBreakerOutcome(before, ok ? 'success' : 'failure', finishedAt, breakerPolicy));
    if (ok) {
      successes.push({ id: a.delivery.id, status: a.response.status as number });
      continue;
    }
    const error = a.response.error ?? `HTTP ${a.response.status}`;
    if (a.response.status === 410) {
      // 410 Gone: the receiver wants no more (Standard Webhooks, "Delivery success and failure").
      gone.add(a.endpoint.id);
      failures.push({
        id: a.delivery.id,
        status: 410,
        error,
        retryAt: null,
        deadReason: 'the receiver answered 410 Gone; the endpoint is disabled',
      });
      continue;
    }
    const retry = nextRetry(
      {
        attempt: Math.max(1, a.delivery.attempts - a.delivery.retry_base),
        firstAttemptAt: new Date(a.delivery.first_attempt_at ?? a.startedAt.toISOString()),
        failedAt: finishedAt,
        retryAfterMs: parseRetryAfter(a.response.retryAfter, finishedAt),
      },
      random,
      options.retryPolicy ?? DEFAULT_RETRY_POLICY,
    );
    failures.push({
      id: a.delivery.id,
      status: a.response.status,
      error,
      retryAt: retry.retry ? retry.at.toISOString() : null,
      deadReason: retry.retry ? null : 'no success within 24 hours of the first attempt',
    });
  }
  const attemptRows: AttemptRow[] = attempts.map((a) => ({
    delivery_id: a.delivery.id,
    attempt: a.delivery.attempts,
    worker: options.worker,
    started_at: a.startedAt.toISOString(),
    outcome: a.response.status !== null && a.response.status >= 200 && a.response.status < 300 ? 'success' : 'failure',
    status_code: a.response.status,
    error: a.response.error?.slice(0, 2000) ?? null,
    duration_ms: a.response.durationMs,
  }));

  await withTransaction(ctx.db, async (trx) => {
    await insertAttempts(trx, ctx.db.caps, attemptRows);
    await markDelivered(trx, leaseOwner, successes, now);
    for (const failure of failures) await markFailed(trx, leaseOwner, failure, now);
    for (const { delivery, reason } of dead) {
      await markFailed(trx, leaseOwner, { id: delivery.id, status: null, error: reason, retryAt: null, deadReason: reason }, now);
    }
    for (const [until, ids] of held) await releaseDeliveries(trx, leaseOwner, ids, until, now);
    for (const [endpointId, state] of breakers) {
      const endpoint = endpoints.get(endpointId) as EndpointRow;
      const before = breakerOf(endpoint);
      if (JSON.stringify(before) !== JSON.stringify(state)) await saveBreaker(trx, endpointId, state, now);
      if (state.status === 'open' && state.openUntil !== null && before.openUntil !== state.openUntil) {
        await postponeEndpoint(trx, endpointId, state.openUntil, now);
      }
    }
    for (const endpointId of gone) {
      await updateEndpoint(trx, endpointId, { enabled: 0, disabled_reason: `the receiver answered 410 Gone at ${now}`, updated_at: now });
    }
  });
  return {
    claimed: claimed.length,
    delivered: successes.length,
    failed: failures.filter((f) => f.retryAt !== null).length,
    deadLettered: failures.filter((f) => f.retryAt === null).length + dead.length,
    postponed: [...held.values()].reduce((n, ids) => n + ids.length, 0),
  };
}

/**
 * Dispatches batch after batch until nothing is due or `budgetMs` (wall time) is spent; answers the totals
 * and whether it stopped for the budget (work may remain).
 */
export async function dispatchDue(
  ctx: Pick<ServiceContext, 'db' | 'clock'>,
  options: DispatchOptions & { readonly budgetMs?: number },
): Promise<BatchResult & { readonly exhausted: boolean }> {
  const deadline = performance.now() + (options.budgetMs ?? Number.POSITIVE_INFINITY);
  let total: BatchResult = EMPTY;
  for (;;) {
    const batch = await dispatchBatch(ctx, options);
    total = {
      claimed: total.claimed + batch.claimed,
      delivered: total.delivered + batch.delivered,
      failed: total.failed + batch.failed,
      deadLettered: total.deadLettered + batch.deadLettered,
      postponed: total.postponed + batch.postponed,
    };
    if (batch.claimed === 0) return { ...total, exhausted: false };
    if (performance.now() >= deadline) return { ...total, exhausted: true };
  }
}
