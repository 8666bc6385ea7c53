import type { DecisionPoint } from './decision-table.js';
import { IssueList, rejectInput } from '../../../platform/input/issues.js';
import { OWN_SCHEMA, schemaValidator } from '../../../platform/input/json-schema.js';
import { deepFreeze } from './deep-freeze.js';
import { ASSET_CRITICALITIES, type PrioritizationPolicy } from './prioritization-policy.js';
import {
  AUTOMATABLE,
  CISA_LEVELS,
  MISSION_IMPACT,
  MISSION_PREVALENCE,
  MISSION_WELLBEING,
  PATCH_PRIORITY,
  PUBLIC_WELLBEING,
  SAFETY_IMPACT,
  SYSTEM_EXPOSURE,
  TECHNICAL_IMPACT,
  VALUE_DENSITY,
} from './ssvc-decision-points.js';

const MAX_DAYS = 3650;

const valueOf = (point: DecisionPoint) => ({ enum: point.values.map((v) => v.value) });
const days = { type: 'integer', minimum: 0, maximum: MAX_DAYS };

/** An object with exactly these keys, each matching `schema`. */
function record(keys: readonly string[], schema: object): object {
  return { type: 'object', required: [...keys], additionalProperties: false, properties: Object.fromEntries(keys.map((k) => [k, schema])) };
}

function object(properties: Record<string, object>): object {
  return { type: 'object', required: Object.keys(properties), additionalProperties: false, properties };
}

/** JSON Schema (draft-07) of {@link PrioritizationPolicy}, for the API's request schema and its docs. */
export const PRIORITIZATION_POLICY_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Prioritization policy',
  ...object({
    version: { type: 'string', minLength: 1, maxLength: 64 },
    vendorFixDays: record(
      CISA_LEVELS.values.map((v) => v.value),
      days,
    ),
    // A union type, not anyOf: a validator that coerces types (Fastify's) would turn null into 0 under anyOf.
    deployerDays: record(
      PATCH_PRIORITY.values.map((v) => v.value),
      { ...days, type: ['integer', 'null'] },
    ),
    missionWellbeing: object({
      unknownExposure: valueOf(MISSION_WELLBEING),
      missionPrevalence: record(ASSET_CRITICALITIES, valueOf(MISSION_PREVALENCE)),
      sectorWellbeing: { type: 'object', propertyNames: { pattern: '^[a-z][a-z_]*$' }, additionalProperties: valueOf(PUBLIC_WELLBEING) },
      otherSectorWellbeing: valueOf(PUBLIC_WELLBEING),
      wellbeingCap: record(ASSET_CRITICALITIES, valueOf(PUBLIC_WELLBEING)),
    }),
    deployer: object({
      systemExposure: record(['internetFacing', 'internal'], valueOf(SYSTEM_EXPOSURE)),
      safetyImpact: record(
        PUBLIC_WELLBEING.values.map((v) => v.value),
        valueOf(SAFETY_IMPACT),
      ),
      missionImpact: record(ASSET_CRITICALITIES, valueOf(MISSION_IMPACT)),
    }),
    assessmentDefaults: object({
      automatable: valueOf(AUTOMATABLE),
      technicalImpact: valueOf(TECHNICAL_IMPACT),
      valueDensity: valueOf(VALUE_DENSITY),
      safetyImpact: valueOf(SAFETY_IMPACT),
    }),
  }),
};

const validatePolicy = schemaValidator('draft-07', PRIORITIZATION_POLICY_SCHEMA, OWN_SCHEMA);

/** Deadlines must not shrink as urgency falls: an Act due after a Track is a slip of the keyboard. */
function checkOrder(issues: IssueList, pointer: string, point: DecisionPoint, table: Readonly<Record<string, number | null>>): void {
  const mostUrgentFirst = [...point.values].reverse();
  mostUrgentFirst.forEach((level, i) => {
    const later = mostUrgentFirst[i + 1];
    if (later === undefined) return;
    const here = table[level.value] ?? Number.POSITIVE_INFINITY;
    const next = table[later.value] ?? Number.POSITIVE_INFINITY;
    if (here > next)
      issues.add(`${pointer}/${level.value}`, `must not be later than ${later.value} (${table[later.value] ?? 'no deadline'})`);
  });
}

export interface ParsePolicyOptions {
  /** The sector keys that exist (identity's `SECTOR_KEYS`); default: any lower-case key is accepted. */
  readonly sectors?: readonly string[];
}

/**
 * Checks a policy a coordinator admin submits: its schema ({@link PRIORITIZATION_POLICY_SCHEMA}), deadlines
 * that grow as urgency falls, and known sector keys. Returns a frozen copy.
 *
 * @throws InputError naming each offending field by JSON pointer (`/vendorFixDays/act`).
 */
export function parsePrioritizationPolicy(input: unknown, options: ParsePolicyOptions = {}): PrioritizationPolicy {
  const schemaIssues = validatePolicy(input);
  if (schemaIssues.length > 0) rejectInput('invalid prioritization policy', schemaIssues);
  const policy = structuredClone(input) as PrioritizationPolicy;
  const issues = new IssueList();
  checkOrder(issues, '/vendorFixDays', CISA_LEVELS, policy.vendorFixDays);
  checkOrder(issues, '/deployerDays', PATCH_PRIORITY, policy.deployerDays);
  if (options.sectors !== undefined) {
    for (const sector of Object.keys(policy.missionWellbeing.sectorWellbeing)) {
      if (!options.sectors.includes(sector)) issues.add(`/missionWellbeing/sectorWellbeing/${sector}`, 'is not a known sector');
    }
  }
  issues.throwIfAny('invalid prioritization policy');
  return deepFreeze(policy);
}
