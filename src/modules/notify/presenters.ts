import type { Static } from '@sinclair/typebox';
import type { Tlp } from '../../platform/tlp.js';
import type { BreakerStatus } from './domain/circuit-breaker.js';
import type { NotificationFacets } from './domain/delivery-filter.js';
import type {
  AllowlistEntrySchema,
  DeliveryAttemptSchema,
  DeliveryDetailSchema,
  DeliverySchema,
  NewWebhookSchema,
  NotificationSchema,
  RemediationItemSchema,
  WebhookSchema,
} from './route-schemas.js';
import type { AllowlistRow, AttemptRow, DeliveryRow, EndpointRow, NotificationRow, RemediationRow } from './store/tables.js';

/**
 * What the API and CLI show: the response schemas' types (route-schemas.ts). Fields are listed one by one
 * there, once, so that nothing else (secrets) leaks and nothing listed vanishes.
 */

export type Webhook = Static<typeof WebhookSchema>;

export function presentWebhook(row: EndpointRow): Webhook {
  return {
    id: row.id,
    orgId: row.org_id,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.event_types) as string[],
    tlpCeiling: row.tlp_ceiling as Tlp,
    sectors: row.sectors === null ? null : (JSON.parse(row.sectors) as string[]),
    products: row.products === null ? null : (JSON.parse(row.products) as string[]),
    enabled: row.enabled === 1,
    disabledReason: row.disabled_reason,
    circuit: { status: row.breaker_status as BreakerStatus, consecutiveFailures: row.breaker_failures, openUntil: row.breaker_open_until },
    previousSecretUntil: row.previous_secret_until,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type NewWebhook = Static<typeof NewWebhookSchema>;

/** A webhook just registered, with its signing secret (`whsec_…`): the one answer that shows it. */
export function presentNewWebhook(row: EndpointRow, secret: string): NewWebhook {
  return { id: row.id, secret, webhook: presentWebhook(row) };
}

export type Notification = Static<typeof NotificationSchema>;

export function presentNotification(row: NotificationRow): Notification {
  const facets = JSON.parse(row.facets) as NotificationFacets;
  return {
    id: row.id,
    orgId: row.org_id,
    type: row.type,
    subjectId: row.subject_id,
    tlp: row.tlp as Tlp,
    title: row.title,
    sectors: [...facets.sectors],
    createdAt: row.created_at,
    readAt: row.read_at,
    data: (JSON.parse(row.body) as { data: unknown }).data,
  };
}

export type Delivery = Static<typeof DeliverySchema>;

export function presentDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    notificationId: row.notification_id,
    webhookId: row.endpoint_id,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    lastStatus: row.last_status,
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    deadAt: row.dead_at,
    deadReason: row.dead_reason,
    replays: row.replays,
    createdAt: row.created_at,
  };
}

export type DeliveryAttempt = Static<typeof DeliveryAttemptSchema>;
export type DeliveryDetail = Static<typeof DeliveryDetailSchema>;

export function presentAttempt(row: AttemptRow): DeliveryAttempt {
  return {
    attempt: row.attempt,
    startedAt: row.started_at,
    outcome: row.outcome,
    statusCode: row.status_code,
    error: row.error,
    durationMs: row.duration_ms,
  };
}

export type RemediationItem = Static<typeof RemediationItemSchema>;

export function presentItem(row: RemediationRow, view: { status: string; open: boolean; overdue: boolean }): RemediationItem {
  return {
    id: row.id,
    orgId: row.org_id,
    advisoryId: row.advisory_id,
    assetId: row.asset_id,
    assetName: row.asset_name,
    sector: row.sector,
    status: view.status,
    open: view.open,
    overdue: view.overdue,
    mitigation: row.mitigation,
    justification: row.justification,
    expiresAt: row.expires_at,
    note: row.note,
    decision: row.decision,
    dueAt: row.due_at,
    notifiedAt: row.notified_at,
    acknowledgedAt: row.acknowledged_at,
    closedAt: row.closed_at,
    reportedAt: row.reported_at,
  };
}

export type AllowlistEntry = Static<typeof AllowlistEntrySchema>;

export function presentAllowlistEntry(row: AllowlistRow): AllowlistEntry {
  return { id: row.id, cidr: row.cidr, note: row.note, createdAt: row.created_at };
}
