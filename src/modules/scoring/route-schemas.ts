import { type Static, type TProperties, type TSchema, Type } from '@sinclair/typebox';
import { Nullable, InstantSchema, QueuedWorkSchema, ReadonlyList, StringEnum, type SchemaAgrees } from '../../platform/http/index.js';
import { SECTOR_KEYS } from '../identity/index.js';
import { CVSS_VERSIONS } from '../../platform/cvss/index.js';
import { PRIORITIZATION_POLICY_SCHEMA } from './domain/prioritization-policy-schema.js';
import { ASSET_CRITICALITIES, type PrioritizationPolicy } from './domain/prioritization-policy.js';
import type { MissionWellbeingSource } from './domain/exposure.js';
import type { InputSource } from './domain/ssvc-input-sources.js';
import type { SupplierPriorityDecision } from './domain/supplier-priority.js';
import {
  AUTOMATABLE,
  CISA_LEVELS,
  EXPLOITATION,
  MISSION_PREVALENCE,
  MISSION_WELLBEING,
  PATCH_PRIORITY,
  PUBLIC_SAFETY_IMPACT,
  PUBLIC_WELLBEING,
  SAFETY_IMPACT,
  TECHNICAL_IMPACT,
  UTILITY,
  VALUE_DENSITY,
} from './domain/ssvc-decision-points.js';
import type { DecisionPoint } from './domain/decision-table.js';
import { FEEDS } from './domain/feeds.js';

/** Request and response schemas of the scoring API. */

const valuesOf = <V extends string>(point: DecisionPoint<V>) => StringEnum(point.values.map((v) => v.value));
const DateSchema = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

export const FeedSchema = StringEnum(FEEDS);
export const SubjectParamSchema = Type.Object({ subjectId: Type.String({ minLength: 1, maxLength: 128 }) });
export const FeedParamSchema = Type.Object({ feed: FeedSchema });

// The policy's own JSON Schema (domain), as a property of the request and response: without `$schema`,
// which only a root may carry, and, in the request, with the `version` label optional.
const {
  $schema: _schema,
  title: _title,
  ...policySchema
} = PRIORITIZATION_POLICY_SCHEMA as typeof PRIORITIZATION_POLICY_SCHEMA & { required: string[] };
export const PolicyDocumentSchema = Type.Unsafe<PrioritizationPolicy>({
  ...policySchema,
  description: 'the prioritization policy (SLA days, mission & well-being mapping, …)',
});
const PolicyInputSchema = Type.Unsafe<Record<string, unknown>>({
  ...policySchema,
  required: policySchema.required.filter((key) => key !== 'version'),
  description: 'the whole new policy; `version` (its label, cited by decisions) defaults to r<revision>',
});

export const PolicyVersionSchema = Type.Object({
  revision: Type.Integer(),
  version: Type.String(),
  policy: PolicyDocumentSchema,
  note: Nullable(Type.String()),
  createdBy: Type.String(),
  createdAt: InstantSchema,
});

export const PolicyUpdateBody = Type.Object(
  { policy: PolicyInputSchema, note: Type.Optional(Type.String({ maxLength: 1000, description: 'why it changes' })) },
  { additionalProperties: false },
);

const KevSourceSchema = Type.Object({
  kind: Type.Literal('kev'),
  cveId: Type.String(),
  dateAdded: Type.String(),
  knownRansomwareCampaignUse: StringEnum(['known', 'unknown']),
  catalogVersion: Type.String(),
  dateReleased: Type.String(),
});

/** Where an SSVC input came from (domain: InputSource). */
export const InputSourceSchema = Type.Union(
  [
    KevSourceSchema,
    Type.Object({ kind: Type.Literal('validation'), validator: Type.String(), assessedAt: Type.String() }),
    Type.Object({ kind: Type.Literal('cisa-adp'), cveId: Type.String(), version: Type.String(), timestamp: Type.String() }),
    Type.Object({ kind: Type.Literal('public-exploit'), references: ReadonlyList(Type.String()) }),
    Type.Object({ kind: Type.Literal('no-evidence') }),
    Type.Object({ kind: Type.Literal('policy-default'), policyVersion: Type.String() }),
  ],
  { description: 'where the value came from: KEV entry, validation, CISA ADP, public exploit, policy default' },
);

