import { ORG_KINDS, type OrgKind } from '../../identity/index.js';
import type { BetaPrior } from './beta-precision.js';
import type { QuorumPolicy } from './independence.js';
import { ObjectReader } from '../../../platform/input/object-reader.js';
import type { QuotaPolicy } from './quota.js';

/**
 * The validation policy: versioned data a coordinator admin changes through the API (DESIGN §5,
 * "Configuration"), never code. Every number the module decides with is here.
 */
export interface ValidationPolicy {
  /** Independent confirmations a cluster needs: 1, or 2 from CVSS base 9.0. */
  readonly quorum: QuorumPolicy;
  /** The Beta prior of reporter precision: Beta(1, 1), uniform — an unknown reporter starts at 0.5. */
  readonly prior: BetaPrior;
  /** Severity assumed for a cluster whose reports state none (0 to 1). */
  readonly unknownSeverity: number;
  readonly quota: QuotaPolicy;
  /** How long a claimed validation job stays with its validator before it returns to the pool. */
  readonly leaseHours: number;
  /** The longest lease a validator may ask for. */
  readonly maxLeaseHours: number;
  /** Organisation kinds whose analysts and admins may validate. */
  readonly validatorKinds: readonly OrgKind[];
}

export const DEFAULT_VALIDATION_POLICY: ValidationPolicy = Object.freeze({
  quorum: Object.freeze({ default: 1, critical: 2, criticalCvss: 9.0 }),
  prior: Object.freeze({ alpha: 1, beta: 1 }),
  unknownSeverity: 0.5,
  quota: Object.freeze({ windowDays: 7, highVolume: 50, minDecided: 10, lowPrecision: 0.2, dailyAtFullPrecision: 100, minDaily: 5 }),
  leaseHours: 24,
  maxLeaseHours: 72,
  validatorKinds: Object.freeze(['coordinator', 'agency', 'model_developer', 'researcher'] as OrgKind[]),
});

/**
 * The policy after applying `input`, a partial policy: given sections replace the current values field by
 * field. Throws InputError naming every bad or unknown field.
 */
export function applyPolicyUpdate(current: ValidationPolicy, input: Record<string, unknown>): ValidationPolicy {
  const r = new ObjectReader(input);
  r.only(['quorum', 'prior', 'unknownSeverity', 'quota', 'leaseHours', 'maxLeaseHours', 'validatorKinds', 'note']);
  const num = (reader: ObjectReader, key: string, fallback: number, min: number, max: number, integer = false) =>
    reader.has(key) ? reader.number(key, min, max, integer) : fallback;

  const q = r.child('quorum');
  q.only(['default', 'critical', 'criticalCvss']);
  const quorum = {
    default: num(q, 'default', current.quorum.default, 1, 10, true),
    critical: num(q, 'critical', current.quorum.critical, 1, 10, true),
    criticalCvss: num(q, 'criticalCvss', current.quorum.criticalCvss, 0, 10),
  };
  const p = r.child('prior');
  p.only(['alpha', 'beta']);
  const prior = { alpha: num(p, 'alpha', current.prior.alpha, 0.01, 1000), beta: num(p, 'beta', current.prior.beta, 0.01, 1000) };
  const k = r.child('quota');
  k.only(['windowDays', 'highVolume', 'minDecided', 'lowPrecision', 'dailyAtFullPrecision', 'minDaily']);
  const quota = {
    windowDays: num(k, 'windowDays', current.quota.windowDays, 1, 90, true),
    highVolume: num(k, 'highVolume', current.quota.highVolume, 1, 1_000_000, true),
    minDecided: num(k, 'minDecided', current.quota.minDecided, 1, 1_000_000, true),
    lowPrecision: num(k, 'lowPrecision', current.quota.lowPrecision, 0, 1),
    dailyAtFullPrecision: num(k, 'dailyAtFullPrecision', current.quota.dailyAtFullPrecision, 1, 1_000_000, true),
    minDaily: num(k, 'minDaily', current.quota.minDaily, 1, 1_000_000, true),
  };
  const leaseHours = num(r, 'leaseHours', current.leaseHours, 1, 720, true);
  const maxLeaseHours = num(r, 'maxLeaseHours', current.maxLeaseHours, 1, 720, true);
  if (leaseHours > maxLeaseHours) r.problem('leaseHours', `must not exceed maxLeaseHours (${maxLeaseHours})`);
  let validatorKinds = current.validatorKinds;
  if (r.has('validatorKinds')) {
    const kinds = r.input.validatorKinds;
    if (
      !Array.isArray(kinds) ||
      kinds.length === 0 ||
      !kinds.every((x) => typeof x === 'string' && (ORG_KINDS as readonly string[]).includes(x))
    ) {
      r.problem('validatorKinds', `must be a non-empty list of ${ORG_KINDS.join(', ')}`);
    } else {
      validatorKinds = [...new Set(kinds as OrgKind[])];
    }
  }
  const unknownSeverity = num(r, 'unknownSeverity', current.unknownSeverity, 0, 1);
  r.optionalText('note', 2000);
  r.finish('the validation policy is not valid');
  return { quorum, prior, unknownSeverity, quota, leaseHours, maxLeaseHours, validatorKinds };
}
