import { describe, expect, it } from 'vitest';
import { seededRandom } from '#test-support/seeded-random.js';
import { HOUR, MINUTE, SECOND } from '../../../platform/clock.js';
import { DEFAULT_RETRY_POLICY, nextRetry, nominalRetryDelayMs, parseRetryAfter, retryTimeline } from './retry-schedule.js';

const start = new Date('2026-06-02T12:00:00Z');

describe('the webhook retry schedule', () => {
  it('backs off exponentially from 10 seconds, capped at 4 hours', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 50].map((n) => nominalRetryDelayMs(n));
    expect(delays).toEqual([10 * SECOND, 60 * SECOND, 6 * MINUTE, 36 * MINUTE, 216 * MINUTE, 4 * HOUR, 4 * HOUR, 4 * HOUR]);
    expect(() => nominalRetryDelayMs(0)).toThrow(/start at 1/);
  });

  it('draws each delay within ±20 % of the nominal one, and the draws differ', () => {
    const random = seededRandom(7);
    const seen = new Set<number>();
    for (let attempt = 1; attempt <= 6; attempt++) {
      for (let i = 0; i < 200; i++) {
        const d = nextRetry({ attempt, firstAttemptAt: start, failedAt: start }, random);
        if (!d.retry) throw new Error('within the window');
        const nominal = nominalRetryDelayMs(attempt);
        expect(d.delayMs).toBeGreaterThanOrEqual(nominal * 0.8 - 1);
        expect(d.delayMs).toBeLessThanOrEqual(nominal * 1.2 + 1);
        seen.add(d.delayMs);
      }
    }
    expect(seen.size).toBeGreaterThan(600);
  });

  it('retries for up to 24 hours after the first attempt, then gives up', () => {
    for (const draw of [0, 0.5, 0.999999]) {
      const times = retryTimeline(start, () => draw);
      const last = times[times.length - 1] as Date;
      expect(last.getTime() - start.getTime()).toBeLessThanOrEqual(24 * HOUR);
      // The next attempt would fall past the window.
      const next = nextRetry({ attempt: times.length, firstAttemptAt: start, failedAt: last }, () => draw);
      expect(next).toEqual({ retry: false, reason: 'retry-window-exhausted' });
      expect(times.length).toBeGreaterThanOrEqual(8);
      expect(times.length).toBeLessThanOrEqual(12);
      for (let i = 1; i < times.length; i++) expect((times[i] as Date) > (times[i - 1] as Date)).toBe(true);
    }
    // Without jitter: 0, 10 s, 70 s, 7 min 10 s, 43 min 10 s, 4 h 19 min 10 s, then every 4 hours.
    const exact = retryTimeline(start, () => 0.5).map((t) => (t.getTime() - start.getTime()) / SECOND);
    expect(exact).toEqual([0, 10, 70, 430, 2590, 15550, 29950, 44350, 58750, 73150]);
  });

  it('honours a longer Retry-After, up to an hour', () => {
    const at = (retryAfterMs: number) => nextRetry({ attempt: 1, firstAttemptAt: start, failedAt: start, retryAfterMs }, () => 0.5);
    expect(at(2 * MINUTE)).toMatchObject({ retry: true, delayMs: 2 * MINUTE });
    expect(at(1 * SECOND)).toMatchObject({ retry: true, delayMs: 10 * SECOND });
    expect(at(5 * HOUR)).toMatchObject({ retry: true, delayMs: DEFAULT_RETRY_POLICY.maxRetryAfterMs });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('120', start)).toBe(120 * SECOND);
    expect(parseRetryAfter('Tue, 02 Jun 2026 12:05:00 GMT', start)).toBe(5 * MINUTE);
    expect(parseRetryAfter('Tue, 02 Jun 2026 11:00:00 GMT', start)).toBe(0);
    for (const bad of [undefined, null, '', 'soon', '-5', '1e3', '12.5']) expect(parseRetryAfter(bad, start)).toBeNull();
  });
});
