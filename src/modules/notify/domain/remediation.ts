import { DAY } from '../../../platform/clock.js';
import type { FieldIssue } from '../../../platform/errors.js';

/**
 * Remediation of one advisory on one asset, as the operator reports it. `notified` is where every item
 * starts (the notification went out); the operator then reports one of the other states.
 */
export const REPORTED_STATUSES = ['received', 'acknowledged', 'patched', 'mitigated', 'not_affected', 'risk_accepted'] as const;
export type ReportedStatus = (typeof REPORTED_STATUSES)[number];
export type RemediationStatus = 'notified' | ReportedStatus;

/**
 * Why a product is not affected, as CSAF 2.0 VEX flags (`/vulnerabilities[]/flags[]/label`) and OpenVEX
 * justifications state it.
 */
export const VEX_JUSTIFICATIONS = [
  'component_not_present',
  'inline_mitigations_already_exist',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_not_present',
] as const;
export type VexJustification = (typeof VEX_JUSTIFICATIONS)[number];

/** How long a risk may be accepted before the item reopens by itself. */
export const MAX_RISK_ACCEPTANCE_DAYS = 365;
export const MAX_REMEDIATION_TEXT = 2000;

export interface RemediationReport {
  readonly status: ReportedStatus;
  /** Required with `mitigated`: what was done instead of patching. */
  readonly mitigation: string | null;
  /** Required with `not_affected`. */
  readonly justification: VexJustification | null;
  /** Required with `risk_accepted`: when the acceptance ends and the item reopens (ISO instant). */
  readonly expiresAt: string | null;
  readonly note: string | null;
}

export type ReportCheck = { readonly ok: true; readonly report: RemediationReport } | { readonly ok: false; readonly issues: FieldIssue[] };

function text(value: unknown, pointer: string, issues: FieldIssue[]): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_REMEDIATION_TEXT) {
    issues.push({ pointer, detail: `must be a non-empty string of at most ${MAX_REMEDIATION_TEXT} characters` });
    return null;
  }
  return value.trim();
}

/**
 * Checks a report as received (API body, CLI options or the signed link's form), naming each offending
 * field: each status carries exactly the detail it needs, and nothing another status needs.
 */
export function checkRemediationReport(
  input: { status?: unknown; mitigation?: unknown; justification?: unknown; expiresAt?: unknown; note?: unknown },
  now: Date,
  base = '',
): ReportCheck {
  const issues: FieldIssue[] = [];
  const status = input.status;
  if (typeof status !== 'string' || !(REPORTED_STATUSES as readonly string[]).includes(status)) {
    return { ok: false, issues: [{ pointer: `${base}/status`, detail: `must be one of ${REPORTED_STATUSES.join(', ')}` }] };
  }
  const mitigation = text(input.mitigation, `${base}/mitigation`, issues);
  const note = text(input.note, `${base}/note`, issues);
  let justification: VexJustification | null = null;
  if (input.justification !== undefined && input.justification !== null) {
    if (typeof input.justification === 'string' && (VEX_JUSTIFICATIONS as readonly string[]).includes(input.justification)) {
      justification = input.justification as VexJustification;
    } else issues.push({ pointer: `${base}/justification`, detail: `must be one of ${VEX_JUSTIFICATIONS.join(', ')}` });
  }
  let expiresAt: string | null = null;
  if (input.expiresAt !== undefined && input.expiresAt !== null) {
    const ms =
      typeof input.expiresAt === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(input.expiresAt)
        ? Date.parse(input.expiresAt)
        : NaN;
    if (Number.isNaN(ms)) issues.push({ pointer: `${base}/expiresAt`, detail: 'must be an ISO 8601 date or date-time' });
    else if (ms <= now.getTime()) issues.push({ pointer: `${base}/expiresAt`, detail: 'must be in the future' });
    else if (ms > now.getTime() + MAX_RISK_ACCEPTANCE_DAYS * DAY) {
      issues.push({ pointer: `${base}/expiresAt`, detail: `must be at most ${MAX_RISK_ACCEPTANCE_DAYS} days ahead` });
    } else expiresAt = new Date(ms).toISOString();
  }
  const needs = (field: 'mitigation' | 'justification' | 'expiresAt', wanted: ReportedStatus) => {
    const given = input[field] !== undefined && input[field] !== null;
    if (status === wanted && !given) issues.push({ pointer: `${base}/${field}`, detail: `is required when the status is ${wanted}` });
    if (status !== wanted && given) issues.push({ pointer: `${base}/${field}`, detail: `is only for the status ${wanted}` });
  };
  needs('mitigation', 'mitigated');
  needs('justification', 'not_affected');
  needs('expiresAt', 'risk_accepted');
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, report: { status: status as ReportedStatus, mitigation, justification, expiresAt, note } };
}

/** An item as stored: its last reported state and its deadline. */
export interface RemediationItemState {
  readonly status: RemediationStatus;
  readonly expiresAt: string | null;
  /** From the deployer decision; null when the policy sets none (a deferred patch). */
  readonly dueAt: string | null;
}

export interface RemediationView {
  /** `risk_accepted` past its expiry reads as `reopened`. */
  readonly status: RemediationStatus | 'reopened';
  /** Still needs the operator's action: not patched, mitigated, not affected, nor (unexpired) accepted. */
  readonly open: boolean;
  readonly overdue: boolean;
}

const CLOSED: ReadonlySet<RemediationStatus> = new Set(['patched', 'mitigated', 'not_affected', 'risk_accepted']);

export function viewRemediation(item: RemediationItemState, now: Date): RemediationView {
  const expired = item.status === 'risk_accepted' && item.expiresAt !== null && Date.parse(item.expiresAt) <= now.getTime();
  const open = expired || !CLOSED.has(item.status);
  return {
    status: expired ? 'reopened' : item.status,
    open,
    overdue: open && item.dueAt !== null && Date.parse(item.dueAt) < now.getTime(),
  };
}

/** Whether the operator has at least acknowledged (anything past `notified`/`received`). */
export function isAcknowledged(status: RemediationStatus): boolean {
  return status !== 'notified' && status !== 'received';
}

/** Reminders for an open item past its due date: at the due date, then every `everyDays` while it stays open. */
export function reminderDue(item: RemediationItemState & { readonly lastReminderAt: string | null }, now: Date, everyDays = 3): boolean {
  const view = viewRemediation(item, now);
  if (!view.overdue) return false;
  if (item.lastReminderAt === null) return true;
  return now.getTime() - Date.parse(item.lastReminderAt) >= everyDays * DAY;
}
