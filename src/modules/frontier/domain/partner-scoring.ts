import { HARD_REQUIREMENTS, PARTNER_FACTORS, type HardRequirementKey, type PartnerCriteria, type PartnerFactorKey } from './policy.js';

/**
 * Scores a trusted-partner candidate against the policy's criteria, explaining each requirement and each
 * factor in words, so that both sides can see why a candidate stands where it does.
 */

export const IR_CAPACITY = { none: 0, basic: 1 / 3, dedicated: 2 / 3, continuous: 1 } as const;
/** Stated incident-response capacity: none, a basic process, a dedicated team, a 24×7 team. */
export type IncidentResponseCapacity = keyof typeof IR_CAPACITY;
export const IR_CAPACITY_KEYS = Object.keys(IR_CAPACITY) as IncidentResponseCapacity[];

export interface CandidateFacts {
  readonly orgKind: string;
  readonly sectors: readonly string[];
  /** True when the candidate is the model's own developer. */
  readonly isDeveloper: boolean;
  readonly vettingCompleted: boolean;
  readonly conflictOfInterestDeclared: boolean;
  readonly incidentResponseCapacity: IncidentResponseCapacity | null;
  /** 0–1 from validation's reporter reputation; null while no record exists. */
  readonly disclosureTrackRecord: number | null;
  readonly grantHistory: { readonly total: number; readonly revokedForCause: number };
}

export interface RequirementCheck {
  readonly key: HardRequirementKey;
  readonly met: boolean;
  readonly explanation: string;
}

export interface FactorScore {
  readonly key: PartnerFactorKey;
  readonly weight: number;
  /** 0–1, or null when there is nothing to score it on; such factors are left out of the weighting. */
  readonly value: number | null;
  /** Points (of 100) this factor contributed. */
  readonly points: number;
  readonly explanation: string;
}

export interface PartnerScore {
  readonly policyVersion: number;
  readonly eligible: boolean;
  /** Weighted score from 0 to 100 over the factors that could be scored. */
  readonly score: number;
  readonly minimumScore: number;
  readonly meetsMinimum: boolean;
  readonly requirements: readonly RequirementCheck[];
  readonly factors: readonly FactorScore[];
}

const SECTOR_ORG_KINDS = ['operator', 'vendor'];

function requirement(key: HardRequirementKey, facts: CandidateFacts): RequirementCheck {
  switch (key) {
    case 'critical_infrastructure_sector': {
      const met = SECTOR_ORG_KINDS.includes(facts.orgKind) && facts.sectors.length > 0;
      const explanation = met
        ? `a registered ${facts.orgKind} in ${facts.sectors.join(', ')}`
        : `a ${facts.orgKind} registered in ${facts.sectors.length === 0 ? 'no sector' : facts.sectors.join(', ')}; needs an operator or vendor in a critical-infrastructure sector`;
      return { key, met, explanation };
    }
    case 'vetting_completed':
      return {
        key,
        met: facts.vettingCompleted,
        explanation: facts.vettingCompleted ? 'vetting attested as completed' : 'vetting not attested as completed',
      };
    case 'no_conflict_of_interest': {
      const reasons = [
        facts.isDeveloper ? 'it is the model’s own developer' : '',
        facts.orgKind === 'model_developer' && !facts.isDeveloper ? 'it develops competing models' : '',
        facts.conflictOfInterestDeclared ? 'a conflict of interest was declared' : '',
      ].filter(Boolean);
      return {
        key,
        met: reasons.length === 0,
        explanation: reasons.length === 0 ? 'no conflict of interest found or declared' : reasons.join('; '),
      };
    }
  }
}

function factorValue(
  key: PartnerFactorKey,
  facts: CandidateFacts,
  criteria: PartnerCriteria,
): { value: number | null; explanation: string } {
  switch (key) {
    case 'sector_criticality': {
      if (facts.sectors.length === 0) return { value: null, explanation: 'no sector registered' };
      const rated = facts.sectors.map((s) => ({ s, v: criteria.sectorCriticality[s] ?? 0.5 })).sort((a, b) => b.v - a.v);
      const top = rated[0] ?? { s: '', v: 0.5 };
      return { value: top.v, explanation: `most critical sector ${top.s} rated ${top.v} in the policy's sector table` };
    }
    case 'incident_response_capacity':
      return facts.incidentResponseCapacity === null
        ? { value: null, explanation: 'not stated in the nomination' }
        : { value: IR_CAPACITY[facts.incidentResponseCapacity], explanation: `stated capacity: ${facts.incidentResponseCapacity}` };
    case 'disclosure_track_record':
      return facts.disclosureTrackRecord === null
        ? { value: null, explanation: 'no disclosure record from validation yet' }
        : {
            value: facts.disclosureTrackRecord,
            explanation: `disclosure record ${facts.disclosureTrackRecord.toFixed(2)} from validation`,
          };
    case 'prior_grant_compliance': {
      const { total, revokedForCause } = facts.grantHistory;
      if (total === 0) return { value: null, explanation: 'no earlier access grants' };
      return {
        value: (total - revokedForCause) / total,
        explanation: `${total - revokedForCause} of ${total} earlier grants held without a revocation for cause`,
      };
    }
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The candidate's score under `criteria`. Factors that cannot be scored are left out and the remaining
 * weights renormalized, rather than counted as zero (which would punish newcomers) or as full marks.
 */
export function scoreCandidate(criteria: PartnerCriteria, policyVersion: number, facts: CandidateFacts): PartnerScore {
  const requirements = criteria.hardRequirements.map((key) => requirement(key, facts));
  const raw = criteria.factors.map((f) => ({ ...f, ...factorValue(f.key, facts, criteria) }));
  const weightKnown = raw.filter((f) => f.value !== null).reduce((sum, f) => sum + f.weight, 0);
  const factors: FactorScore[] = raw.map((f) => {
    const points = f.value === null || weightKnown === 0 ? 0 : (100 * f.weight * f.value) / weightKnown;
    return {
      key: f.key,
      weight: f.weight,
      value: f.value === null ? null : Math.round(f.value * 1000) / 1000,
      points: round1(points),
      explanation: f.explanation,
    };
  });
  const score = round1(factors.reduce((sum, f) => sum + f.points, 0));
  return {
    policyVersion,
    eligible: requirements.every((r) => r.met),
    score,
    minimumScore: criteria.minimumScore,
    meetsMinimum: score >= criteria.minimumScore,
    requirements,
    factors,
  };
}

/** One line per requirement and factor, for the CLI and the report. */
export function describeScore(score: PartnerScore): string[] {
  return [
    `score ${score.score} of 100 (minimum ${score.minimumScore}, policy version ${score.policyVersion}); ${score.eligible ? 'meets' : 'does not meet'} the hard requirements`,
    ...score.requirements.map((r) => `  [${r.met ? 'x' : ' '}] ${HARD_REQUIREMENTS[r.key]}: ${r.explanation}`),
    ...score.factors.map(
      (f) =>
        `  ${f.key} (weight ${f.weight}): ${f.value === null ? 'not scored' : `${f.points} points`} — ${f.explanation} (${PARTNER_FACTORS[f.key]})`,
    ),
  ];
}
