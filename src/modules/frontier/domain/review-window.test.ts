import { describe, expect, it } from 'vitest';
import { DAY, MINUTE } from '../../../platform/clock.js';
import { InputError } from '../../../platform/errors.js';
import { seededRandom } from '#test-support/seeded-random.js';
import { countdown, extendWindow, formatInZone, planWindow, reviewState } from './review-window.js';

const random = seededRandom;

const ZONES = [
  'UTC',
  'America/New_York',
  'America/Los_Angeles',
  'Europe/London',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/St_Johns',
  'Asia/Kathmandu',
  'Pacific/Kiritimati',
  'Pacific/Pago_Pago',
];
const ALL_ZONES = Intl.supportedValuesOf('timeZone');

function refusal(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('review windows (property test)', () => {
  const now = new Date('2026-06-02T12:00:00.000Z');

  it('never exceeds the maximum, across random starts, lengths, zones and policies; over the maximum is refused, never shortened', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const next = random(seed);
      const policy = { version: 1 + Math.floor(next() * 9), windowMaxDays: [7, 30, 90][Math.floor(next() * 3)] ?? 30 };
      const zone =
        next() < 0.5 ? (ZONES[Math.floor(next() * ZONES.length)] ?? 'UTC') : (ALL_ZONES[Math.floor(next() * ALL_ZONES.length)] ?? 'UTC');
      // Starts from a few minutes to a year ahead, at any second, written in the zone's own local time.
      const start = new Date(now.getTime() + 5 * MINUTE + Math.floor((next() * 360 * DAY) / 1000) * 1000);
      const accessStart = formatInZone(start, zone);
      const days = 1 + Math.floor(next() * 120);
      const context = `seed ${seed}: ${accessStart} ${zone} ${days}d max ${policy.windowMaxDays}`;
      if (days <= policy.windowMaxDays) {
        const plan = planWindow({ accessStart, days, timeZone: zone }, policy, now);
        expect(plan.windowStart.getTime(), context).toBe(start.getTime());
        expect(plan.windowEnd.getTime() - plan.windowStart.getTime(), context).toBe(days * DAY);
        expect(plan.windowEnd.getTime() - plan.windowStart.getTime(), context).toBeLessThanOrEqual(policy.windowMaxDays * DAY);
        expect(new Date(formatInZone(plan.windowEnd, zone)).getTime(), context).toBe(plan.windowEnd.getTime());
        // Extending never goes past the maximum either: it is granted in full or refused.
        const extra = 1 + Math.floor(next() * 40);
        if (days + extra <= policy.windowMaxDays) {
          expect(extendWindow({ windowStart: plan.windowStart, days }, extra, policy).windowEnd.getTime() - start.getTime(), context).toBe(
            (days + extra) * DAY,
          );
        } else {
          expect(refusal(() => extendWindow({ windowStart: plan.windowStart, days }, extra, policy)).code, context).toBe('unprocessable');
        }
      } else {
        const error = refusal(() => planWindow({ accessStart, days, timeZone: zone }, policy, now));
        expect(error.code, context).toBe('unprocessable');
        expect(error.message, context).toContain(`at most ${policy.windowMaxDays} days`);
        expect(error.message, context).toContain(`policy version ${policy.version}`);
      }
    }
  });

  it('keeps a window 24-hour days long across a daylight-saving change, moving only the local clock time', () => {
    const plan = planWindow(
      { accessStart: '2026-10-20T09:00:00-04:00', days: 30, timeZone: 'America/New_York' },
      { version: 1, windowMaxDays: 30 },
      now,
    );
    expect(plan.windowEnd.toISOString()).toBe('2026-11-19T13:00:00.000Z');
    expect(formatInZone(plan.windowEnd, 'America/New_York')).toBe('2026-11-19T08:00:00-05:00');
  });

  it('names each bad field', () => {
    const error = refusal(() =>
      planWindow({ accessStart: '2026-06-10 09:00', days: 0, timeZone: 'Mars/Olympus' }, { version: 1, windowMaxDays: 30 }, now),
    );
    expect(error.code).toBe('invalid-input');
    expect(error.issues.map((i) => i.pointer)).toEqual(['/accessStart', '/days', '/timeZone']);
    expect(
      refusal(() => planWindow({ accessStart: '2026-06-01T00:00:00Z', days: 3 }, { version: 1, windowMaxDays: 30 }, now)).issues[0]?.detail,
    ).toBe('must not be in the past');
  });

  it('derives the state and the countdown from the clock', () => {
    const review = { outcome: null, windowStart: '2026-06-03T00:00:00.000Z', windowEnd: '2026-06-05T00:00:00.000Z' };
    expect(reviewState(review, now)).toBe('scheduled');
    expect(countdown('scheduled', review.windowStart, review.windowEnd, now)).toMatchObject({ until: 'opens', remaining: '12h 0m' });
    const inside = new Date('2026-06-04T00:00:00.000Z');
    expect(reviewState(review, inside)).toBe('open');
    expect(countdown('open', review.windowStart, review.windowEnd, inside)).toMatchObject({
      until: 'closes',
      remainingMs: DAY,
      remaining: '1d 0h 0m',
    });
    expect(reviewState(review, new Date('2026-06-05T00:00:00.000Z'))).toBe('completed');
    expect(reviewState({ ...review, outcome: 'ended' }, inside)).toBe('ended');
    expect(countdown('ended', review.windowStart, review.windowEnd, inside)).toMatchObject({ until: 'closed', remainingMs: 0 });
    expect(countdown('open', review.windowStart, review.windowEnd, new Date(Date.parse(review.windowEnd) - 90 * MINUTE)).remaining).toBe(
      '1h 30m',
    );
  });
});
