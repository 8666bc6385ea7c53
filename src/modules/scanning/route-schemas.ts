import { Type } from '@sinclair/typebox';
import { InstantSchema, Nullable, ProblemSchema, ReadonlyList, StringEnum, TlpSchema } from '../../platform/http/index.js';
import { CAMPAIGN_STATES, STOP_SOURCES } from './domain/campaign.js';
import { ACTIVE_SCANNING_RULES } from './domain/scan-policy.js';
import { TECHNIQUES } from './domain/techniques.js';
import { WEEKDAYS } from './domain/time-window.js';

/** The request and response schemas of the scanning routes, one per resource; the presenters fill them. */

const Str = Type.String();
const Contact = Type.Record(Str, Str, { description: 'name, email, phone, url: whom to reach to stop it at once' });
const Reason = StringEnum(['same-technique', 'concurrent-active'] as const);

export const TechniqueSchema = StringEnum(TECHNIQUES);

const Intensity = Type.Object({ requestsPerSecond: Type.Number(), concurrency: Type.Integer() });

export const StopRequestSchema = Type.Object({
  id: Str,
  source: StringEnum(STOP_SOURCES),
  requesterOrgId: Str,
  assetId: Nullable(Str),
  blackoutId: Nullable(Str),
  reason: Str,
  createdAt: InstantSchema,
});

export const CampaignSchema = Type.Object({
  id: Str,
  orgId: Str,
  name: Str,
  tool: Type.Object({ name: Str, version: Str }),
  model: Nullable(Type.Object({ name: Str, version: Str })),
  aiAssisted: Type.Boolean(),
  technique: TechniqueSchema,
  active: Type.Boolean({ description: 'scans live systems: the operators’ policies apply' }),
  scope: Type.Array(Type.Object({ target: Str, kind: Str, key: Str })),
  window: Type.Object({ start: InstantSchema, end: InstantSchema }),
  intensity: Nullable(Intensity),
  stopContact: Contact,
  state: StringEnum(CAMPAIGN_STATES),
  stopReason: Nullable(Str),
  tlp: TlpSchema,
  operatorOrgIds: Type.Array(Str, { description: 'operators whose declared assets it touches' }),
  stopRequests: Type.Array(StopRequestSchema),
  createdAt: InstantSchema,
});

export const ConflictSchema = Type.Object({
  reason: Reason,
  technique: TechniqueSchema,
  during: Type.Object({ start: InstantSchema, end: InstantSchema }),
  until: Type.String({ format: 'date-time', description: "when the other campaign's window closes" }),
  targets: Type.Array(
    Type.Object({
      ours: Str,
      theirs: Type.Union([Str, Type.Null()], { description: "the other campaign's target, when you may see that campaign" }),
      overlap: Str,
      approximate: Type.Boolean(),
    }),
  ),
  campaign: Type.Union([Type.Object({ id: Str, orgId: Str, name: Str, state: Str, stopContact: Contact }), Type.Null()], {
    description: 'the other campaign, when the access policy lets you see it',
  }),
});

export const RegisteredSchema = Type.Object({ campaign: CampaignSchema, conflicts: Type.Array(ConflictSchema) });

export const CampaignBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    tool: Type.Object({ name: Type.String({ maxLength: 100 }), version: Type.String({ maxLength: 100 }) }, { additionalProperties: false }),
    model: Type.Optional(
      Nullable(
        Type.Object({ name: Type.String({ maxLength: 100 }), version: Type.String({ maxLength: 100 }) }, { additionalProperties: false }),
      ),
    ),
    aiAssisted: Type.Boolean(),
    technique: TechniqueSchema,
    scope: Type.Array(
      Type.Object(
        {
          target: Type.String({ maxLength: 2000, description: 'pkg:… (purl), https://… (repository), cpe:2.3:…, CIDR block, host name' }),
          versions: Type.Optional(Type.String({ maxLength: 2000, description: 'for a package: a vers: range' })),
        },
        { additionalProperties: false },
      ),
      { maxItems: 1000 },
    ),
    window: Type.Object({ start: Type.String({ maxLength: 40 }), end: Type.String({ maxLength: 40 }) }, { additionalProperties: false }),
    intensity: Type.Optional(
      Nullable(Type.Object({ requestsPerSecond: Type.Number(), concurrency: Type.Integer() }, { additionalProperties: false })),
    ),
    stopContact: Type.Object(
      {
        name: Type.Optional(Type.String({ maxLength: 300 })),
        email: Type.Optional(Type.String({ maxLength: 300 })),
        phone: Type.Optional(Type.String({ maxLength: 300 })),
        url: Type.Optional(Type.String({ maxLength: 300 })),
      },
      { additionalProperties: false },
    ),
    tlp: Type.Optional(Type.String({ maxLength: 20, description: 'default AMBER: you, the coordinator and the operators it touches' })),
  },
  { additionalProperties: false },
);

/** Who holds a lease, as far as the caller may know: all null when the access policy hides it. */
export const LeaseHolderSchema = Type.Object({ orgId: Nullable(Str), orgName: Nullable(Str), campaignId: Nullable(Str) });

export const LeaseSchema = Type.Object({
  id: Str,
  target: Str,
  key: Str,
  technique: TechniqueSchema,
  orgId: Str,
  campaignId: Nullable(Str),
  claimedAt: InstantSchema,
  expiresAt: InstantSchema,
  releasedAt: Nullable(InstantSchema),
});

/** A live lease as anyone checking a target sees it; its id for its holder's organisation and the coordinator only. */
export const LeaseOnTargetSchema = Type.Object({
  target: Str,
  technique: TechniqueSchema,
  expiresAt: InstantSchema,
  holder: LeaseHolderSchema,
  leaseId: Nullable(Str),
});

