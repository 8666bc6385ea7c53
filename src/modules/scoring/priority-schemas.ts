import { type TInteger, Type } from '@sinclair/typebox';
import { Nullable, InstantSchema, PageQuerySchema, StringEnum, TlpSchema } from '../../platform/http/index.js';
import { SECTOR_KEYS } from '../identity/index.js';
import { ASSET_CRITICALITIES } from './domain/prioritization-policy.js';
import { PATCH_PRIORITY, type PatchPriority } from './domain/ssvc-decision-points.js';

/** Request and response schemas of an operator's ranked priorities. */

const SectorSchema = StringEnum(SECTOR_KEYS, { description: 'U.S. critical-infrastructure sector' });
const PrioritySchema = StringEnum(PATCH_PRIORITY.values.map((v) => v.value));
const ExplainedInputSchema = Type.Object({
  value: Type.String(),
  basis: Type.String({ description: 'what the value rests on, in words' }),
});

export const PrioritiesQuerySchema = Type.Composite([
  PageQuerySchema,
  Type.Object({
    orgId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'the operator (default your own organisation)' })),
    asset: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'only this asset (id or name)' })),
    sector: Type.Optional(SectorSchema),
    dueBefore: Type.Optional(
      Type.String({ minLength: 10, maxLength: 40, description: 'only rows due before this date (YYYY-MM-DD) or instant' }),
    ),
  }),
]);

/** One asset × one advisory of an operator, with its deployer decision. */
export const OperatorPrioritySchema = Type.Object({
  rank: Type.Integer({ minimum: 1, description: '1 = most urgent, over the whole filtered list' }),
  advisory: Type.Object({ id: Type.String(), aliases: Type.Array(Type.String()), summary: Nullable(Type.String()), tlp: TlpSchema }),
  asset: Type.Object({
    id: Type.String(),
    name: Type.String(),
    sector: Nullable(SectorSchema),
    criticality: StringEnum(ASSET_CRITICALITIES),
    internetFacing: Type.Boolean(),
  }),
  components: Type.Array(
    Type.Object({ purl: Nullable(Type.String()), version: Nullable(Type.String()), fixed: Type.Array(Type.String()) }),
  ),
  fixed: Type.Array(Type.String(), { description: 'versions that fix the affected components' }),
  kev: Nullable(Type.Object({ cveId: Type.String(), dateAdded: Type.String(), dueDate: Type.String(), ransomware: Type.Boolean() })),
  epss: Nullable(Type.Object({ cveId: Type.String(), score: Type.Number(), percentile: Type.Number(), date: Type.String() })),
  priority: PrioritySchema,
  dueAt: Nullable(InstantSchema),
  days: Nullable(Type.Integer()),
  explanation: Type.Object({
    summary: Type.String(),
    policyVersion: Type.String(),
    decidedAt: InstantSchema,
    inputs: Type.Object({
      exploitation: ExplainedInputSchema,
      automatable: ExplainedInputSchema,
      systemExposure: ExplainedInputSchema,
      safetyImpact: ExplainedInputSchema,
      missionImpact: ExplainedInputSchema,
      humanImpact: ExplainedInputSchema,
    }),
  }),
});

export const OperatorPrioritiesSchema = Type.Object({
  orgId: Type.String(),
  totals: Type.Object({
    rows: Type.Integer(),
    assets: Type.Integer(),
    advisories: Type.Integer(),
    kev: Type.Integer(),
    byPriority: Type.Object(
      Object.fromEntries(PATCH_PRIORITY.values.map((v) => [v.value, Type.Integer()])) as Record<PatchPriority, TInteger>,
    ),
    undecided: Type.Integer({ description: 'asset × advisory pairs matched only undecidably: not ranked' }),
  }),
  items: Type.Array(OperatorPrioritySchema),
  nextCursor: Nullable(Type.String()),
});
