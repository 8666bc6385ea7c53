import { Type } from '@sinclair/typebox';
import { Nullable, IdParamSchema, InstantSchema, ReadonlyList, StringEnum, TlpSchema } from '../../../platform/http/index.js';
import { EVIDENCE_KINDS } from '../domain/inputs.js';
import { INVALID_REASONS, REPORT_STATES } from '../domain/report-states.js';
import { answers, spec } from './route-kit.js';

const Str = Type.String();
const Int = Type.Integer();
const Num = Type.Number();

export const StateSchema = StringEnum(REPORT_STATES, { description: 'report-management state (Vultron RM)' });

const ConflictSchema = Type.Object({ rule: StringEnum(['same-org', 'own-model'] as const), detail: Str });
const AssessmentSchema = Type.Object({
  automatable: Nullable(StringEnum(['yes', 'no'] as const)),
  technicalImpact: Nullable(StringEnum(['partial', 'total'] as const)),
  valueDensity: Nullable(StringEnum(['diffuse', 'concentrated'] as const)),
  activeExploitation: Nullable(Type.Boolean()),
});

/** A validation attempt as recorded: what the validator said (see AttemptInput), by whom, and whether it counts. */
export const AttemptSchema = Type.Object({
  id: Str,
  clusterId: Str,
  jobId: Nullable(Str),
  validatorOrgId: Str,
  validatorUserId: Nullable(Str),
  artifact: Str,
  affectedBuild: Str,
  fixedBuild: Nullable(Str),
  environment: Str,
  reproducedOnAffected: Type.Boolean(),
  reproducedOnFixed: Nullable(Type.Boolean()),
  confirms: Type.Boolean({ description: 'reproduced on the affected build and not on the fixed one' }),
  conflicts: Type.Array(ConflictSchema),
  notes: Nullable(Str),
  steps: Type.Array(Str),
  assessment: AssessmentSchema,
  createdAt: InstantSchema,
});

export const AttemptBody = Type.Object(
  {
    artifact: Type.String({ minLength: 1, maxLength: 500, description: 'what was run against: a package URL, repository or image' }),
    affectedBuild: Type.String({ minLength: 1, maxLength: 500, description: 'the affected version, commit or image digest' }),
    fixedBuild: Type.Optional(Type.String({ maxLength: 500, description: 'a fixed build tried, if any' })),
    environment: Type.String({ minLength: 1, maxLength: 2000, description: 'OS, runtime, configuration, sandbox' }),
    reproducedOnAffected: Type.Boolean(),
    reproducedOnFixed: Type.Optional(Type.Boolean({ description: 'required with fixedBuild' })),
    notes: Type.Optional(Type.String({ maxLength: 10_000 })),
    steps: Type.Optional(Type.Array(Type.String({ maxLength: 10_000 }), { maxItems: 100 })),
    assessment: Type.Optional(
      Type.Object(
        {
          automatable: Type.Optional(StringEnum(['yes', 'no'] as const)),
          technicalImpact: Type.Optional(StringEnum(['partial', 'total'] as const)),
          valueDensity: Type.Optional(StringEnum(['diffuse', 'concentrated'] as const)),
          activeExploitation: Type.Optional(Type.Boolean()),
        },
        { additionalProperties: false, description: 'SSVC decision points the validator assessed (read by prioritization)' },
      ),
    ),
  },
  { additionalProperties: false },
);

export const AttemptOutcomeSchema = Type.Object({
  attempt: AttemptSchema,
  state: StateSchema,
  quorum: Type.Object({ needed: Int, because: Str, confirmations: Int }),
  jobCompleted: Type.Boolean(),
});

/** The schema of a route recording an attempt (on a cluster, or as a job's report). */
export const attemptRouteSchema = (summary: string, status: number) =>
  spec(summary, { params: IdParamSchema, body: AttemptBody, response: answers(AttemptOutcomeSchema, [403, 409], status) });

export const EvidenceSchema = Type.Object({
  id: Str,
  clusterId: Str,
  attemptId: Nullable(Str),
  ownerOrgId: Str,
  createdBy: Nullable(Str),
  tlp: TlpSchema,
  kind: StringEnum(EVIDENCE_KINDS),
  filename: Str,
  mediaType: Nullable(Type.String({ description: 'as declared; downloads are always application/octet-stream' })),
  sha256: Str,
  size: Int,
  createdAt: InstantSchema,
});

export const JobSchema = Type.Object({
  id: Str,
  clusterId: Str,
  claimedBy: Nullable(Str),
  claimedAt: Nullable(InstantSchema),
  /** Report before this instant, or the job returns to the pool for another validator. */
  leaseExpiresAt: Nullable(InstantSchema),
});

export const ClaimSchema = Type.Object({
  job: Nullable(JobSchema),
  cluster: Type.Unknown({ description: 'the cluster to reproduce, as GET /api/v1/clusters/{id} answers it; null when no job was open' }),
});

export const VerdictSchema = Type.Object({
  verdict: StringEnum(['valid', 'invalid'] as const),
  reason: Nullable(Str),
  /** The reason as the reporter reads it. */
  reasonLabel: Nullable(Str),
  note: Nullable(Str),
  duplicateOf: Nullable(Str),
  decidedAt: Nullable(InstantSchema),
});

export const TransitionSchema = Type.Object({
  from: StateSchema,
  to: StateSchema,
  basis: StringEnum(['verdict', 'quorum'] as const),
  reason: Nullable(Str),
  note: Nullable(Str),
  at: InstantSchema,
  actor: Nullable(Type.String({ description: 'who decided; coordinators only' })),
});

