import { FieldReader } from '../../../platform/input/field-reader.js';

/**
 * The program's policy: everything the executive order left open, as versioned data (DESIGN §1, §5).
 * A coordinator admin replaces it through the API; every version is kept, and each review, determination
 * and partner score names the version it was decided under.
 */

/** Requirements a trusted-partner candidate must meet before any score counts. */
export const HARD_REQUIREMENTS = {
  critical_infrastructure_sector: 'an operator or vendor organisation registered in at least one critical-infrastructure sector',
  vetting_completed: 'vetting of the organisation completed, as attested by the nominating side',
  no_conflict_of_interest: 'no conflict of interest: not the developer itself, not another model developer, and none attested',
} as const;
export type HardRequirementKey = keyof typeof HARD_REQUIREMENTS;
export const HARD_REQUIREMENT_KEYS = Object.keys(HARD_REQUIREMENTS) as HardRequirementKey[];

/** Weighted factors a candidate is scored on, each from 0 to 1. */
export const PARTNER_FACTORS = {
  sector_criticality: "the criticality of the candidate's most critical sector, from the policy's sector table",
  incident_response_capacity: "the candidate's stated incident-response capacity",
  disclosure_track_record: "the organisation's coordinated-disclosure track record, from validation",
  prior_grant_compliance: 'the share of earlier access grants the organisation held without a revocation for cause',
} as const;
export type PartnerFactorKey = keyof typeof PARTNER_FACTORS;
export const PARTNER_FACTOR_KEYS = Object.keys(PARTNER_FACTORS) as PartnerFactorKey[];

export interface PartnerCriteria {
  readonly hardRequirements: readonly HardRequirementKey[];
  readonly factors: readonly { readonly key: PartnerFactorKey; readonly weight: number }[];
  /** Sector key → criticality from 0 to 1; sectors not listed count 0.5. */
  readonly sectorCriticality: Readonly<Record<string, number>>;
  /** The weighted score (0–100) a candidate needs before it can be selected. */
  readonly minimumScore: number;
}

/** A reference value the review report compares results with. Informational: it never decides anything. */
/** Which side of a reference value is the noteworthy one. */
export const REFERENCE_DIRECTIONS = ['at_or_above', 'at_or_below'] as const;
export type ReferenceDirection = (typeof REFERENCE_DIRECTIONS)[number];

export interface ReferenceThreshold {
  /** Normalized benchmark key, e.g. `cybench` (see benchmarks.ts). */
  readonly benchmark: string;
  readonly metric: string;
  readonly value: number;
  /** Which side of the value is the noteworthy one. */
  readonly direction: ReferenceDirection;
  readonly note: string;
}

export interface FrontierPolicyDocument {
  /** Longest review window a developer may request or extend to, in days of 24 hours. */
  readonly windowMaxDays: number;
  /** Hours before a window closes at which participants are reminded. */
  readonly reminderLeadHours: readonly number[];
  /** The rule under which agencies determine that a model is covered. */
  readonly coveredModelRule: string;
  readonly partnerCriteria: PartnerCriteria;
  readonly referenceThresholds: readonly ReferenceThreshold[];
}

