import type { Tlp } from '../../platform/tlp.js';
import type { EmbargoExitReason, EmbargoState, EmbargoStep } from './domain/embargo.js';
import type { ParticipantRole } from './domain/participants.js';
import type { ApprovalState, StatementStatus } from './domain/statements.js';
import { defineEvent } from '../../platform/events/event-type.js';

/**
 * The events the cases module emits, one constant and one payload type each, shared by producer and
 * consumers (notify, advisories). Payloads are plain JSON; every field is listed and consumers may rely on
 * them. A payload that changes incompatibly gets a new event name (`…v2`), never a silent change.
 */

/** A case was opened from validated clusters. Subject: the case id; org: the coordinator. */
export const CASE_OPENED = defineEvent<CaseOpenedPayload>('cases.case.opened');

export interface CaseOpenedPayload {
  readonly caseId: string;
  /** `CH-YYYY-NNNN`. */
  readonly number: string;
  readonly title: string;
  readonly clusterIds: readonly string[];
  /** A coordinator's action, or the disclosure policy (a cluster validated at or above its priority). */
  readonly openedBy: 'coordinator' | 'policy';
  readonly tlp: Tlp;
  /** Organisations taking part at opening (the reporters and the coordinator; vendors are added after). */
  readonly participantOrgIds: readonly string[];
  readonly at: string;
}

/** An organisation joined a case (or was suggested for it). Subject: the case id; org: that organisation. */
export const PARTICIPANT_ADDED = defineEvent<ParticipantAddedPayload>('cases.participant.added');

export interface ParticipantAddedPayload {
  readonly caseId: string;
  readonly number: string;
  readonly orgId: string;
  readonly role: ParticipantRole;
  /** `suggested` awaits a coordinator; `active` takes part (and is to be notified). */
  readonly state: 'suggested' | 'active';
  readonly at: string;
}

/** The embargo moved (proposed, accepted, revised, shortened by policy, ended). Subject: the case id. */
export const EMBARGO_CHANGED = defineEvent<EmbargoChangedPayload>('cases.embargo.changed');

export interface EmbargoChangedPayload {
  readonly caseId: string;
  readonly number: string;
  readonly action: EmbargoStep['action'];
  readonly from: EmbargoState;
  readonly to: EmbargoState;
  /** The end in force after the change (UTC), and as local time in the zone it was set in. */
  readonly endsAt: string | null;
  readonly endsAtLocal: string | null;
  readonly timeZone: string | null;
  readonly exitReason: EmbargoExitReason | null;
  /** The active participants, to be told. */
  readonly participantOrgIds: readonly string[];
  readonly at: string;
}

/** An embargo ends in `daysBefore` days (the policy's reminders). Subject: the case id. */
export const EMBARGO_REMINDER = defineEvent<EmbargoReminderPayload>('cases.embargo.reminder');

export interface EmbargoReminderPayload {
  readonly caseId: string;
  readonly number: string;
  readonly daysBefore: number;
  readonly endsAt: string;
  readonly endsAtLocal: string;
  readonly participantOrgIds: readonly string[];
  readonly at: string;
}

/** A vendor's statement was created, changed or decided by a coordinator. Subject: the statement id. */
export const STATEMENT_CHANGED = defineEvent<StatementChangedPayload>('cases.statement.changed');

export interface StatementChangedPayload {
  readonly caseId: string;
  readonly number: string;
  readonly statementId: string;
  readonly vendorOrgId: string;
  readonly vulnerabilityId: string;
  readonly status: StatementStatus;
  readonly approval: ApprovalState;
  readonly version: number;
  /** Typed in, or read from a VEX document the vendor submitted. */
  readonly source: 'typed' | 'csaf_vex' | 'cyclonedx_vex';
  readonly at: string;
}