export const ViewSchema = Type.Object({
  clusterId: Str,
  state: StateSchema,
  allowedNext: Type.Array(StateSchema),
  active: Type.Boolean(),
  mergedInto: Nullable(Str),
  verdict: Nullable(VerdictSchema),
  quorum: Type.Object({ needed: Int, because: Str, confirmations: Int, cvssBase: Nullable(Num) }),
  attempts: Type.Array(AttemptSchema),
  evidence: Type.Array(EvidenceSchema),
  history: Type.Array(TransitionSchema),
});

export const VerdictBody = Type.Object(
  {
    state: StringEnum(
      REPORT_STATES.filter((s) => s !== 'received'),
      { description: 'the state to move to' },
    ),
    reason: Type.Optional(StringEnum(INVALID_REASONS, { description: 'with invalid: why' })),
    note: Type.Optional(Type.String({ maxLength: 4000, description: 'required with invalid; the reporter reads it' })),
    duplicateOf: Type.Optional(Type.String({ maxLength: 64, description: 'with reason duplicate: the other cluster' })),
  },
  { additionalProperties: false },
);

const ReporterPrecisionSchema = Type.Object({ orgId: Str, precision: Num });
export const QueueRowSchema = Type.Object({
  clusterId: Str,
  title: Nullable(Type.String({ description: "the cluster's title, from the reports the reader may see" })),
  targetIdentity: Nullable(Type.String({ description: 'the affected package or product, from the same reports' })),
  state: StateSchema,
  score: Num,
  why: Type.Object({
    severity: Type.Object({ value: Num, source: Str }),
    corroboration: Type.Object({ value: Num, reporters: ReadonlyList(ReporterPrecisionSchema) }),
    formula: Str,
  }),
  firstSeenAt: InstantSchema,
  reportCount: Int,
  reporterCount: Int,
  cvssBase: Nullable(Num),
  quorum: Type.Object({ needed: Int, confirmations: Int }),
});

const PrecisionSchema = Type.Object(
  {
    valid: Int,
    invalid: Int,
    prior: Type.Object({ alpha: Num, beta: Num }),
    mean: Num,
    sd: Num,
    low: Type.Number({ description: '5th percentile of the posterior' }),
    high: Type.Number({ description: '95th percentile of the posterior' }),
  },
  { description: 'posterior Beta(α + valid, β + invalid): mean, standard deviation, 90 % credible interval' },
);

const TrackRecordFields = {
  reports: Int,
  clusters: Int,
  valid: Int,
  invalid: Int,
  invalidByReason: Type.Record(Type.String(), Type.Integer()),
  duplicates: Int,
  pending: Int,
  precision: PrecisionSchema,
};

export const QuotaSchema = Type.Object({
  dailyLimit: Nullable(Int),
  basis: StringEnum(['override', 'exempt', 'computed', 'none'] as const),
  explanation: Str,
  usedLast24h: Int,
  recentReports: Int,
  windowDays: Int,
  override: Nullable(Type.Object({ dailyLimit: Nullable(Int), note: Str, setBy: Str, setAt: InstantSchema })),
});

const OrgNameField = { orgName: Nullable(Type.String({ description: "the organisation's name, where the reader may see it" })) };
export const ReporterSchema = Type.Object({ orgId: Str, ...OrgNameField, ...TrackRecordFields });
export const ReporterDetailSchema = Type.Object({ orgId: Str, ...OrgNameField, ...TrackRecordFields, quota: QuotaSchema });
export const ToolSchema = Type.Object({ tool: Nullable(Str), model: Nullable(Str), ...TrackRecordFields });

export const MyReportSchema = Type.Object({
  clusterId: Str,
  state: StateSchema,
  verdict: Nullable(VerdictSchema),
  reports: Int,
  firstReportedAt: InstantSchema,
  mergedInto: Nullable(Str),
});

export const PolicySchema = Type.Object({
  version: Int,
  policy: Type.Object({
    quorum: Type.Object({ default: Int, critical: Int, criticalCvss: Num }),
    prior: Type.Object({ alpha: Num, beta: Num }),
    unknownSeverity: Num,
    quota: Type.Object({ windowDays: Int, highVolume: Int, minDecided: Int, lowPrecision: Num, dailyAtFullPrecision: Int, minDaily: Int }),
    leaseHours: Int,
    maxLeaseHours: Int,
    validatorKinds: Type.Array(Str),
  }),
  note: Nullable(Str),
  createdBy: Nullable(Str),
  createdAt: Nullable(InstantSchema),
});

const Day = Type.String({ format: 'date', description: 'a UTC day, YYYY-MM-DD' });
export const QueueFiguresQuery = Type.Object({
  from: Type.Optional({ ...Day, description: 'first UTC day (default: 29 days before to)' }),
  to: Type.Optional({ ...Day, description: 'last UTC day, included (default: today); at most 92 days after from' }),
});
export const QueueFiguresSchema = Type.Object({
  from: Type.String(),
  to: Type.String(),
  days: Type.Array(
    Type.Object({
      day: Type.String(),
      entered: Type.Integer({ description: 'clusters first reported that day' }),
      left: Type.Integer({ description: 'clusters that left received that day (a verdict, a quorum, or closed)' }),
      waiting: Type.Integer({ description: 'clusters waiting in received at the end of the day' }),
      validated: Type.Integer({ description: 'clusters found valid or invalid that day' }),
      medianHoursToValidate: Nullable(Num),
    }),
  ),
});
