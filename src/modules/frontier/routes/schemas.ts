import { type Static, Type } from '@sinclair/typebox';
import { Nullable, InstantSchema, ReadonlyList, StringEnum, type SchemaAgrees } from '../../../platform/http/index.js';
import { EVALUATION_KINDS } from '../domain/benchmarks.js';
import { ACCESS_KINDS, GRANT_SCOPE_KEYS, GRANT_STATUSES, GRANT_TERM_KEYS, REVOCATION_REASONS } from '../domain/grant-rules.js';
import { RISK_STATUSES, SEVERITIES, VULNERABILITY_TLPS } from '../domain/inputs.js';
import { IR_CAPACITY_KEYS } from '../domain/partner-scoring.js';
import {
  HARD_REQUIREMENT_KEYS,
  PARTNER_FACTOR_KEYS,
  REFERENCE_DIRECTIONS,
  type FrontierPolicy,
  type PartnerCriteria,
  type ReferenceThreshold,
} from '../domain/policy.js';
import { REFERENCE_RELATIONS } from '../domain/reference-comparison.js';
import type { ProgramMetrics } from '../domain/program-metrics.js';
import { RECOMMENDATION_SOURCES, type ReviewReport } from '../domain/review-report.js';
import { REVIEW_STATES } from '../domain/review-window.js';
import { NOMINATION_STATUSES } from '../domain/sign-off.js';
import { AGREEMENT_STATUSES, VERSION_STATUSES, type AgreementTerms } from '../domain/testing-agreement.js';

/** Request and response schemas of the frontier API; responses list every field the presenters give. */

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Text = (maxLength: number, description?: string) => Type.String({ maxLength, ...(description === undefined ? {} : { description }) });
const Instant = (description: string) => Type.String({ maxLength: 40, description: `${description}; ISO 8601 with Z or an offset` });

export const ReviewIdParams = Type.Object({ id: Id });
export const MaterialParams = Type.Object({ id: Id, materialId: Id });

const DeterminationSchema = Type.Object({
  id: Type.String(),
  modelId: Type.String(),
  covered: Type.Boolean(),
  determinedByOrgId: Type.String(),
  determinedAt: InstantSchema,
  policyVersion: Type.Integer(),
  assessmentRef: Type.String({ description: 'opaque reference; the assessment itself is never stored here' }),
  recordedBy: Type.String(),
  createdAt: InstantSchema,
});
export { DeterminationSchema };

const ContactSchema = Type.Object({ name: Type.String(), email: Type.String(), role: Nullable(Type.String()) });

export const ModelSchema = Type.Object({
  id: Type.String(),
  developerOrgId: Type.String(),
  name: Type.String(),
  version: Type.String(),
  modality: Type.String(),
  plannedRelease: Type.String({ description: "the developer's planned release, informational; only the developer changes it" }),
  computeEstimateFlop: Nullable(Type.Number()),
  description: Nullable(Type.String()),
  contacts: Type.Array(ContactSchema),
  coveredStatus: StringEnum(['covered', 'not_covered', 'undetermined'] as const),
  latestDetermination: Nullable(DeterminationSchema),
  tlp: Type.String(),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});

const modelFields = {
  modality: Type.Optional(Text(100, 'e.g. "text", "text and code, agentic tool use"')),
  computeEstimateFlop: Type.Optional(Nullable(Type.Number({ minimum: 0, description: 'training compute estimate, FLOP' }))),
  description: Type.Optional(Nullable(Text(20_000))),
  contacts: Type.Optional(
    Type.Array(
      Type.Object({ name: Text(200), email: Text(254), role: Type.Optional(Nullable(Text(100))) }, { additionalProperties: false }),
      { maxItems: 20 },
    ),
  ),
};

export const NewModelBody = Type.Object(
  {
    name: Text(200),
    version: Text(100),
    plannedRelease: Text(40, 'planned release date (2026-09-01) or instant; informational only'),
    ...modelFields,
  },
  { additionalProperties: false },
);

