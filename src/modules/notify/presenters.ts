import type { Tlp } from '../../platform/tlp.js';
import type { BreakerStatus } from './domain/circuit-breaker.js';
import type { NotificationFacets } from './domain/delivery-filter.js';
import type { AttemptRow, DeliveryRow, EndpointRow, NotificationRow, RemediationRow } from './store/tables.js';

/** What the API and CLI show. Fields are listed one by one, so that nothing else (secrets) leaks. */

export interface Webhook {
  readonly id: string;
  readonly orgId: string;
  readonly url: string;
  readonly description: string | null;
  readonly events: string[];
  readonly tlpCeiling: Tlp;
  readonly sectors: string[] | null;
  readonly products: string[] | null;
  readonly enabled: boolean;
  readonly disabledReason: string | null;
  readonly circuit: { readonly status: BreakerStatus; readonly consecutiveFailures: number; readonly openUntil: string | null };
  /** While a rotated-out secret still signs (both signatures are sent). */
  readonly previousSecretUntil: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

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

export interface Notification {
  readonly id: string;
  readonly orgId: string;
  readonly type: string;
  readonly subjectId: string | null;
  readonly tlp: Tlp;
  readonly title: string;
  readonly sectors: string[];
  readonly createdAt: string;
  readonly readAt: string | null;
  /** The payload exactly as webhooks carry it (`data` of the Standard Webhooks body). */
  readonly data: unknown;
}

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

export interface Delivery {
  /** The `webhook-id` of every attempt. */
  readonly id: string;
  readonly notificationId: string;
  readonly webhookId: string;
  readonly status: DeliveryRow['status'];
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly deliveredAt: string | null;
  readonly deadAt: string | null;
  readonly deadReason: string | null;
  readonly replays: number;
  readonly createdAt: string;
}

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

export interface DeliveryAttempt {
  readonly attempt: number;
  readonly startedAt: string;
  readonly outcome: AttemptRow['outcome'];
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number | null;
}

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

export interface RemediationItem {
  readonly id: string;
  readonly orgId: string;
  readonly advisoryId: string;
  readonly assetId: string;
  readonly assetName: string;
  readonly sector: string | null;
  /** `reopened`: an accepted risk past its expiry. */
  readonly status: string;
  readonly open: boolean;
  readonly overdue: boolean;
  readonly mitigation: string | null;
  readonly justification: string | null;
  readonly expiresAt: string | null;
  readonly note: string | null;
  /** The SSVC deployer decision that set the due date. */
  readonly decision: string | null;
  readonly dueAt: string | null;
  readonly notifiedAt: string;
  readonly acknowledgedAt: string | null;
  readonly closedAt: string | null;
  readonly reportedAt: string | null;
}

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
