import { DAY, HOUR } from '../../../platform/clock.js';
import { InputError } from '../../../platform/errors.js';
import { isTimeZone } from '../../../platform/zoned-time.js';
import { FieldReader } from '../../../platform/input/field-reader.js';

export { formatInZone } from '../../../platform/zoned-time.js';

/**
 * Review windows. A window is two exact instants, stored in UTC; a "day" is 24 hours, so a window's length
 * never depends on the time zone it is shown in (across a daylight-saving change the local end time moves
 * by an hour, the length does not).
 */

/** The part of the policy a window is checked against. */
export interface WindowPolicy {
  readonly version: number;
  readonly windowMaxDays: number;
}

export interface WindowPlan {
  readonly windowStart: Date;
  readonly windowEnd: Date;
  readonly days: number;
  readonly timeZone: string;
}

/** How far in the past a start may lie (clock skew between the developer's system and ours). */
export const START_TOLERANCE_MS = HOUR;
/** How far ahead a review may be scheduled. */
export const MAX_LEAD_DAYS = 365;

/**
 * The refusal of a window longer than the policy allows: a 422 stating the maximum in days and the policy
 * version. Never silently shortened — the developer decides what to ask for instead.
 */
export function windowTooLong(days: number, policy: WindowPolicy, pointer: string, agreement?: string): InputError {
  const under =
    agreement === undefined ? `frontier policy version ${policy.version}` : `${agreement} (frontier policy version ${policy.version})`;
  return new InputError(
    `A review window may last at most ${policy.windowMaxDays} days under ${under}; ${days} days were requested`,
    [{ pointer, detail: `must be at most ${policy.windowMaxDays} days (${agreement ?? `policy version ${policy.version}`})` }],
    { code: 'unprocessable' },
  );
}

/**
 * Plans a new window from the developer's request. Throws InputError (400) for malformed fields and the
 * {@link windowTooLong} 422 when `days` exceeds the policy maximum.
 */
export function planWindow(
  input: { accessStart?: unknown; days?: unknown; timeZone?: unknown },
  policy: WindowPolicy,
  now: Date,
): WindowPlan {
  const r = new FieldReader();
  const start = r.instant('/accessStart', input.accessStart);
  const days = r.integer('/days', input.days, 1);
  const timeZone = input.timeZone === undefined ? 'UTC' : typeof input.timeZone === 'string' ? input.timeZone : '';
  if (!isTimeZone(timeZone)) r.add('/timeZone', 'must be an IANA time zone such as UTC or America/New_York');
  if (r.issues.length === 0) {
    if (start.getTime() < now.getTime() - START_TOLERANCE_MS) r.add('/accessStart', 'must not be in the past');
    if (start.getTime() > now.getTime() + MAX_LEAD_DAYS * DAY) r.add('/accessStart', `must be within ${MAX_LEAD_DAYS} days from now`);
  }
  r.done();
  if (days > policy.windowMaxDays) throw windowTooLong(days, policy, '/days');
  return { windowStart: start, windowEnd: new Date(start.getTime() + days * DAY), days, timeZone };
}

/** The new length and end of a window extended by `additionalDays`, within the current maximum. */
export function extendWindow(
  current: { windowStart: Date; days: number },
  additionalDays: unknown,
  policy: WindowPolicy,
): { days: number; windowEnd: Date } {
  const r = new FieldReader();
  const extra = r.integer('/additionalDays', additionalDays, 1);
  r.done();
  const days = current.days + extra;
  if (days > policy.windowMaxDays) {
    const error = windowTooLong(days, policy, '/additionalDays');
    throw new InputError(`${error.message} (${current.days} already granted + ${extra} more)`, error.issues, { code: 'unprocessable' });
  }
  return { days, windowEnd: new Date(current.windowStart.getTime() + days * DAY) };
}

export const REVIEW_STATES = ['scheduled', 'open', 'ended', 'withdrawn', 'completed'] as const;
/**
 * scheduled: the window has not begun; open: inside it; ended: the developer ended it early; withdrawn: the
 * developer withdrew; completed: the window ran out. None of them says anything about a release.
 */
export type ReviewState = (typeof REVIEW_STATES)[number];

/** How a review closed, as stored; null while it runs. */
export const REVIEW_OUTCOMES = ['ended', 'withdrawn', 'completed'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/** The state at `now`. A window that ran out counts as completed even before the sweep job records it. */
export function reviewState(review: { outcome: ReviewOutcome | null; windowStart: string; windowEnd: string }, now: Date): ReviewState {
  if (review.outcome !== null) return review.outcome;
  const t = now.toISOString();
  if (t < review.windowStart) return 'scheduled';
  return t < review.windowEnd ? 'open' : 'completed';
}

export function isFinalState(state: ReviewState): boolean {
  return state === 'ended' || state === 'withdrawn' || state === 'completed';
}

export interface Countdown {
  /** What the countdown runs to: the window opening, its closing, or nothing any more. */
  readonly until: 'opens' | 'closes' | 'closed';
  readonly at: string | null;
  readonly remainingMs: number;
  /** `12d 4h 30m`. */
  readonly remaining: string;
}

export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 60_000));
  const d = Math.floor(total / 1440);
  const h = Math.floor((total % 1440) / 60);
  const m = total % 60;
  return [d > 0 ? `${d}d` : '', d > 0 || h > 0 ? `${h}h` : '', `${m}m`].filter(Boolean).join(' ');
}

export function countdown(state: ReviewState, windowStart: string, windowEnd: string, now: Date): Countdown {
  if (state === 'scheduled' || state === 'open') {
    const at = state === 'scheduled' ? windowStart : windowEnd;
    const remainingMs = Math.max(0, Date.parse(at) - now.getTime());
    return { until: state === 'scheduled' ? 'opens' : 'closes', at, remainingMs, remaining: formatDuration(remainingMs) };
  }
  return { until: 'closed', at: null, remainingMs: 0, remaining: formatDuration(0) };
}
