import { DAY } from '../../../platform/clock.js';
import type { FieldIssue } from '../../../platform/errors.js';
import { isTimeZone } from '../../../platform/zoned-time.js';

/**
 * The disclosure policy: versioned data a coordinator admin changes (DESIGN §5, "Configuration"), never
 * code. Every number the embargo and the automatic opening of cases decide with is here.
 */

/** CISA's SSVC coordinator levels, lowest first (scoring's `CisaLevel`). */
export const PRIORITY_LEVELS = ['track', 'track*', 'attend', 'act'] as const;

/** Who opened a case: a coordinator, or the policy's auto-open at a priority (`autoOpenAtPriority`). */
export const CASE_OPENERS = ['coordinator', 'policy'] as const;
export type PriorityLevel = (typeof PRIORITY_LEVELS)[number];

export interface DisclosurePolicy {
  /** Days from the first vendor contact to the default end of the embargo (CERT/CC's 45). */
  readonly embargoDays: number;
  /** The same when the vulnerability is being actively exploited. */
  readonly exploitedEmbargoDays: number;
  /** The longest embargo anyone may propose, in days from the proposal. */
  readonly maxEmbargoDays: number;
  /** Participants are reminded this many days before the embargo ends, largest first. */
  readonly reminderDaysBefore: readonly number[];
  /**
   * A validated cluster whose priority reaches this level opens a case by itself; null leaves every case to
   * a coordinator.
   */
  readonly autoOpenAtPriority: PriorityLevel | null;
  /** The zone deadlines set by policy are shown in until someone proposes in theirs. */
  readonly defaultTimeZone: string;
  /**
   * The coordinator as CNA: the organisation UUID and short name the CVE Program assigned it, written as
   * `providerMetadata` (and the assigner) of every CVE record generated. Null until configured: records then
   * carry a stand-in derived from the server's public URL, to be replaced before submitting them.
   */
  readonly cna: CnaIdentity | null;
}

/** The CVE Program's identity of a CNA: its organisation UUID and its 2–32 character short name. */
export interface CnaIdentity {
  readonly orgId: string;
  readonly shortName: string;
}

/** The CVE JSON 5.1 schema's `uuidType`: a version 4 UUID. */
export const CVE_ORG_ID_PATTERN = '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-4[0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$';

export const DEFAULT_DISCLOSURE_POLICY: DisclosurePolicy = Object.freeze({
  embargoDays: 45,
  exploitedEmbargoDays: 7,
  maxEmbargoDays: 90,
  reminderDaysBefore: Object.freeze([7, 1]),
  autoOpenAtPriority: 'act',
  defaultTimeZone: 'UTC',
  cna: null,
});

/** The default end of an embargo whose first vendor was contacted at `firstContact`. */
export function defaultEmbargoEnd(firstContact: Date, exploited: boolean, policy: DisclosurePolicy): Date {
  return new Date(firstContact.getTime() + (exploited ? policy.exploitedEmbargoDays : policy.embargoDays) * DAY);
}

/** Whether a cluster prioritized at `level` opens a case by itself under the policy. */
export function opensCaseAutomatically(level: string, policy: DisclosurePolicy): boolean {
  if (policy.autoOpenAtPriority === null) return false;
  const at = PRIORITY_LEVELS.indexOf(level as PriorityLevel);
  return at >= 0 && at >= PRIORITY_LEVELS.indexOf(policy.autoOpenAtPriority);
}

/** Longest embargo any policy may allow: a year is already far past every coordinator's practice. */
export const MAX_POLICY_EMBARGO_DAYS = 365;

/** The document a coordinator admin saves, every field required but `cna` (draft-07, checked before the rules below). */
export const DISCLOSURE_POLICY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['embargoDays', 'exploitedEmbargoDays', 'maxEmbargoDays', 'reminderDaysBefore', 'autoOpenAtPriority', 'defaultTimeZone'],
  properties: {
    embargoDays: { type: 'integer', minimum: 1, maximum: MAX_POLICY_EMBARGO_DAYS },
    exploitedEmbargoDays: { type: 'integer', minimum: 1, maximum: MAX_POLICY_EMBARGO_DAYS },
    maxEmbargoDays: { type: 'integer', minimum: 1, maximum: MAX_POLICY_EMBARGO_DAYS },
    reminderDaysBefore: {
      type: 'array',
      maxItems: 5,
      uniqueItems: true,
      items: { type: 'integer', minimum: 1, maximum: MAX_POLICY_EMBARGO_DAYS },
    },
    autoOpenAtPriority: { enum: [...PRIORITY_LEVELS, null] },
    defaultTimeZone: { type: 'string', minLength: 1, maxLength: 64 },
    // Optional, so that documents saved before it still save: absent is null (not configured).
    cna: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['orgId', 'shortName'],
      properties: {
        orgId: { type: 'string', pattern: CVE_ORG_ID_PATTERN },
        shortName: { type: 'string', minLength: 2, maxLength: 32 },
      },
    },
  },
} as const;

/**
 * The rules a schema cannot say: the default deadlines fit under the maximum, the exploited one is not the
 * longer, reminders fall inside the maximum, the zone is an IANA zone.
 */
export function checkDisclosurePolicy(policy: DisclosurePolicy): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (policy.embargoDays > policy.maxEmbargoDays)
    issues.push({ pointer: '/embargoDays', detail: `must be at most maxEmbargoDays (${policy.maxEmbargoDays})` });
  if (policy.exploitedEmbargoDays > policy.embargoDays)
    issues.push({ pointer: '/exploitedEmbargoDays', detail: `must be at most embargoDays (${policy.embargoDays})` });
  policy.reminderDaysBefore.forEach((days, i) => {
    if (days >= policy.maxEmbargoDays)
      issues.push({ pointer: `/reminderDaysBefore/${i}`, detail: `must be less than maxEmbargoDays (${policy.maxEmbargoDays})` });
  });
  if (!isTimeZone(policy.defaultTimeZone))
    issues.push({ pointer: '/defaultTimeZone', detail: 'must be an IANA time zone such as UTC or America/New_York' });
  return issues;
}