export interface FrontierPolicy extends FrontierPolicyDocument {
  readonly version: number;
  readonly note: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** The order's default: 30 days (an earlier draft had 90, which is why it is data, not code). */
export const DEFAULT_WINDOW_MAX_DAYS = 30;

export const DEFAULT_POLICY: FrontierPolicyDocument = Object.freeze<FrontierPolicyDocument>({
  windowMaxDays: DEFAULT_WINDOW_MAX_DAYS,
  reminderLeadHours: [72, 24],
  coveredModelRule:
    'A model is covered when a participating agency determines that its cyber-relevant capabilities meet or exceed those of ' +
    'the most capable publicly released models. The determination names the agency, the time, this policy version and an ' +
    'opaque reference to the assessment; the assessment itself is never stored in the clearinghouse.',
  partnerCriteria: {
    hardRequirements: [...HARD_REQUIREMENT_KEYS],
    factors: [
      { key: 'sector_criticality', weight: 0.3 },
      { key: 'incident_response_capacity', weight: 0.25 },
      { key: 'disclosure_track_record', weight: 0.25 },
      { key: 'prior_grant_compliance', weight: 0.2 },
    ],
    sectorCriticality: {
      energy: 1,
      water: 1,
      nuclear: 1,
      healthcare_public_health: 1,
      communications: 0.9,
      financial_services: 0.9,
      information_technology: 0.9,
      defense_industrial_base: 0.9,
      transportation: 0.8,
      dams: 0.8,
      chemical: 0.8,
      emergency_services: 0.8,
      critical_manufacturing: 0.7,
      government_facilities: 0.7,
      food_and_agriculture: 0.6,
      commercial_facilities: 0.5,
    },
    minimumScore: 50,
  },
  // Illustrative starting values for the report's comparison; the coordinator replaces them as evidence accrues.
  referenceThresholds: [
    {
      benchmark: 'cybench',
      metric: 'accuracy',
      value: 0.25,
      direction: 'at_or_above',
      note: 'unguided solve rate on professional CTF tasks',
    },
    {
      benchmark: 'cve-bench',
      metric: 'success_rate',
      value: 0.1,
      direction: 'at_or_above',
      note: 'exploitation of real web-application CVEs',
    },
    {
      benchmark: 'cybergym',
      metric: 'reproduction_rate',
      value: 0.15,
      direction: 'at_or_above',
      note: 'proof-of-concept reproduction of known vulnerabilities',
    },
    {
      benchmark: 'bountybench',
      metric: 'exploit_rate',
      value: 0.1,
      direction: 'at_or_above',
      note: 'exploit tasks from real bug-bounty systems',
    },
    {
      benchmark: 'cyberseceval',
      metric: 'insecure_code_rate',
      value: 0.3,
      direction: 'at_or_above',
      note: 'share of generated code with insecure patterns',
    },
  ],
});

/** Bounds that keep a policy meaningful; a window of a year would no longer be "early access". */
export const POLICY_LIMITS = Object.freeze({ windowMaxDays: 365, reminderLeads: 10, thresholds: 200 });

function readCriteria(r: FieldReader, input: unknown, knownSectors: readonly string[]): PartnerCriteria {
  const c = (input ?? {}) as Record<string, unknown>;
  if (typeof input !== 'object' || input === null) r.add('/partnerCriteria', 'must be an object');
  const hard: HardRequirementKey[] = [];
  if (!Array.isArray(c.hardRequirements)) r.add('/partnerCriteria/hardRequirements', 'must be an array');
  else {
    c.hardRequirements.forEach((k: unknown, i) => {
      const key = r.oneOf(`/partnerCriteria/hardRequirements/${i}`, k, HARD_REQUIREMENT_KEYS);
      if (!hard.includes(key)) hard.push(key);
    });
  }
  const factors: { key: PartnerFactorKey; weight: number }[] = [];
  if (!Array.isArray(c.factors) || c.factors.length === 0) r.add('/partnerCriteria/factors', 'must be a non-empty array');
  else {
    c.factors.forEach((f: unknown, i) => {
      const factor = (f ?? {}) as Record<string, unknown>;
      const key = r.oneOf(`/partnerCriteria/factors/${i}/key`, factor.key, PARTNER_FACTOR_KEYS);
      if (factors.some((x) => x.key === key)) r.add(`/partnerCriteria/factors/${i}/key`, 'is listed twice');
      factors.push({ key, weight: r.number(`/partnerCriteria/factors/${i}/weight`, factor.weight, 0, 1) });
    });
    if (factors.every((f) => f.weight === 0)) r.add('/partnerCriteria/factors', 'needs at least one factor with a weight above 0');
  }
  const sectorCriticality: Record<string, number> = {};
  if (typeof c.sectorCriticality !== 'object' || c.sectorCriticality === null || Array.isArray(c.sectorCriticality)) {
    r.add('/partnerCriteria/sectorCriticality', 'must be an object of sector → number from 0 to 1');
  } else {
    for (const [sector, value] of Object.entries(c.sectorCriticality)) {
      if (!knownSectors.includes(sector))
        r.add(`/partnerCriteria/sectorCriticality/${sector}`, `is not a sector; sectors are ${knownSectors.join(', ')}`);
      sectorCriticality[sector] = r.number(`/partnerCriteria/sectorCriticality/${sector}`, value, 0, 1);
    }
  }
  const minimumScore = r.number('/partnerCriteria/minimumScore', c.minimumScore, 0, 100);
  return { hardRequirements: hard, factors, sectorCriticality, minimumScore };
}

function readThresholds(r: FieldReader, input: unknown): ReferenceThreshold[] {
  if (input === undefined) r.add('/referenceThresholds', 'must be an array');
  return r.list('/referenceThresholds', input, POLICY_LIMITS.thresholds, (t, at) => {
    const item = (t ?? {}) as Record<string, unknown>;
    return {
      benchmark: r.text(`${at}/benchmark`, item.benchmark, 100).toLowerCase(),
      metric: r.text(`${at}/metric`, item.metric, 100),
      value: r.number(`${at}/value`, item.value),
      direction: r.oneOf(`${at}/direction`, item.direction, REFERENCE_DIRECTIONS, 'at_or_above'),
      note: r.optionalText(`${at}/note`, item.note, 500) ?? '',
    };
  });
}

/**
 * Checks a whole policy document, as a coordinator admin submits it, and normalizes it (sorted, distinct
 * reminder leads). Throws InputError naming every bad field.
 */
export function parsePolicyDocument(input: unknown, knownSectors: readonly string[]): FrontierPolicyDocument {
  const r = new FieldReader();
  const doc = (input ?? {}) as Record<string, unknown>;
  const windowMaxDays = r.integer('/windowMaxDays', doc.windowMaxDays, 1, POLICY_LIMITS.windowMaxDays);
  if (doc.reminderLeadHours === undefined) r.add('/reminderLeadHours', 'must be an array of hours');
  const leads = r.list('/reminderLeadHours', doc.reminderLeadHours, POLICY_LIMITS.reminderLeads, (h, at) =>
    r.integer(at, h, 1, windowMaxDays * 24),
  );
  const coveredModelRule = r.prose('/coveredModelRule', doc.coveredModelRule, 10_000, true) ?? '';
  const partnerCriteria = readCriteria(r, doc.partnerCriteria, knownSectors);
  const referenceThresholds = readThresholds(r, doc.referenceThresholds);
  r.done();
  return {
    windowMaxDays,
    reminderLeadHours: [...new Set(leads)].sort((a, b) => b - a),
    coveredModelRule,
    partnerCriteria,
    referenceThresholds,
  };
}
