import { Type } from '@sinclair/typebox';
import { InstantSchema, Nullable, ReadonlyList, StringEnum } from '../../platform/http/index.js';
import { CVE_ID_STATES } from './domain/cve-ids.js';
import { CASE_OPENERS, CVE_ORG_ID_PATTERN, MAX_POLICY_EMBARGO_DAYS, PRIORITY_LEVELS } from './domain/disclosure-policy.js';
import { EMBARGO_EXIT_REASONS, EMBARGO_STATES } from './domain/embargo.js';
import { PARTICIPANT_ROLES, PARTICIPANT_STATES } from './domain/participants.js';
import { APPROVAL_STATES, STATEMENT_SOURCES, STATEMENT_STATUSES, VEX_JUSTIFICATIONS } from './domain/statements.js';

/**
 * Request and response schemas of the cases API (cases, participants, statements, posts, CVE ids, the
 * disclosure policy). The presenters' types are these schemas' Static types, so each field is listed once.
 */

const Str = Type.String();
export const CaseParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, description: 'case id or number (CH-YYYY-NNNN)' }) });

export const EmbargoSchema = Type.Object({
  state: StringEnum(EMBARGO_STATES),
  endsAt: Nullable(InstantSchema),
  endsAtLocal: Nullable(Str),
  timeZone: Nullable(Str),
  exitedAt: Nullable(InstantSchema),
  exitReason: Nullable(StringEnum(EMBARGO_EXIT_REASONS)),
  proposals: Type.Array(
    Type.Object({
      id: Str,
      endsAt: InstantSchema,
      endsAtLocal: Str,
      timeZone: Str,
      kind: StringEnum(['initial', 'revision'] as const),
      status: Str,
      at: InstantSchema,
      byOrgId: Nullable(Str),
    }),
  ),
});

export const ParticipantSchema = Type.Object({
  orgId: Str,
  role: StringEnum(PARTICIPANT_ROLES),
  state: StringEnum(PARTICIPANT_STATES),
  source: Str,
  matches: Type.Array(Type.Object({ purl: Str, scope: Str })),
  notifiedAt: Nullable(InstantSchema),
  seenAt: Nullable(InstantSchema),
});

const SummaryFields = {
  id: Str,
  number: Str,
  title: Str,
  embargoState: StringEnum(EMBARGO_STATES),
  embargoEndsAt: Nullable(InstantSchema),
  disclosedAt: Nullable(InstantSchema),
  createdAt: InstantSchema,
};
export const CaseVulnerabilitySchema = Type.Object({
  clusterId: Str,
  title: Nullable(Str),
  aliases: Type.Array(Str),
  cveIds: Type.Array(Str, { description: 'CVE ids the coordinator assigned (assigned or published)' }),
  cwes: Type.Array(Str),
  purls: Type.Array(Str),
  cvssVectors: Type.Array(Str, { description: 'CVSS vectors the reports you may read give' }),
  references: Type.Array(Str, { description: 'reference URLs of those reports' }),
  credits: Type.Array(Str, { description: 'the names those reports ask to be credited under (never the anonymous)' }),
  creditedOrganizations: Type.Array(Str, {
    description: 'the reporting organisations those reports ask to be credited as (credit mode organization)',
  }),
});

export const CaseSummarySchema = Type.Object(SummaryFields);
export const CaseSchema = Type.Object({
  ...SummaryFields,
  description: Nullable(Str),
  openedBy: StringEnum(CASE_OPENERS),
  exploited: Type.Boolean(),
  embargo: EmbargoSchema,
  disclosurePolicyVersion: Nullable(
    Type.Integer({ description: 'the disclosure policy version the embargo was last decided under (0: the built-in defaults)' }),
  ),
  vulnerabilities: ReadonlyList(CaseVulnerabilitySchema),
  participants: Type.Array(ParticipantSchema),
  myRole: Nullable(StringEnum(PARTICIPANT_ROLES)),
  channels: ReadonlyList(Str),
  updatedAt: InstantSchema,
});

export const ProductSchema = Type.Object({
  purl: Nullable(Str),
  cpe: Nullable(Str),
  vendor: Nullable(Str),
  name: Str,
  version: Nullable(Str),
});
export const StatementSchema = Type.Object({
  id: Str,
  caseId: Str,
  vendorOrgId: Str,
  clusterId: Str,
  status: StringEnum(STATEMENT_STATUSES),
  product: ProductSchema,
  justification: Nullable(StringEnum(VEX_JUSTIFICATIONS)),
  impactStatement: Nullable(Str),
  actionStatement: Nullable(Str),
  fixedVersions: ReadonlyList(Str),
  fixUrl: Nullable(Str),
  fixText: Nullable(Str),
  text: Nullable(Str),
  shareBeforePublication: Type.Boolean(),
  approval: StringEnum(APPROVAL_STATES),
  version: Type.Integer(),
  source: StringEnum(STATEMENT_SOURCES),
  decidedAt: Nullable(InstantSchema),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});