const Sourced = <V extends string>(point: DecisionPoint<V>) => Type.Object({ value: valuesOf(point), source: InputSourceSchema });

const TableRefSchema = Type.Object({ id: Type.String(), name: Type.String(), version: Type.String() });

const DecisionResultSchema = Type.Object({
  outcome: Type.String(),
  row: Type.Object({ index: Type.Integer(), inputs: Type.Record(Type.String(), Type.String()), outcome: Type.String() }),
  table: TableRefSchema,
});

/** A decision table's result (domain: DecisionResult) with its row's inputs and outcome spelled out. */
const decisionResultOf = <I extends TProperties, O extends TSchema>(inputs: I, outcome: O) =>
  Type.Object({ outcome, row: Type.Object({ index: Type.Integer(), inputs: Type.Object(inputs), outcome }), table: TableRefSchema });

/** Where Mission & Well-being came from (domain: MissionWellbeingSource). */
export const MissionWellbeingSourceSchema = Type.Union(
  [
    Type.Object({
      kind: Type.Literal('exposure'),
      policyVersion: Type.String(),
      exposure: Type.Object({
        operatorCount: Type.Integer(),
        assetCount: Type.Integer(),
        sectors: ReadonlyList(StringEnum(SECTOR_KEYS)),
        highestCriticality: Nullable(StringEnum(ASSET_CRITICALITIES)),
      }),
      missionPrevalence: valuesOf(MISSION_PREVALENCE),
      publicWellbeing: valuesOf(PUBLIC_WELLBEING),
      decisiveAssets: ReadonlyList(Type.Object({ operatorId: Type.String(), assetId: Type.String() })),
      decision: decisionResultOf(
        { missionPrevalence: valuesOf(MISSION_PREVALENCE), publicWellbeing: valuesOf(PUBLIC_WELLBEING) },
        valuesOf(MISSION_WELLBEING),
      ),
    }),
    Type.Object({ kind: Type.Literal('policy-default'), policyVersion: Type.String(), reason: Type.Literal('exposure unknown') }),
  ],
  { description: 'exposure (operators, sectors, decisive assets, table row) or the policy default' },
);

/** SSVC's supplier tree on the decision's inputs (domain: SupplierPriorityDecision's explanation). */
export const SupplierExplanationSchema = Type.Object(
  {
    policyVersion: Type.String(),
    inputs: Type.Object({
      exploitation: Sourced(EXPLOITATION),
      automatable: Sourced(AUTOMATABLE),
      technicalImpact: Sourced(TECHNICAL_IMPACT),
      valueDensity: Sourced(VALUE_DENSITY),
      safetyImpact: Type.Object({ value: valuesOf(SAFETY_IMPACT), rule: Type.String() }),
    }),
    decision: Type.Object({
      ...decisionResultOf(
        {
          exploitation: valuesOf(EXPLOITATION),
          utility: valuesOf(UTILITY),
          technicalImpact: valuesOf(TECHNICAL_IMPACT),
          publicSafetyImpact: valuesOf(PUBLIC_SAFETY_IMPACT),
        },
        valuesOf(PATCH_PRIORITY),
      ).properties,
      derived: Type.Object({
        utility: decisionResultOf({ automatable: valuesOf(AUTOMATABLE), valueDensity: valuesOf(VALUE_DENSITY) }, valuesOf(UTILITY)),
        publicSafetyImpact: decisionResultOf({ safetyImpact: valuesOf(SAFETY_IMPACT) }, valuesOf(PUBLIC_SAFETY_IMPACT)),
      }),
    }),
  },
  { description: 'SSVC supplier tree: inputs and table rows' },
);

