import { Type } from '@sinclair/typebox';
import { InstantSchema, Nullable, StringEnum, TlpSchema } from '../../platform/http/index.js';

/**
 * Response schemas of the intake API (submissions, clusters, findings, regroups, near-duplicate candidates).
 * The presenters' types (presenters.ts) are these schemas' Static types, so each field is listed once.
 */

const Str = Type.String();

const FieldIssueSchema = Type.Object({ pointer: Str, detail: Str });
export const SubmissionSchema = Type.Object({
  id: Str,
  format: Str,
  formatVersion: Nullable(Str),
  documentId: Nullable(Str),
  filename: Nullable(Str),
  sha256: Str,
  size: Type.Integer(),
  tlp: TlpSchema,
  readers: Type.String({
    description:
      "who may read the submission: its TLP's audience and, whatever the TLP, the coordinator organisation's analysts and admins",
  }),
  status: Str,
  findingCount: Type.Integer(),
  warnings: Type.Array(FieldIssueSchema),
  createdAt: InstantSchema,
  processedAt: Nullable(InstantSchema),
});
/**
 * Per finding: new, or a duplicate of a known cluster — with nothing about who else reported it. A duplicate
 * of a report the caller may not see says only that (`firstReportHidden`): not when, not by whom, not what.
 */
export const FindingOutcomeSchema = Type.Object({
  ref: Type.String({ description: 'JSON pointer of the finding in the submitted document' }),
  productId: Nullable(Str),
  outcome: StringEnum(['new', 'duplicate'] as const),
  clusterId: Str,
  firstSeenAt: Nullable(
    Type.String({ format: 'date-time', description: "when the cluster's first report arrived; null when it is one you may not see" }),
  ),
  firstReportHidden: Type.Boolean({
    description:
      'a duplicate of a report you cannot see: the first report is hidden from you by its TLP, so neither its time nor its reporter is told',
  }),
});
export const AnswerSchema = Type.Object({
  submission: SubmissionSchema,
  findings: Type.Array(FindingOutcomeSchema),
  repeated: Type.Boolean({ description: 'identical bytes were submitted before by your organisation; nothing was stored again' }),
});

/**
 * A cluster as a party sees it. Every field but `id`, `state` and `mergedInto` is derived from reports, so it
 * is computed from the reports that party may see (DESIGN §5, derived data): `firstSeenAt` is when the earliest
 * report the party may see arrived, `findingCount` the reports it may see, `reporterCount` the organisations
 * among them.
 */
const ClusterFields = {
  id: Str,
  title: Nullable(Str),
  state: Str,
  targetIdentity: Nullable(Str),
  cwes: Type.Array(Str),
  aliases: Type.Array(Str),
  firstSeenAt: InstantSchema,
  findingCount: Type.Integer(),
  reporterCount: Type.Integer(),
  mergedInto: Nullable(Str),
};
export const ClusterSchema = Type.Object(ClusterFields);
const FindingFields = {
  id: Str,
  submissionId: Str,
  ref: Str,
  productId: Nullable(Str),
  format: Str,
  title: Nullable(Str),
  tool: Nullable(Str),
  model: Nullable(Str),
  aiGenerated: Nullable(Type.Boolean()),
  reporterOrgId: Str,
  tlp: TlpSchema,
  outcome: StringEnum(['new', 'duplicate'] as const),
  createdAt: InstantSchema,
};
export const FindingSchema = Type.Object(FindingFields);
export const FindingDetailSchema = Type.Object({ ...FindingFields, clusterId: Str, data: Type.Unknown() });
/** `firstReport`: the earliest report, credited, shown only when the caller may see it; `findings`: the reports the caller may see, oldest first (at most 500). */
export const ClusterDetailSchema = Type.Object({
  ...ClusterFields,
  firstReport: Nullable(Type.Object({ findingId: Str, reporterOrgId: Str, at: InstantSchema })),
  findings: Type.Array(FindingSchema),
});
export const RegroupSchema = Type.Object({
  id: Str,
  kind: StringEnum(['merge', 'split', 'auto-merge'] as const),
  fromClusterId: Str,
  intoClusterId: Str,
  findingIds: Type.Array(Str),
  reason: Str,
  actor: Str,
  createdAt: InstantSchema,
  undoneAt: Nullable(InstantSchema),
});
export const SplitSchema = Type.Object({ regroup: RegroupSchema, cluster: ClusterDetailSchema });
/** `other`: the other cluster of the pair (only pairs whose every report the caller may see are listed). */
export const CandidateSchema = Type.Object({
  id: Str,
  similarity: Type.Number(),
  reason: Str,
  status: StringEnum(['proposed', 'merged', 'dismissed'] as const),
  other: ClusterSchema,
  createdAt: InstantSchema,
  decidedAt: Nullable(InstantSchema),
});
export const CandidateDecisionSchema = Type.Object({ status: Str, regroup: Nullable(RegroupSchema) });