/** One campaign on a target, as the caller may see it: always when and how; who, only when visible. */
export const ScanOnTargetSchema = Type.Object({
  technique: TechniqueSchema,
  state: StringEnum(CAMPAIGN_STATES),
  window: Type.Object({ start: InstantSchema, end: InstantSchema }),
  campaign: Nullable(Type.Object({ id: Str, orgId: Str, name: Str, tool: Str, aiAssisted: Type.Boolean() })),
});

export const TargetStatusSchema = Type.Object({
  target: Str,
  key: Str,
  kind: Str,
  /** Live leases on it (or on overlapping blocks and names), every technique. */
  leases: Type.Array(LeaseOnTargetSchema),
  /** Planned and active campaigns scanning it. */
  campaigns: Type.Array(ScanOnTargetSchema),
  clusters: Type.Union([Type.Object({ validated: Type.Integer(), open: Type.Integer() }), Type.Null()], {
    description: 'clusters intake holds for it, among those you may see; null for network targets',
  }),
});

export const TargetCoverageSchema = Type.Object({
  target: Str,
  key: Str,
  /** Campaigns that ran on it (active, completed or stopped), oldest first, with the clusters each found (null when hidden). */
  scans: Type.Array(Type.Object({ ...ScanOnTargetSchema.properties, found: Nullable(Type.Array(Str)) })),
});

export const GapsSchema = Type.Object({
  since: InstantSchema,
  items: Type.Array(Type.Object({ purl: Str, ecosystem: Str, name: Str, operators: Type.Integer(), sectors: Type.Array(Str) })),
});

export const WindowSchema = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('once'),
      start: Type.String({ maxLength: 40, description: "an instant, or a wall-clock YYYY-MM-DDTHH:MM in the asset's zone" }),
      end: Type.String({ maxLength: 40 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('weekly'),
      days: ReadonlyList(StringEnum(WEEKDAYS), { minItems: 1, maxItems: 7 }),
      start: Type.String({ maxLength: 5, description: 'HH:MM in the asset’s zone' }),
      end: Type.String({ maxLength: 5 }),
      from: Type.Optional(Type.String({ maxLength: 10 })),
      until: Type.Optional(Type.String({ maxLength: 10 })),
    },
    { additionalProperties: false },
  ),
]);

export const AssetSchema = Type.Object({
  id: Str,
  orgId: Str,
  name: Str,
  timeZone: Str,
  activeScanning: StringEnum(ACTIVE_SCANNING_RULES),
  targets: Type.Array(Type.Object({ target: Str, kind: Str })),
  consents: Type.Array(
    Type.Object({
      id: Str,
      scannerOrgId: Str,
      techniques: ReadonlyList(Str),
      window: Nullable(WindowSchema),
      maxIntensity: Intensity,
    }),
  ),
  blackouts: Type.Array(Type.Object({ id: Str, reason: Str, window: WindowSchema, description: Str })),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});

const AssetFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  timeZone: Type.String({ maxLength: 100, description: 'IANA zone its windows are kept in, e.g. America/Chicago' }),
  targets: Type.Array(Type.String({ maxLength: 2000 }), {
    maxItems: 1000,
    description: 'host names (*.grid.example for all below), CIDR blocks, products (cpe:…, purl)',
  }),
  activeScanning: Type.Optional(StringEnum(ACTIVE_SCANNING_RULES, { description: 'default consent-required' })),
};

export const AssetBody = Type.Object(
  { ...AssetFields, orgId: Type.Optional(Type.String({ maxLength: 64, description: 'coordinators: the operator declared for' })) },
  { additionalProperties: false },
);

export const AssetPatch = Type.Partial(Type.Object(AssetFields, { additionalProperties: false }));

export const ConsentBody = Type.Object(
  {
    scannerOrgId: Type.String({ minLength: 1, maxLength: 64 }),
    techniques: Type.Array(TechniqueSchema, { minItems: 1, maxItems: 5 }),
    window: Type.Optional(Nullable(WindowSchema)),
    maxIntensity: Type.Object({ requestsPerSecond: Type.Number(), concurrency: Type.Integer() }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);

export const BlackoutBody = Type.Object({ reason: Type.String({ maxLength: 500 }), window: WindowSchema }, { additionalProperties: false });

export const BlackoutAddedSchema = Type.Object({
  asset: AssetSchema,
  /** Stop requests sent to campaigns the new blackout collides with. */
  stopRequests: Type.Array(Type.Object({ ...StopRequestSchema.properties, campaignId: Str })),
});

/**
 * A 409 of the scanning routes: a problem document whose extension members say why — for `lease-held` the
 * holder (as far as you may see), `expiresAt` and `nextFreeAt`; for `blackout` the asset and `until`; for
 * `scan-policy-violation` each violated rule.
 */
export const ScanConflictSchema = Type.Object(
  {
    ...ProblemSchema.properties,
    holder: Type.Optional(LeaseHolderSchema),
    target: Type.Optional(Str),
    technique: Type.Optional(Str),
    expiresAt: Type.Optional(InstantSchema),
    nextFreeAt: Type.Optional(Type.String({ format: 'date-time', description: 'when the target is next free to claim' })),
    assetId: Type.Optional(Str),
    assetName: Type.Optional(Str),
    blackoutId: Type.Optional(Str),
    until: Type.Optional(InstantSchema),
    violations: Type.Optional(
      Type.Array(
        Type.Object({
          rule: Str,
          target: Nullable(Str),
          assetId: Nullable(Str),
          assetName: Nullable(Str),
          operatorOrgId: Nullable(Str),
          detail: Str,
        }),
      ),
    ),
  },
  { additionalProperties: true, description: 'RFC 9457 problem details with the conflict’s extension members' },
);
