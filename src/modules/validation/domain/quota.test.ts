import { describe, expect, it } from 'vitest';
import { smoothedPrecision } from './beta-precision.js';
import { DEFAULT_VALIDATION_POLICY } from './policy.js';
import { decideQuota } from './quota.js';

const policy = DEFAULT_VALIDATION_POLICY.quota;
const prior = DEFAULT_VALIDATION_POLICY.prior;

describe('intake quotas', () => {
  it('limits a low-precision, high-volume reporter to max(5, ⌊100 × precision⌋) per day', () => {
    // 1 valid, 21 invalid → Beta(2, 22): mean 2/24 = 0.0833 → ⌊8.33⌋ = 8.
    const decision = decideQuota({ precision: smoothedPrecision(1, 21, prior), recentReports: 120, override: null, policy });
    expect(decision.dailyLimit).toBe(8);
    expect(decision.basis).toBe('computed');
    expect(decision.explanation).toBe(
      'smoothed precision 0.08 (1 valid, 21 invalid, Beta(1, 1) prior) is below 0.20 and 120 reports in the last 7 days reach 50: daily quota = max(5, ⌊100 × 0.08⌋) = 8 submissions per 24 hours',
    );
    expect(decideQuota({ precision: smoothedPrecision(0, 60, prior), recentReports: 120, override: null, policy }).dailyLimit).toBe(5);
  });

  it('leaves alone reporters with few decisions, good precision or low volume', () => {
    expect(decideQuota({ precision: smoothedPrecision(0, 9, prior), recentReports: 500, override: null, policy })).toMatchObject({
      dailyLimit: null,
      explanation: 'no quota: only 9 decided reports (a quota needs 10)',
    });
    expect(decideQuota({ precision: smoothedPrecision(5, 15, prior), recentReports: 500, override: null, policy }).dailyLimit).toBeNull(); // 6/22 = 0.27
    expect(decideQuota({ precision: smoothedPrecision(0, 30, prior), recentReports: 49, override: null, policy }).explanation).toBe(
      'no quota: 49 reports in the last 7 days is below 50',
    );
  });

  it('lets a coordinator override: a fixed limit, or none', () => {
    const bad = smoothedPrecision(0, 60, prior);
    expect(
      decideQuota({ precision: bad, recentReports: 500, override: { dailyLimit: 40, note: 'trusted partner' }, policy }),
    ).toMatchObject({ dailyLimit: 40, basis: 'override' });
    expect(decideQuota({ precision: bad, recentReports: 500, override: { dailyLimit: null, note: 'pilot' }, policy })).toMatchObject({
      dailyLimit: null,
      basis: 'exempt',
    });
  });
});
