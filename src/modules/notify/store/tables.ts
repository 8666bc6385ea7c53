import type { Kysely } from 'kysely';
import { tables, type Executor } from '../../../platform/db/index.js';

export interface EndpointRow {
  id: string;
  org_id: string;
  url: string;
  description: string | null;
  /** JSON array of `whsec_…`, newest first. */
  secrets: string;
  previous_secret_until: string | null;
  /** JSON array of event-type patterns. */
  event_types: string;
  tlp_ceiling: string;
  /** JSON array, or null for all. */
  sectors: string | null;
  products: string | null;
  /** 0 or 1. */
  enabled: number;
  disabled_reason: string | null;
  breaker_status: string;
  breaker_failures: number;
  breaker_trips: number;
  breaker_open_until: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface NotificationRow {
  id: string;
  org_id: string;
  type: string;
  dedup_key: string;
  subject_id: string | null;
  source_event_id: string | null;
  tlp: string;
  title: string;
  /** JSON NotificationFacets. */
  facets: string;
  body: string;
  created_at: string;
  read_at: string | null;
  read_by: string | null;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'dead' | 'cancelled';

export interface DeliveryRow {
  id: string;
  notification_id: string;
  endpoint_id: string;
  org_id: string;
  status: DeliveryStatus;
  attempts: number;
  retry_base: number;
  next_attempt_at: string;
  first_attempt_at: string | null;
  lease_owner: string | null;
  lease_expires_at: string | null;
  lease_instance: string | null;
  lease_boot_id: string | null;
  lease_pid_ns: string | null;
  lease_pid: number | null;
  lease_started: string | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: string | null;
  dead_at: string | null;
  dead_reason: string | null;
  replays: number;
  created_at: string;
  updated_at: string;
}

export interface AttemptRow {
  delivery_id: string;
  attempt: number;
  worker: string;
  started_at: string;
  outcome: 'success' | 'failure';
  status_code: number | null;
  error: string | null;
  duration_ms: number | null;
}

export interface AllowlistRow {
  id: string;
  cidr: string;
  note: string | null;
  created_by: string | null;
  created_at: string;
}

export interface RemediationRow {
  id: string;
  org_id: string;
  advisory_id: string;
  asset_id: string;
  asset_name: string;
  sector: string | null;
  notification_id: string;
  status: string;
  mitigation: string | null;
  justification: string | null;
  expires_at: string | null;
  note: string | null;
  /** The deployer-tree outcome that set `due_at`. */
  decision: string | null;
  due_at: string | null;
  due_sort: string;
  notified_at: string;
  acknowledged_at: string | null;
  closed_at: string | null;
  last_reminder_at: string | null;
  reported_at: string | null;
  reported_by: string | null;
  updated_at: string;
}

export interface RemediationEventRow {
  id: string;
  item_id: string;
  advisory_id: string;
  status: string;
  via: string;
  actor: string;
  /** JSON: the report's details. */
  details: string;
  at: string;
}

export interface LinkKeyRow {
  id: string;
  key: string;
  created_at: string;
}

export interface NotifyTables {
  notify_endpoint: EndpointRow;
  notify_notification: NotificationRow;
  notify_delivery: DeliveryRow;
  notify_attempt: AttemptRow;
  notify_allowlist: AllowlistRow;
  notify_remediation: RemediationRow;
  notify_remediation_event: RemediationEventRow;
  notify_link_key: LinkKeyRow;
}

export const t = (executor: Executor): Kysely<NotifyTables> => tables<NotifyTables>(executor);
