import type { CisaAdpSsvc } from './cisa-adp-ssvc.js';
import type { ExposedAsset } from './exposure.js';
import { rejectInput } from '../../../platform/input/issues.js';
import { OWN_SCHEMA, schemaValidator } from '../../../platform/input/json-schema.js';
import { ASSET_CRITICALITIES } from './prioritization-policy.js';
import { AUTOMATABLE, EXPLOITATION, MISSION_IMPACT, SAFETY_IMPACT, TECHNICAL_IMPACT, VALUE_DENSITY } from './ssvc-decision-points.js';
import type { DecisionPoint } from './decision-table.js';
import type { ValidatorAssessment } from './ssvc-input-sources.js';

/**
 * What the other modules know about a subject (a vulnerability cluster) that bears on its priority, handed
 * to the scoring service explicitly. KEV and EPSS are not in it: the service looks them up by the CVE ids.
 * Each module gives what it owns: a field left out keeps the value given before (validation need not
 * resend the exposure); null, or an empty list, clears it.
 */
export interface PrioritizeInput {
  /** The subject decided about, e.g. the cluster id. */
  readonly subjectId: string;
  /** The organisation the subject belongs to, for the audit trail and events; default none. */
  readonly orgId?: string | null;
  /** The subject's CVE id and its CVE aliases; KEV and EPSS are looked up for each. Default none. */
  readonly cveIds?: readonly string[];
  /** URLs of public exploit code or proofs of concept the reports or advisories reference (→ Exploitation: poc). */
  readonly publicExploitReferences?: readonly string[];
  /** The validator's assessment: Automatable, Technical Impact, Value Density, evidence of active exploitation. */
  readonly validation?: ValidatorAssessment | null;
  /** CISA's SSVC enrichment of the CVE record (`readCisaAdpEnrichment(record).ssvc`), when it has one. */
  readonly cisaAdp?: CisaAdpSsvc | null;
  /** The operators' exposed assets (inventory); an empty list when none matches, null or absent when unknown. */
  readonly exposure?: readonly ExposedAsset[] | null;
  /** Why the decision is being made (`validation`, `exposure`, …), recorded in its history; default `inputs`. */
  readonly reason?: string;
}

/** Most assets one decision weighs; an exposure beyond it is a sign of a matching fault, not of reality. */
export const MAX_EXPOSED_ASSETS = 100_000;
/** Most CVE ids and exploit references per subject. */
export const MAX_SUBJECT_REFERENCES = 200;

const CVE_ID = '^CVE-\\d{4}-\\d{4,}$';
const enumOf = (point: DecisionPoint) => ({ enum: point.values.map((v) => v.value) });
const id = { type: 'string', minLength: 1, maxLength: 128 };
const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });

/** JSON Schema (draft-07) of {@link PrioritizeInput}. */
export const PRIORITIZE_INPUT_SCHEMA = {
  type: 'object',
  required: ['subjectId'],
  additionalProperties: false,
  properties: {
    subjectId: id,
    orgId: nullable(id),
    cveIds: { type: 'array', maxItems: MAX_SUBJECT_REFERENCES, items: { type: 'string', pattern: CVE_ID } },
    publicExploitReferences: { type: 'array', maxItems: MAX_SUBJECT_REFERENCES, items: { type: 'string', minLength: 1, maxLength: 2048 } },
    validation: nullable({
      type: 'object',
      required: ['validator', 'assessedAt'],
      additionalProperties: false,
      properties: {
        validator: id,
        assessedAt: { type: 'string', format: 'date-time' },
        automatable: nullable(enumOf(AUTOMATABLE)),
        technicalImpact: nullable(enumOf(TECHNICAL_IMPACT)),
        valueDensity: nullable(enumOf(VALUE_DENSITY)),
        activeExploitation: { type: 'boolean' },
      },
    }),
    cisaAdp: nullable({
      type: 'object',
      required: ['cveId', 'role', 'version', 'timestamp', 'exploitation', 'automatable', 'technicalImpact', 'pointer'],
      additionalProperties: false,
      properties: {
        cveId: { type: 'string', pattern: CVE_ID },
        role: { type: 'string', maxLength: 200 },
        version: { type: 'string', maxLength: 50 },
        timestamp: { type: 'string', maxLength: 64 },
        exploitation: enumOf(EXPLOITATION),
        automatable: enumOf(AUTOMATABLE),
        technicalImpact: enumOf(TECHNICAL_IMPACT),
        pointer: { type: 'string', maxLength: 512 },
      },
    }),
    exposure: nullable({
      type: 'array',
      maxItems: MAX_EXPOSED_ASSETS,
      items: {
        type: 'object',
        required: ['operatorId', 'assetId', 'sector', 'criticality', 'internetFacing'],
        additionalProperties: false,
        properties: {
          operatorId: id,
          assetId: id,
          sector: nullable({ type: 'string', pattern: '^[a-z][a-z_]*$' }),
          criticality: { enum: [...ASSET_CRITICALITIES] },
          internetFacing: { type: 'boolean' },
          safetyImpact: nullable(enumOf(SAFETY_IMPACT)),
          missionImpact: nullable(enumOf(MISSION_IMPACT)),
        },
      },
    }),
    reason: { type: 'string', minLength: 1, maxLength: 64 },
  },
} as const;

const validate = schemaValidator('draft-07', PRIORITIZE_INPUT_SCHEMA, OWN_SCHEMA);

/**
 * Checks a {@link PrioritizeInput} and returns it with its CVE ids sorted and unique, so that the same
 * aliases given in another order are the same input.
 *
 * @param pointer JSON pointer of the input within a larger one, for the issues; default `''`.
 * @throws InputError naming each offending field by JSON pointer (`/exposure/3/criticality`).
 */
export function parsePrioritizeInput(input: unknown, pointer = ''): PrioritizeInput {
  const issues = validate(input);
  if (issues.length > 0)
    rejectInput(
      'invalid prioritization input',
      issues.map((i) => ({ pointer: `${pointer}${i.pointer}`, detail: i.detail })),
    );
  const parsed = input as PrioritizeInput;
  return parsed.cveIds === undefined ? parsed : { ...parsed, cveIds: [...new Set(parsed.cveIds)].sort() };
}
