import { defineEvent } from '../../platform/events/event-type.js';

/**
 * The events scoring emits, one constant and one payload type each, shared by producer and consumers
 * (scoring itself, notify, cases). Every field is listed; a payload that changes incompatibly gets a new
 * name (`….v2`).
 */

/** A new revision of the prioritization policy is in force. Subject: `policy:<revision>`. */
export const POLICY_UPDATED = defineEvent<{ readonly revision: number; readonly version: string }>('scoring.policy.updated');

/** A new EPSS day was stored. Subject: the import. */
export const EPSS_UPDATED = defineEvent<{
  readonly scoreDate: string;
  readonly count: number;
  readonly scoreDates: readonly string[];
  readonly modelVersion: string | null;
  readonly stored: number;
  readonly latestChanged: number;
}>('scoring.epss.updated');

/** A KEV catalog release added, withdrew or changed entries. Subject: the import. */
export const KEV_CHANGED = defineEvent<{
  readonly catalogVersion: string;
  readonly dateReleased: string;
  readonly previousCatalogVersion: string | null;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}>('scoring.kev.changed');

/** A decision's outcome changed. Subject: the decided subject (a cluster); org: its owner. */
export const DECISION_CHANGED = defineEvent<{
  readonly outcome: string;
  readonly previousOutcome: string | null;
  readonly vendorFixDueAt: string;
  readonly policyVersion: string;
  readonly revision: number;
  readonly reason: string;
  readonly changes: readonly string[];
  readonly cveIds: readonly string[];
}>('scoring.decision.changed');