// The domain's types stay the source of truth; a schema that drifts from them, either way, fails to compile.
const SCHEMAS_AGREE_WITH_DOMAIN: [
  SchemaAgrees<Static<typeof InputSourceSchema>, InputSource>,
  SchemaAgrees<Static<typeof MissionWellbeingSourceSchema>, MissionWellbeingSource>,
  SchemaAgrees<Static<typeof SupplierExplanationSchema>, SupplierPriorityDecision['explanation']>,
] = [true, true, true];
void SCHEMAS_AGREE_WITH_DOMAIN;

const EpssScoreSchema = Type.Object({ cveId: Type.String(), epss: Type.Number(), percentile: Type.Number(), date: DateSchema });

export const ExplanationSchema = Type.Object({
  policyVersion: Type.String(),
  decidedAt: InstantSchema,
  inputs: Type.Object({
    exploitation: Sourced(EXPLOITATION),
    automatable: Sourced(AUTOMATABLE),
    technicalImpact: Sourced(TECHNICAL_IMPACT),
    missionWellbeing: Type.Object({
      value: valuesOf(MISSION_WELLBEING),
      source: MissionWellbeingSourceSchema,
    }),
  }),
  decision: DecisionResultSchema,
  vendorFix: Type.Object({ days: Type.Integer(), dueAt: InstantSchema }),
  epss: Nullable(EpssScoreSchema),
  cvss: Nullable(
    Type.Object({ version: Type.String(), vector: Type.String(), base: Type.Number(), overall: Type.Number(), severity: Type.String() }),
  ),
});

const ScoreValueSchema = Type.Object({ score: Type.Number(), severity: Type.String() });

export const CvssScoresSchema = Type.Object({
  version: StringEnum(CVSS_VERSIONS),
  vector: Type.String({ description: 'canonical: specification order, Not Defined left out' }),
  metrics: Type.Record(Type.String(), Type.String()),
  base: ScoreValueSchema,
  temporal: Nullable(ScoreValueSchema),
  threat: Nullable(ScoreValueSchema),
  environmental: Nullable(ScoreValueSchema),
  overall: Type.Object({ score: Type.Number(), severity: Type.String(), nomenclature: Type.String() }),
});

/** A CVSS vector scored for a subject; every score recomputed from the vector. */
export const CvssScoreRecordSchema = Type.Object({
  vector: Type.String(),
  version: Type.String(),
  base: Type.Number(),
  overall: Type.Number(),
  severity: Type.String(),
  scores: CvssScoresSchema,
  scoredAt: InstantSchema,
});

export const DecisionSchema = Type.Object({
  subjectId: Type.String(),
  orgId: Nullable(Type.String()),
  revision: Type.Integer(),
  outcome: valuesOf(CISA_LEVELS),
  outcomeSince: InstantSchema,
  vendorFixDueAt: InstantSchema,
  policyVersion: Type.String(),
  tieBreak: Type.Object({ epss: Nullable(Type.Number()), exposureCount: Type.Integer() }),
  explanation: ExplanationSchema,
  supplier: Type.Object({
    outcome: valuesOf(PATCH_PRIORITY),
    explanation: SupplierExplanationSchema,
  }),
  cveIds: Type.Array(Type.String()),
  cvss: Type.Array(CvssScoreRecordSchema),
  evaluatedAt: InstantSchema,
  createdAt: InstantSchema,
});

/** One change of a decision. */
export const DecisionChangeSchema = Type.Object({
  revision: Type.Integer(),
  at: InstantSchema,
  reason: Type.String(),
  outcome: valuesOf(CISA_LEVELS),
  previousOutcome: Nullable(valuesOf(CISA_LEVELS)),
  changes: Type.Record(Type.String(), Type.Unknown(), { description: '{field: [before, after]}' }),
  explanation: Nullable(ExplanationSchema),
});