export const ModelUpdateBody = Type.Object({ plannedRelease: Type.Optional(Text(40)), ...modelFields }, { additionalProperties: false });

export const DeterminationBody = Type.Object(
  {
    covered: Type.Boolean(),
    determinedByOrgId: Type.Optional(Text(64, 'the determining agency; defaults to the calling agency')),
    determinedAt: Type.Optional(Instant('when it was determined; default now')),
    assessmentRef: Text(500, 'an opaque reference to the assessment, which may be classified and is never uploaded'),
  },
  { additionalProperties: false },
);

const CountdownSchema = Type.Object({
  until: StringEnum(['opens', 'closes', 'closed'] as const),
  at: Nullable(InstantSchema),
  remainingMs: Type.Number(),
  remaining: Type.String({ description: 'e.g. 12d 4h 30m' }),
});

export const ReviewSchema = Type.Object({
  id: Type.String(),
  modelId: Type.String(),
  developerOrgId: Type.String(),
  state: StringEnum(REVIEW_STATES),
  windowStart: InstantSchema,
  windowEnd: InstantSchema,
  days: Type.Integer(),
  timeZone: Type.String(),
  windowStartLocal: Type.String({ description: 'windowStart as local time in timeZone, with its offset' }),
  windowEndLocal: Type.String({ description: 'windowEnd as local time in timeZone, with its offset' }),
  policyVersion: Type.Integer(),
  agreement: Nullable(
    Type.Object(
      { id: Type.String(), version: Type.Integer() },
      { description: 'the voluntary testing agreement version in force when the review opened, if one covered the model' },
    ),
  ),
  countdown: CountdownSchema,
  closedAt: Nullable(InstantSchema),
  closedBy: Nullable(Type.String()),
  closeReason: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});

export const NewReviewBody = Type.Object(
  {
    modelId: Id,
    accessStart: Instant('when access begins'),
    days: Type.Optional(
      Type.Integer({
        minimum: 1,
        description:
          "window length in days of 24 hours, at most the policy maximum (30 by default) and the agreement's; required unless a voluntary testing agreement covering the model sets a default",
      }),
    ),
    timeZone: Type.Optional(Text(64, 'IANA time zone the window is shown in; default UTC')),
  },
  { additionalProperties: false },
);

export const ExtendBody = Type.Object({ additionalDays: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });
export const ReasonBody = Type.Object({ reason: Type.Optional(Text(2000)) }, { additionalProperties: false });

export const TimelineEntrySchema = Type.Object({
  at: InstantSchema,
  kind: Type.String(),
  actor: Type.String({ description: 'user id, or system:<name> for the program’s own jobs' }),
  actorOrgId: Nullable(Type.String()),
  detail: Type.Unknown(),
});

export const GrantSchema = Type.Object({
  id: Type.String(),
  reviewId: Type.String(),
  modelId: Type.String(),
  developerOrgId: Type.String(),
  granteeOrgId: Type.String(),
  nominationId: Nullable(Type.String()),
  scope: StringEnum(GRANT_SCOPE_KEYS),
  terms: Type.Array(Type.Object({ key: StringEnum(GRANT_TERM_KEYS), text: Type.String() })),
  credentialRef: Nullable(Type.String({ description: "where the developer's own system issues credentials" })),
  startsAt: InstantSchema,
  expiresAt: InstantSchema,
  status: StringEnum(GRANT_STATUSES),
  usable: Type.Boolean({ description: 'true while the grantee may use it: acknowledged, begun and not ended' }),
  acknowledgedAt: Nullable(InstantSchema),
  acknowledgedBy: Nullable(Type.String()),
  endedAt: Nullable(InstantSchema),
  endReason: Nullable(Type.String()),
  revocationReason: Nullable(Type.String()),
  createdAt: InstantSchema,
});

export const NewGrantBody = Type.Object(
  {
    granteeOrgId: Id,
    scope: StringEnum(GRANT_SCOPE_KEYS),
    expiresAt: Instant("when access ends; at or before the window's end"),
    startsAt: Type.Optional(Instant('when access begins; default the window start or now')),
    credentialRef: Type.Optional(Text(2000, "reference to where the developer's system issues credentials; never a credential")),
  },
  { additionalProperties: false },
);

