import { HOUR, SECOND } from '../../../platform/clock.js';

/**
 * When a failed webhook delivery is tried again: exponential backoff with jitter, for up to a day after
 * the first attempt, then dead-lettered (the spec recommends a schedule "spanning multiple days, with an
 * exponential backoff … and some level of random jitter"; the issue bounds it at 24 hours).
 */
export interface RetryPolicy {
  /** Delay after the first failed attempt, before jitter. */
  readonly firstDelayMs: number;
  /** Each further delay is the previous one times this. */
  readonly factor: number;
  /** No single delay is longer than this, before jitter. */
  readonly maxDelayMs: number;
  /** Relative spread of the jitter: 0.2 draws each delay from ±20 % of the nominal one. */
  readonly jitter: number;
  /** No attempt is scheduled later than this after the first one; the delivery is then dead-lettered. */
  readonly giveUpAfterMs: number;
  /** A receiver's `Retry-After` is honoured up to this long. */
  readonly maxRetryAfterMs: number;
}

/** 10 s, 1 min, 6 min, 36 min, 3.6 h, then every 4 h (±20 %), for 24 hours: about 10 attempts in all. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  firstDelayMs: 10 * SECOND,
  factor: 6,
  maxDelayMs: 4 * HOUR,
  jitter: 0.2,
  giveUpAfterMs: 24 * HOUR,
  maxRetryAfterMs: 1 * HOUR,
});

/** The nominal delay (no jitter) after failed attempt number `attempt` (1 for the first attempt). */
export function nominalRetryDelayMs(attempt: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt numbers start at 1, not ${attempt}`);
  // Computed by repeated multiplication with a cap, so that a large attempt number never overflows.
  let delay = policy.firstDelayMs;
  for (let n = 1; n < attempt && delay < policy.maxDelayMs; n++) delay *= policy.factor;
  return Math.min(delay, policy.maxDelayMs);
}

export type RetryDecision =
  | { readonly retry: true; readonly at: Date; readonly delayMs: number }
  | { readonly retry: false; readonly reason: 'retry-window-exhausted' };

export interface FailedAttempt {
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** When the first attempt was made: the retry window runs from here. */
  readonly firstAttemptAt: Date;
  readonly failedAt: Date;
  /** The receiver's `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs?: number | null;
}

/**
 * When to try again after a failed attempt, or that the window is exhausted (dead-letter). `random` draws
 * the jitter (inject a seeded one in tests). A `Retry-After` longer than the backoff postpones the attempt,
 * up to `maxRetryAfterMs`.
 */
export function nextRetry(failure: FailedAttempt, random: () => number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): RetryDecision {
  const nominal = nominalRetryDelayMs(failure.attempt, policy);
  let delayMs = Math.round(nominal * (1 + policy.jitter * (2 * random() - 1)));
  const retryAfter = Math.min(Math.max(failure.retryAfterMs ?? 0, 0), policy.maxRetryAfterMs);
  delayMs = Math.max(delayMs, retryAfter, 0);
  const at = new Date(failure.failedAt.getTime() + delayMs);
  if (at.getTime() - failure.firstAttemptAt.getTime() > policy.giveUpAfterMs) return { retry: false, reason: 'retry-window-exhausted' };
  return { retry: true, at, delayMs };
}

/**
 * Reads an HTTP `Retry-After` value — delay seconds or an HTTP date — as milliseconds from `now`; null when
 * absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined | null, now: Date): number | null {
  if (value === undefined || value === null) return null;
  const trimmed = value.trim();
  if (/^\d{1,9}$/.test(trimmed)) return Number(trimmed) * SECOND;
  if (!/[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT/.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

/** The delivery's whole schedule under a fixed jitter draw: what an endpoint that never answers will see. */
export function retryTimeline(firstAttemptAt: Date, random: () => number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): Date[] {
  const times = [firstAttemptAt];
  for (let attempt = 1; attempt < 1000; attempt++) {
    const decision = nextRetry({ attempt, firstAttemptAt, failedAt: times[times.length - 1] as Date }, random, policy);
    if (!decision.retry) return times;
    times.push(decision.at);
  }
  return times;
}
