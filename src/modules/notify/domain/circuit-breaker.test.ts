import { describe, expect, it } from 'vitest';
import { MINUTE, SECOND } from '../../../platform/clock.js';
import { breakerCooldownMs, breakerGate, CLOSED_BREAKER, recordBreakerOutcome, type BreakerState } from './circuit-breaker.js';

const t0 = new Date('2026-06-02T12:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

function fail(state: BreakerState, times: number, now: Date): BreakerState {
  let s = state;
  for (let i = 0; i < times; i++) s = recordBreakerOutcome(s, 'failure', now);
  return s;
}

describe('the per-endpoint circuit breaker', () => {
  it('stays closed through four failures in a row and opens on the fifth for 30 seconds', () => {
    const four = fail(CLOSED_BREAKER, 4, t0);
    expect(four).toMatchObject({ status: 'closed', consecutiveFailures: 4 });
    expect(breakerGate(four, t0)).toMatchObject({ allowed: true, limit: Number.POSITIVE_INFINITY });
    const open = recordBreakerOutcome(four, 'failure', t0);
    expect(open).toEqual({ status: 'open', consecutiveFailures: 5, trips: 1, openUntil: at(30 * SECOND).toISOString() });
    expect(breakerGate(open, at(29 * SECOND))).toEqual({ allowed: false, until: at(30 * SECOND) });
  });

  it('a success resets the count', () => {
    const s = recordBreakerOutcome(fail(CLOSED_BREAKER, 4, t0), 'success', t0);
    expect(fail(s, 4, t0).status).toBe('closed');
  });

  it('lets one probe through after the cooldown; its success closes the circuit', () => {
    const open = fail(CLOSED_BREAKER, 5, t0);
    const gate = breakerGate(open, at(30 * SECOND));
    expect(gate).toMatchObject({ allowed: true, limit: 1, state: { status: 'half_open' } });
    if (!gate.allowed) throw new Error('unreachable');
    expect(recordBreakerOutcome(gate.state, 'success', at(31 * SECOND))).toEqual(CLOSED_BREAKER);
  });

  it('a failed probe reopens at once, for twice as long each time, up to 30 minutes', () => {
    let state = fail(CLOSED_BREAKER, 5, t0);
    let now = t0;
    const cooldowns: number[] = [];
    for (let trip = 2; trip <= 9; trip++) {
      now = new Date(state.openUntil as string);
      const gate = breakerGate(state, now);
      if (!gate.allowed) throw new Error('cooldown is over');
      state = recordBreakerOutcome(gate.state, 'failure', now);
      expect(state.status).toBe('open');
      cooldowns.push(new Date(state.openUntil as string).getTime() - now.getTime());
    }
    expect(cooldowns).toEqual([1, 2, 4, 8, 16, 30, 30, 30].map((m) => m * MINUTE));
    expect(breakerCooldownMs(1)).toBe(30 * SECOND);
  });

  it('failures of deliveries still in flight do not extend an open circuit', () => {
    const open = fail(CLOSED_BREAKER, 5, t0);
    expect(recordBreakerOutcome(open, 'failure', at(10 * SECOND)).openUntil).toBe(open.openUntil);
  });
});