export const AcknowledgeBody = Type.Object(
  { terms: Type.Array(StringEnum(GRANT_TERM_KEYS), { maxItems: 20 }) },
  { additionalProperties: false },
);
export const RevokeBody = Type.Object({ reason: Type.Optional(StringEnum(REVOCATION_REASONS)) }, { additionalProperties: false });
export const UseBody = Type.Object({ description: Text(5000, 'what the access was used for') }, { additionalProperties: false });

export const AccessLogSchema = Type.Object({
  id: Type.String(),
  reviewId: Type.String(),
  grantId: Nullable(Type.String()),
  materialId: Nullable(Type.String()),
  kind: StringEnum(ACCESS_KINDS),
  orgId: Nullable(Type.String()),
  actor: Type.String(),
  usedAt: InstantSchema,
  description: Nullable(Type.String()),
  createdAt: InstantSchema,
});

export const MaterialSchema = Type.Object({
  id: Type.String(),
  reviewId: Type.String(),
  name: Type.String(),
  mediaType: Type.String(),
  sha256: Type.String(),
  size: Type.Integer(),
  createdAt: InstantSchema,
});

const MeasurementSchema = Type.Object({
  benchmark: Type.String(),
  metric: Type.String(),
  value: Nullable(Type.Number()),
  scorer: Nullable(Type.String()),
});

export const EvaluationSchema = Type.Object({
  id: Type.String(),
  reviewId: Type.String(),
  modelId: Type.String(),
  authorOrgId: Type.String(),
  kind: StringEnum(EVALUATION_KINDS),
  title: Type.String(),
  filename: Nullable(Type.String()),
  sha256: Nullable(Type.String({ description: 'SHA-256 of the stored log, for Inspect imports' })),
  summary: Type.Unknown(),
  measurements: Type.Array(MeasurementSchema),
  createdAt: InstantSchema,
});

export const BenchmarkBody = Type.Object(
  {
    title: Type.Optional(Text(300)),
    results: Type.Array(
      Type.Object(
        {
          benchmark: Text(200, 'Cybench, CyberSecEval, CVE-Bench, CyberGym, BountyBench, or any other'),
          metric: Text(200),
          value: Type.Number(),
          samples: Type.Optional(Type.Integer({ minimum: 0 })),
          notes: Type.Optional(Text(2000)),
        },
        { additionalProperties: false },
      ),
      { minItems: 1 },
    ),
  },
  { additionalProperties: false },
);

export const RiskFindingSchema = Type.Object({
  id: Type.String(),
  reviewId: Type.String(),
  modelId: Type.String(),
  authorOrgId: Type.String(),
  evaluationId: Nullable(Type.String()),
  title: Type.String(),
  severity: StringEnum(SEVERITIES),
  description: Type.String(),
  recommendation: Nullable(Type.String()),
  status: StringEnum(RISK_STATUSES),
  statusNote: Nullable(Type.String()),
  statusBy: Nullable(Type.String()),
  statusAt: Nullable(InstantSchema),
  createdAt: InstantSchema,
});

