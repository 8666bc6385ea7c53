import type { Precision } from './beta-precision.js';

/**
 * Intake quotas (issue 4): a reporter whose precision is low and whose volume is high gets a daily quota of
 * API submissions. With the policy below, a quota applies when
 *   decided reports ≥ minDecided, smoothed precision (posterior mean) < lowPrecision, and
 *   reports in the last `windowDays` days ≥ highVolume;
 * the quota is then max(minDaily, ⌊dailyAtFullPrecision × precision⌋) submissions per rolling 24 hours.
 * A coordinator's override replaces the computation: a fixed limit, or none at all (exempt).
 */
export interface QuotaPolicy {
  readonly windowDays: number;
  readonly highVolume: number;
  readonly minDecided: number;
  readonly lowPrecision: number;
  readonly dailyAtFullPrecision: number;
  readonly minDaily: number;
}

/** A coordinator's decision for one reporter: a daily limit, or null for no quota at all. */
export interface QuotaOverride {
  readonly dailyLimit: number | null;
  readonly note: string;
}

export interface QuotaInput {
  readonly precision: Precision;
  /** Reports the organisation sent in the last `windowDays` days. */
  readonly recentReports: number;
  readonly override: QuotaOverride | null;
  readonly policy: QuotaPolicy;
}

export interface QuotaDecision {
  /** Submissions allowed per rolling 24 hours; null when unlimited. */
  readonly dailyLimit: number | null;
  readonly basis: 'override' | 'exempt' | 'computed' | 'none';
  /** Why, with the numbers, in one sentence. */
  readonly explanation: string;
}

const fmt = (x: number): string => x.toFixed(2);

export function decideQuota(input: QuotaInput): QuotaDecision {
  const { precision: p, recentReports, override, policy } = input;
  if (override !== null) {
    return override.dailyLimit === null
      ? { dailyLimit: null, basis: 'exempt', explanation: `a coordinator exempted this reporter from quotas (${override.note})` }
      : {
          dailyLimit: override.dailyLimit,
          basis: 'override',
          explanation: `a coordinator set a quota of ${override.dailyLimit} submissions per 24 hours (${override.note})`,
        };
  }
  const decided = p.valid + p.invalid;
  const record = `smoothed precision ${fmt(p.mean)} (${p.valid} valid, ${p.invalid} invalid, Beta(${p.prior.alpha}, ${p.prior.beta}) prior)`;
  const volume = `${recentReports} reports in the last ${policy.windowDays} days`;
  if (decided < policy.minDecided)
    return {
      dailyLimit: null,
      basis: 'none',
      explanation: `no quota: only ${decided} decided reports (a quota needs ${policy.minDecided})`,
    };
  if (p.mean >= policy.lowPrecision)
    return { dailyLimit: null, basis: 'none', explanation: `no quota: ${record} is not below ${fmt(policy.lowPrecision)}` };
  if (recentReports < policy.highVolume)
    return { dailyLimit: null, basis: 'none', explanation: `no quota: ${volume} is below ${policy.highVolume}` };
  const limit = Math.max(policy.minDaily, Math.floor(policy.dailyAtFullPrecision * p.mean));
  return {
    dailyLimit: limit,
    basis: 'computed',
    explanation:
      `${record} is below ${fmt(policy.lowPrecision)} and ${volume} reach ${policy.highVolume}: ` +
      `daily quota = max(${policy.minDaily}, ⌊${policy.dailyAtFullPrecision} × ${fmt(p.mean)}⌋) = ${limit} submissions per 24 hours`,
  };
}
