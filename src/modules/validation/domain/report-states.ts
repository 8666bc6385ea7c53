/**
 * The report-management state of a cluster, after CERT/CC's Vultron protocol (RM states): a report is
 * received, then found valid or invalid; a valid report is accepted for coordination or deferred; any report
 * may be closed. The validation module owns these transitions; intake only keeps the current value.
 */
export const REPORT_STATES = ['received', 'valid', 'invalid', 'accepted', 'deferred', 'closed'] as const;
export type ReportState = (typeof REPORT_STATES)[number];

const NEXT: Readonly<Record<ReportState, readonly ReportState[]>> = Object.freeze({
  received: ['valid', 'invalid', 'closed'],
  valid: ['accepted', 'deferred', 'closed'],
  invalid: ['closed'],
  accepted: ['closed'],
  deferred: ['closed'],
  closed: [],
});

export function isReportState(value: unknown): value is ReportState {
  return typeof value === 'string' && (REPORT_STATES as readonly string[]).includes(value);
}

/** The states a cluster in `state` may move to; none once closed. */
export function allowedNextStates(state: ReportState): readonly ReportState[] {
  return NEXT[state];
}

export function isLegalTransition(from: ReportState, to: ReportState): boolean {
  return NEXT[from].includes(to);
}

/** The sentence a refused transition answers with: the current state and the allowed next ones. */
export function illegalTransitionMessage(clusterId: string, from: ReportState, to: ReportState): string {
  const next = NEXT[from];
  const allowed = next.length === 0 ? 'no further transition is allowed' : `it may move to ${next.join(', ')}`;
  return `cluster ${clusterId} is ${from} and cannot become ${to}: ${allowed}`;
}

/** Why a report is invalid: a fixed list, so that track records count alike (issue 4). */
export const INVALID_REASONS = [
  'not_reproducible',
  'false_positive',
  'not_a_security_issue',
  'out_of_scope',
  'duplicate',
  'already_fixed_public',
] as const;
export type InvalidReason = (typeof INVALID_REASONS)[number];

/** What the reporter reads for each reason. */
export const INVALID_REASON_LABELS: Readonly<Record<InvalidReason, string>> = Object.freeze({
  not_reproducible: 'Not reproducible',
  false_positive: 'False positive',
  not_a_security_issue: 'Not a security issue',
  out_of_scope: 'Out of scope',
  duplicate: 'Duplicate of another cluster',
  already_fixed_public: 'Already fixed and public',
});

export function isInvalidReason(value: unknown): value is InvalidReason {
  return typeof value === 'string' && (INVALID_REASONS as readonly string[]).includes(value);
}

/** What a reporter's track record counts a cluster as: valid once validated, invalid once invalidated. */
export type Verdict = 'valid' | 'invalid';

/** The verdict after moving to `to`: set by valid and invalid, kept by every later state. */
export function verdictAfter(to: ReportState, before: Verdict | null): Verdict | null {
  if (to === 'valid') return 'valid';
  if (to === 'invalid') return 'invalid';
  return before;
}

/** Audit verb and event name of each target state (`validation.cluster.<verb>`, `validation.cluster.<event>`). */
export const TRANSITION_NAMES: Readonly<Record<Exclude<ReportState, 'received'>, { readonly verb: string; readonly event: string }>> =
  Object.freeze({
    valid: { verb: 'validate', event: 'validated' },
    invalid: { verb: 'invalidate', event: 'invalidated' },
    accepted: { verb: 'accept', event: 'accepted' },
    deferred: { verb: 'defer', event: 'deferred' },
    closed: { verb: 'close', event: 'closed' },
  });