export const RiskFindingBody = Type.Object(
  {
    title: Text(300),
    severity: StringEnum(SEVERITIES),
    description: Text(50_000),
    recommendation: Type.Optional(Text(10_000)),
    evaluationId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export const RiskStatusBody = Type.Object(
  { status: StringEnum(RISK_STATUSES), note: Type.Optional(Text(10_000)) },
  { additionalProperties: false },
);

export const VulnerabilitySchema = Type.Object({
  id: Type.String(),
  reviewId: Type.String(),
  modelId: Type.String(),
  reportingOrgId: Type.String(),
  tlp: Type.String(),
  title: Type.String(),
  description: Type.String(),
  target: Type.Unknown(),
  cwe: Type.Array(Type.String()),
  severity: Nullable(Type.String()),
  cvssVector: Nullable(Type.String()),
  evidence: Type.Array(Type.Object({ sha256: Type.String(), name: Type.String(), mediaType: Type.String(), size: Type.Integer() })),
  provenance: Type.Unknown(),
  status: Type.String({ description: 'reported: handed to intake, which runs the normal validation path' }),
  createdAt: InstantSchema,
});

export const VulnerabilityBody = Type.Object(
  {
    title: Text(500),
    description: Text(65_536),
    target: Type.Optional(Type.Unknown({ description: '{purl}, {repository: {url, commit}} or {cpe}' })),
    cwe: Type.Optional(Type.Array(Text(20), { maxItems: 20 })),
    severity: Type.Optional(StringEnum(SEVERITIES)),
    cvssVector: Type.Optional(Text(400)),
    evidence: Type.Optional(
      Type.Array(
        Type.Object(
          { name: Text(255), mediaType: Type.Optional(Text(255)), contentBase64: Type.String({ maxLength: 1_500_000 }) },
          { additionalProperties: false },
        ),
        { maxItems: 20 },
      ),
    ),
    tlp: Type.Optional(StringEnum(VULNERABILITY_TLPS, { default: 'RED' })),
    recipientUserIds: Type.Optional(
      Type.Array(Id, { maxItems: 50, description: 'people named to read it (TLP:RED reaches named people only)' }),
    ),
  },
  { additionalProperties: false },
);

const ScoreSchema = Type.Object({
  policyVersion: Type.Integer(),
  eligible: Type.Boolean(),
  score: Type.Number(),
  minimumScore: Type.Number(),
  meetsMinimum: Type.Boolean(),
  requirements: ReadonlyList(Type.Object({ key: StringEnum(HARD_REQUIREMENT_KEYS), met: Type.Boolean(), explanation: Type.String() })),
  factors: ReadonlyList(
    Type.Object({
      key: StringEnum(PARTNER_FACTOR_KEYS),
      weight: Type.Number(),
      value: Nullable(Type.Number()),
      points: Type.Number(),
      explanation: Type.String(),
    }),
  ),
});

export const NominationSchema = Type.Object({
  id: Type.String(),
  modelId: Type.String(),
  candidateOrgId: Type.String(),
  nominatedByOrgId: Nullable(Type.String()),
  nominatingSide: Type.String(),
  rationale: Type.String(),
  scope: StringEnum(GRANT_SCOPE_KEYS),
  facts: Type.Unknown(),
  status: StringEnum(NOMINATION_STATUSES),
  score: Nullable(ScoreSchema),
  signOffs: Type.Array(
    Type.Object({
      orgId: Type.String(),
      side: Type.String(),
      userId: Type.String(),
      note: Nullable(Type.String()),
      signedAt: InstantSchema,
    }),
  ),
  selectedAt: Nullable(InstantSchema),
  grants: Type.Object(
    {
      issued: Type.Integer({ minimum: 0 }),
      readable: Type.Array(Type.Object({ id: Type.String(), reviewId: Type.String(), startsAt: InstantSchema, expiresAt: InstantSchema })),
    },
    {
      description:
        'the grants selection gave the partner, one on each of the model’s running reviews and later ones: issued counts them all, readable lists those the reader may read',
    },
  ),
  createdAt: InstantSchema,
});

export const NominationBody = Type.Object(
  {
    candidateOrgId: Id,
    rationale: Text(10_000),
    scope: Type.Optional(StringEnum(GRANT_SCOPE_KEYS, { default: 'hosted_api' })),
    vettingCompleted: Type.Optional(Type.Boolean()),
    conflictOfInterestDeclared: Type.Optional(Type.Boolean()),
    incidentResponseCapacity: Type.Optional(StringEnum(IR_CAPACITY_KEYS)),
  },
  { additionalProperties: false },
);

export const SignOffBody = Type.Object({ note: Type.Optional(Text(5000)) }, { additionalProperties: false });

export const ReferenceThresholdSchema = Type.Object({
  benchmark: Type.String({ description: 'normalized benchmark key, e.g. cybench' }),
  metric: Type.String(),
  value: Type.Number(),
  direction: StringEnum(REFERENCE_DIRECTIONS, { description: 'which side of the value is the noteworthy one' }),
  note: Type.String(),
});

/** What a trusted-partner candidate is held to (domain: PartnerCriteria). */
export const PartnerCriteriaSchema = Type.Object({
  hardRequirements: ReadonlyList(StringEnum(HARD_REQUIREMENT_KEYS)),
  factors: ReadonlyList(Type.Object({ key: StringEnum(PARTNER_FACTOR_KEYS), weight: Type.Number() })),
  sectorCriticality: Type.Record(Type.String(), Type.Number(), { description: 'sector key → criticality from 0 to 1; others count 0.5' }),
  minimumScore: Type.Number({ description: 'the weighted score (0–100) a candidate needs before it can be selected' }),
});

export const PolicySchema = Type.Object({
  version: Type.Integer(),
  note: Type.String(),
  createdAt: InstantSchema,
  createdBy: Type.String(),
  windowMaxDays: Type.Integer(),
  reminderLeadHours: ReadonlyList(Type.Integer()),
  coveredModelRule: Type.String(),
  partnerCriteria: PartnerCriteriaSchema,
  referenceThresholds: ReadonlyList(ReferenceThresholdSchema),
});

const Count = Type.Integer({ minimum: 0 });
const DistributionSchema = Type.Object({
  count: Count,
  mean: Nullable(Type.Number()),
  median: Nullable(Type.Number()),
  max: Nullable(Type.Number()),
});

/** The program's aggregate metrics (domain: ProgramMetrics): counts and distributions only, no names and no ids. */
export const ProgramMetricsSchema = Type.Object({
  models: Type.Object({ enrolled: Count, determinedCovered: Count }),
  reviews: Type.Object({
    total: Count,
    byState: Type.Object({ scheduled: Count, open: Count, ended: Count, withdrawn: Count, completed: Count }),
    shareEndedEarly: Nullable(
      Type.Number({ description: 'of the reviews that closed by ending or running out, the share the developer ended early' }),
    ),
    shareWithdrawn: Nullable(Type.Number()),
  }),
  windowDays: Type.Object(
    { requested: DistributionSchema, used: DistributionSchema },
    { description: 'requested window lengths, and the days actually used by reviews that closed after opening' },
  ),
  partners: Type.Object({ nominated: Count, selected: Count, selectedPerModel: DistributionSchema }),
  grants: Type.Object({
    total: Count,
    byScope: Type.Record(Type.String(), Count, { description: 'grant scope key → grants of that scope (scopes never granted left out)' }),
  }),
});

/** The transparency view: the criteria in force and the program's aggregate metrics (public). */
export const TransparencySchema = Type.Object({
  generatedAt: InstantSchema,
  policy: Type.Object({
    version: Type.Integer(),
    windowMaxDays: Type.Integer(),
    coveredModelRule: Type.String(),
    partnerCriteria: PartnerCriteriaSchema,
    referenceThresholds: ReadonlyList(ReferenceThresholdSchema),
  }),
  metrics: ProgramMetricsSchema,
});

// The domain's types stay the source of truth; a schema that drifts from them, either way, fails to compile.
const SCHEMAS_AGREE_WITH_DOMAIN: [
  SchemaAgrees<Static<typeof ReferenceThresholdSchema>, ReferenceThreshold>,
  SchemaAgrees<Static<typeof PartnerCriteriaSchema>, PartnerCriteria>,
  SchemaAgrees<Static<typeof PolicySchema>, FrontierPolicy>,
  SchemaAgrees<Static<typeof ProgramMetricsSchema>, ProgramMetrics>,
  SchemaAgrees<
    Static<typeof ReviewReportSchema>,
    ReviewReport<Static<typeof EvaluationSchema>, Static<typeof RiskFindingSchema>, Static<typeof VulnerabilitySchema>>
  >,
] = [true, true, true, true, true];
void SCHEMAS_AGREE_WITH_DOMAIN;

export const PolicyBody = Type.Object(
  {
    document: Type.Unknown({ description: 'the whole policy document, as GET returns it without version, note, createdAt, createdBy' }),
    note: Text(1000),
  },
  { additionalProperties: false },
);

const ComparedMeasurementSchema = Type.Object({
  ...MeasurementSchema.properties,
  reference: Nullable(ReferenceThresholdSchema),
  relation: StringEnum(REFERENCE_RELATIONS, {
    description: 'where the result stands against the reference value: context, never a pass mark',
  }),
});

/**
 * The review report (domain/review-report.ts): informational only. Its evaluations, findings and vulnerabilities
 * are the records as their own routes give them, each measurement compared with its reference value.
 */
export const ReviewReportSchema = Type.Object({
  kind: Type.Literal('frontier-review-report'),
  informationalOnly: Type.Literal(true),
  notice: Type.String(),
  generatedAt: InstantSchema,
  final: Type.Boolean({ description: 'true once the review has closed; before that a draft that grows with the review' }),
  model: Type.Object({
    id: Type.String(),
    name: Type.String(),
    version: Type.String(),
    developerOrgId: Type.String(),
    plannedRelease: Type.String(),
    coveredStatus: Type.String(),
  }),
  review: Type.Object({
    id: Type.String(),
    state: StringEnum(REVIEW_STATES),
    windowStart: InstantSchema,
    windowEnd: InstantSchema,
    timeZone: Type.String(),
    requestedDays: Type.Integer(),
    policyVersion: Type.Integer(),
    windowStartLocal: Type.String(),
    windowEndLocal: Type.String(),
  }),
  policy: Type.Object({ version: Type.Integer(), referenceThresholds: ReadonlyList(ReferenceThresholdSchema) }),
  evaluations: ReadonlyList(Type.Object({ ...EvaluationSchema.properties, measurements: ReadonlyList(ComparedMeasurementSchema) })),
  riskFindings: ReadonlyList(RiskFindingSchema),
  vulnerabilities: Type.Object({
    total: Type.Integer(),
    withheld: Type.Integer({ description: 'those the reader may not see' }),
    visible: ReadonlyList(VulnerabilitySchema),
  }),
  recommendations: ReadonlyList(Type.Object({ source: StringEnum(RECOMMENDATION_SOURCES), refId: Type.String(), text: Type.String() })),
  summary: Type.Object({
    evaluations: Type.Integer(),
    measurements: Type.Integer(),
    atOrBeyondReference: Type.Integer(),
    unscored: Type.Integer(),
    riskFindingsBySeverity: Type.Record(Type.String(), Type.Integer()),
    openRiskFindings: Type.Integer(),
  }),
});

/** The stored terms, as normalised when proposed; their JSON Schema is the propose body's, not repeated here. */
const AgreementTermsSchema = Type.Unsafe<AgreementTerms>(
  Type.Object({}, { additionalProperties: true, description: 'the terms: see the request body of POST /api/v1/frontier/agreements' }),
);

export const AgreementVersionSchema = Type.Object({
  version: Type.Integer(),
  status: StringEnum(VERSION_STATUSES),
  terms: AgreementTermsSchema,
  note: Nullable(Type.String()),
  proposedBy: Type.String(),
  proposedByOrgId: Type.String(),
  proposedAt: InstantSchema,
  policyVersion: Type.Integer(),
  developerSignedBy: Nullable(Type.String()),
  developerSignedAt: Nullable(InstantSchema),
  governmentSignedBy: Nullable(Type.String()),
  governmentSignedAt: Nullable(InstantSchema),
  inForceAt: Nullable(InstantSchema),
  closedAt: Nullable(InstantSchema),
});

export const AgreementSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  developerOrgId: Type.String(),
  governmentOrgId: Type.String(),
  status: StringEnum(AGREEMENT_STATUSES),
  versionInForce: Nullable(Type.Integer()),
  versions: ReadonlyList(AgreementVersionSchema),
  createdAt: InstantSchema,
  endedAt: Nullable(InstantSchema),
  endedByOrgId: Nullable(Type.String()),
  endReason: Nullable(Type.String()),
});