export const StepSchema = Type.Object({
  id: Str,
  kind: Str,
  at: InstantSchema,
  actorOrgId: Nullable(Str),
  data: Type.Object({}, { additionalProperties: true }),
});

export const PostSchema = Type.Object({
  id: Str,
  caseId: Str,
  channel: Str,
  authorRole: StringEnum(PARTICIPANT_ROLES, { description: "what every reader learns of who wrote: the author's part in the case" }),
  authorOrgId: Type.Union([Str, Type.Null()], { description: "shown to coordinators and to the author's organisation only" }),
  authorUserId: Type.Union([Str, Type.Null()], { description: "shown to coordinators and to the author's organisation only" }),
  body: Str,
  createdAt: InstantSchema,
});

export const ScopesSchema = Type.Object({ orgId: Str, scopes: ReadonlyList(Str) });

export const OrgBody = Type.Object(
  {
    orgId: Type.String({ minLength: 1, maxLength: 64 }),
    role: Type.Optional(StringEnum(PARTICIPANT_ROLES, { default: 'vendor' })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const StatementBody = Type.Object(
  {
    clusterId: Type.String({ minLength: 1, maxLength: 64, description: 'the vulnerability: one of the case clusters' }),
    vendorOrgId: Type.Optional(
      Type.String({ maxLength: 64, description: 'coordinators: the vendor stated for; default your organisation' }),
    ),
    status: StringEnum(STATEMENT_STATUSES),
    product: Type.Object(
      {
        purl: Type.Optional(Type.String({ maxLength: 500 })),
        cpe: Type.Optional(Type.String({ maxLength: 500 })),
        vendor: Type.Optional(Type.String({ maxLength: 500 })),
        name: Type.Optional(Type.String({ maxLength: 500 })),
        version: Type.Optional(Type.String({ maxLength: 500 })),
      },
      { additionalProperties: false, description: 'a purl, a CPE, or a name (and version)' },
    ),
    justification: Type.Optional(StringEnum(VEX_JUSTIFICATIONS, { description: 'required for not_affected' })),
    impactStatement: Type.Optional(Type.String({ maxLength: 10_000 })),
    actionStatement: Type.Optional(Type.String({ maxLength: 10_000 })),
    fixedVersions: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100 })),
    fixUrl: Type.Optional(Type.String({ maxLength: 2000 })),
    fixText: Type.Optional(Type.String({ maxLength: 2000 })),
    text: Type.Optional(Type.String({ maxLength: 10_000 })),
    shareBeforePublication: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);

export const CveSchema = Type.Object({
  cveId: Str,
  state: StringEnum(CVE_ID_STATES),
  orgId: Str,
  caseId: Nullable(Str),
  clusterId: Nullable(Str),
  reservedAt: InstantSchema,
  updatedAt: InstantSchema,
});
export const CveList = Type.Object({ items: Type.Array(CveSchema) });
export const BlockSchema = Type.Object({ year: Type.Integer(), first: Type.Integer(), last: Type.Integer() });
export const Sequence = Type.Union([Type.Integer(), Type.String({ maxLength: 30 })], { description: 'a sequence number, or a CVE id' });

const Days = Type.Integer({ minimum: 1, maximum: MAX_POLICY_EMBARGO_DAYS });

export const PolicySchema = Type.Object(
  {
    embargoDays: { ...Days, description: 'days from the first vendor contact to the default end of the embargo' },
    exploitedEmbargoDays: { ...Days, description: 'the same when the vulnerability is actively exploited' },
    maxEmbargoDays: { ...Days, description: 'the longest embargo anyone may propose, in days from the proposal' },
    reminderDaysBefore: Type.Array(Days, { maxItems: 5, description: 'participants are reminded this many days before the end' }),
    autoOpenAtPriority: Type.Union([StringEnum(PRIORITY_LEVELS), Type.Null()], {
      description: 'a validated cluster at this priority opens a case',
    }),
    defaultTimeZone: Type.String({ minLength: 1, maxLength: 64, description: 'the IANA zone deadlines set by policy are shown in' }),
    cna: Type.Optional(
      Type.Union(
        [
          Type.Object(
            {
              orgId: Type.String({ pattern: CVE_ORG_ID_PATTERN, description: 'the organisation UUID the CVE Program assigned the CNA' }),
              shortName: Type.String({ minLength: 2, maxLength: 32, description: 'its CVE Program short name' }),
            },
            { additionalProperties: false },
          ),
          Type.Null(),
        ],
        {
          description:
            'the coordinator as CNA, written as providerMetadata of generated CVE records; null (absent when saving): a stand-in derived from the public URL',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

export const PolicyVersionSchema = Type.Object({
  version: Type.Integer({ description: '0 for the built-in defaults, never saved' }),
  policy: PolicySchema,
  note: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: Nullable(InstantSchema),
});