/** Where a feed is refreshed from, and how the last attempts went. */
export const FeedSourceSchema = Type.Object({
  url: Type.String(),
  enabled: Type.Boolean(),
  everyHours: Type.Integer(),
  updatedBy: Type.String(),
  updatedAt: InstantSchema,
  lastAttemptAt: Nullable(InstantSchema),
  lastSuccessAt: Nullable(InstantSchema),
  lastError: Nullable(Type.String()),
});

export const FeedSourceBody = Type.Object(
  {
    url: Type.String({
      minLength: 8,
      maxLength: 2048,
      description: 'http(s) URL of the KEV catalog JSON, or of the EPSS CSV (.gz) or an EPSS API query',
    }),
    enabled: Type.Optional(Type.Boolean({ default: true })),
    everyHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 720, default: 24 })),
  },
  { additionalProperties: false },
);

export const KevImportSchema = Type.Object({
  id: Type.String(),
  catalogVersion: Type.String(),
  dateReleased: Type.String(),
  previousCatalogVersion: Nullable(Type.String()),
  importedAt: InstantSchema,
  importedBy: Type.String(),
  source: Type.String(),
  sha256: Type.String(),
  entries: Type.Integer(),
  added: Type.Array(Type.String()),
  removed: Type.Array(Type.String()),
  changed: Type.Array(Type.Object({ cveId: Type.String(), fields: Type.Array(Type.String()) })),
});

export const EpssImportSchema = Type.Object({
  id: Type.String(),
  importedAt: InstantSchema,
  importedBy: Type.String(),
  source: Type.String(),
  sha256: Type.String(),
  format: StringEnum(['csv', 'api']),
  modelVersion: Nullable(Type.String()),
  scoreDates: Type.Array(DateSchema),
  /** Scores in the file. */
  rows: Type.Integer(),
  /** Scores new to the history or changed in it. */
  stored: Type.Integer(),
  /** CVEs whose newest score this import changed. */
  latestChanged: Type.Integer(),
});

export const FeedImportSchema = Type.Union([KevImportSchema, EpssImportSchema]);

export const KevLoadSchema = Type.Object({
  changed: Type.Boolean({ description: 'false when the catalog held is this one, entry for entry' }),
  import: Nullable(KevImportSchema),
  catalogVersion: Type.String(),
  entries: Type.Integer(),
  work: QueuedWorkSchema,
});

export const EpssLoadSchema = Type.Object({
  changed: Type.Boolean({ description: 'false when every score was held already' }),
  import: Nullable(EpssImportSchema),
  scoreDates: Type.Array(DateSchema),
  rows: Type.Integer(),
  work: QueuedWorkSchema,
});

export const KevLoadQuery = Type.Object({
  source: Type.Optional(
    Type.String({ minLength: 1, maxLength: 500, description: 'where it came from (a file name), for the import history' }),
  ),
  allowOlder: Type.Optional(Type.Boolean({ description: 'accept a catalog released before the one held' })),
});

export const EpssLoadQuery = Type.Object({
  source: Type.Optional(
    Type.String({ minLength: 1, maxLength: 500, description: 'where it came from (a file name), for the import history' }),
  ),
  scoreDate: Type.Optional(Type.String({ format: 'date', description: 'score date of a CSV without its #model_version line' })),
});

export const FeedStatusSchema = Type.Object({
  kev: Type.Object({
    /** The catalog release held, null before the first import. */
    catalogVersion: Nullable(Type.String()),
    dateReleased: Nullable(Type.String()),
    /** Entries listed now (withdrawn ones not counted). */
    entries: Type.Integer(),
    lastImport: Nullable(KevImportSchema),
    source: Nullable(FeedSourceSchema),
  }),
  epss: Type.Object({
    latestScoreDate: Nullable(DateSchema),
    /** CVEs with a score. */
    cvesScored: Type.Integer(),
    scoresOnLatestDate: Type.Integer(),
    /** Days of history held. */
    days: Type.Integer(),
    lastImport: Nullable(EpssImportSchema),
    source: Nullable(FeedSourceSchema),
  }),
});
