import { MINUTE, SECOND } from '../../../platform/clock.js';

/**
 * A per-endpoint circuit breaker: an endpoint that keeps failing is left alone for a cooldown instead of
 * being hammered with every pending delivery, then probed with one delivery; a success closes the circuit,
 * a failure opens it again for twice as long. Deliveries held back by an open circuit are postponed, not
 * failed: they spend none of their attempts, only time from their 24-hour window.
 */
export type BreakerStatus = 'closed' | 'open' | 'half_open';

export interface BreakerState {
  readonly status: BreakerStatus;
  /** Failures in a row since the last success. */
  readonly consecutiveFailures: number;
  /** How many times in a row the circuit opened without a success between: sets the cooldown. */
  readonly trips: number;
  /** ISO instant until which an open circuit holds deliveries back; null unless open. */
  readonly openUntil: string | null;
}

export interface BreakerPolicy {
  /** Failures in a row that open the circuit. */
  readonly failureThreshold: number;
  readonly firstCooldownMs: number;
  readonly maxCooldownMs: number;
}

export const DEFAULT_BREAKER_POLICY: BreakerPolicy = Object.freeze({
  failureThreshold: 5,
  firstCooldownMs: 30 * SECOND,
  maxCooldownMs: 30 * MINUTE,
});

export const CLOSED_BREAKER: BreakerState = Object.freeze({ status: 'closed', consecutiveFailures: 0, trips: 0, openUntil: null });

export type BreakerGate =
  /** `limit`: how many deliveries may be in flight to the endpoint now (one probe when half open). */
  { readonly allowed: true; readonly limit: number; readonly state: BreakerState } | { readonly allowed: false; readonly until: Date };

/** Whether deliveries may go to the endpoint at `now`; an open circuit whose cooldown ended turns half open. */
export function breakerGate(state: BreakerState, now: Date): BreakerGate {
  if (state.status === 'closed') return { allowed: true, limit: Number.POSITIVE_INFINITY, state };
  if (state.status === 'open') {
    const until = new Date(state.openUntil ?? 0);
    if (now < until) return { allowed: false, until };
    return { allowed: true, limit: 1, state: { ...state, status: 'half_open', openUntil: null } };
  }
  return { allowed: true, limit: 1, state };
}

/** The cooldown after the circuit opened for the `trips`-th time in a row. */
export function breakerCooldownMs(trips: number, policy: BreakerPolicy = DEFAULT_BREAKER_POLICY): number {
  let cooldown = policy.firstCooldownMs;
  for (let n = 1; n < trips && cooldown < policy.maxCooldownMs; n++) cooldown *= 2;
  return Math.min(cooldown, policy.maxCooldownMs);
}

/** The state after one attempt's outcome. */
export function recordBreakerOutcome(
  state: BreakerState,
  outcome: 'success' | 'failure',
  now: Date,
  policy: BreakerPolicy = DEFAULT_BREAKER_POLICY,
): BreakerState {
  if (outcome === 'success') return CLOSED_BREAKER;
  const consecutiveFailures = state.consecutiveFailures + 1;
  // A failed probe reopens at once; a closed circuit opens at the threshold.
  if (state.status === 'half_open' || (state.status === 'closed' && consecutiveFailures >= policy.failureThreshold)) {
    const trips = state.trips + 1;
    return {
      status: 'open',
      consecutiveFailures,
      trips,
      openUntil: new Date(now.getTime() + breakerCooldownMs(trips, policy)).toISOString(),
    };
  }
  // Failures of deliveries already in flight when the circuit opened leave it as it is.
  return { ...state, consecutiveFailures };
}
