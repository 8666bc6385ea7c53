import { type TInteger, Type } from '@sinclair/typebox';
import { Nullable, InstantSchema, QueuedWorkSchema, StringEnum, TlpSchema } from '../../../platform/http/index.js';
import { SECTOR_KEYS } from '../../identity/index.js';
import { ASSET_CRITICALITIES, MAX_ASSET_NAME, type AssetCriticality } from '../domain/asset.js';

/** Request and response schemas of the inventory API; every field is listed (responses serialize only these). */

const SectorSchema = StringEnum(SECTOR_KEYS, { description: 'U.S. critical-infrastructure sector' });
const CriticalitySchema = StringEnum(ASSET_CRITICALITIES, { description: 'how much rides on the asset' });

export const AssetSchema = Type.Object({
  id: Type.String(),
  orgId: Type.String(),
  name: Type.String(),
  sector: Nullable(SectorSchema),
  criticality: CriticalitySchema,
  internetFacing: Type.Boolean(),
  /** The SBOM version that is the asset's inventory now, or null before the first upload. */
  currentSbomId: Nullable(Type.String({ description: 'the SBOM version that is its inventory now' })),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});

const AssetFieldsSchema = {
  sector: Type.Optional(Nullable(SectorSchema)),
  criticality: Type.Optional(CriticalitySchema),
  internetFacing: Type.Optional(Type.Boolean({ description: 'reachable from the internet' })),
};

export const NewAssetBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: MAX_ASSET_NAME }),
    ...AssetFieldsSchema,
    orgId: Type.Optional(Type.String({ maxLength: 64, description: 'the operator (coordinators); default your organisation' })),
  },
  { additionalProperties: false },
);

export const AssetPatchBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_ASSET_NAME })), ...AssetFieldsSchema },
  { additionalProperties: false },
);

export const UploadQuery = Type.Object({
  asset: Type.String({ minLength: 1, maxLength: MAX_ASSET_NAME, description: 'asset name; the asset is created on its first upload' }),
  orgId: Type.Optional(Type.String({ maxLength: 64, description: 'the operator (coordinators); default your organisation' })),
  sector: Type.Optional(SectorSchema),
  criticality: Type.Optional(CriticalitySchema),
  internetFacing: Type.Optional(Type.Boolean()),
});

export const SbomSchema = Type.Object({
  id: Type.String(),
  assetId: Type.String(),
  orgId: Type.String(),
  version: Type.Integer({ description: '1 for the first upload of the asset, then 2, 3, …' }),
  /** SHA-256 of the bytes as uploaded (the raw document is kept under this hash). */
  sha256: Type.String({ description: 'of the bytes as uploaded' }),
  size: Type.Integer(),
  format: Type.String({ description: 'CycloneDX or SPDX' }),
  specVersion: Type.String(),
  serialization: Type.String({ description: 'json, xml, tag-value, json-ld or yaml' }),
  documentName: Nullable(Type.String()),
  components: Type.Integer(),
  /** Components advisories cannot be matched to (no purl with an advisory ecosystem), each with its reason. */
  unmatched: Type.Integer({ description: 'components advisories cannot be matched to' }),
  warnings: Type.Array(Type.String()),
  createdAt: InstantSchema,
  /** When a newer version replaced it; null while it is the current one. */
  supersededAt: Nullable(InstantSchema),
});

export const ComponentSchema = Type.Object({
  index: Type.Integer(),
  ref: Type.String(),
  name: Type.String(),
  version: Nullable(Type.String()),
  purl: Nullable(Type.String({ description: 'as written in the SBOM' })),
  cpe: Nullable(Type.String()),
  ecosystem: Nullable(Type.String({ description: 'OSV ecosystem, when the purl maps to one' })),
  unmatchedReason: Nullable(Type.String()),
});

const EvidenceSchema = Type.Object({
  affectedIndex: Type.Integer(),
  via: StringEnum(['versions', 'range'] as const),
  rangeIndex: Type.Optional(Type.Integer()),
  rangeType: Type.Optional(Type.String()),
  introduced: Type.Optional(Type.String()),
  fixed: Type.Optional(Type.String()),
  lastAffected: Type.Optional(Type.String()),
});

/** One component × one advisory. */
export const MatchSchema = Type.Object({
  sbomId: Type.String(),
  componentIndex: Type.Integer(),
  advisoryId: Type.String(),
  purl: Nullable(Type.String()),
  version: Nullable(Type.String()),
  status: StringEnum(['affected', 'unknown'] as const, {
    description: 'unknown: the advisory names the package but the version cannot be decided',
  }),
  confidence: StringEnum(['exact', 'low'] as const),
  fixed: Type.Array(Type.String(), { description: 'versions to upgrade to, ascending' }),
  /** The `versions[]` entry or range interval that matched. */
  evidence: Type.Array(EvidenceSchema),
  reasons: Type.Array(Type.String()),
  matchedAt: InstantSchema,
});

const MatchSummarySchema = Type.Object({ affected: Type.Integer(), unknown: Type.Integer(), advisories: Type.Integer() });

export const UploadResultSchema = Type.Object({
  created: Type.Boolean({ description: 'false when the bytes are those of the current version' }),
  asset: AssetSchema,
  sbom: SbomSchema,
  matches: MatchSummarySchema,
  work: QueuedWorkSchema,
});

const OsvEventSchema = Type.Object({
  introduced: Type.Optional(Type.String()),
  fixed: Type.Optional(Type.String()),
  last_affected: Type.Optional(Type.String()),
  limit: Type.Optional(Type.String()),
});

const OsvAffectedSchema = Type.Object({
  package: Type.Optional(Type.Object({ ecosystem: Type.String(), name: Type.String(), purl: Type.Optional(Type.String()) })),
  ranges: Type.Optional(
    Type.Array(Type.Object({ type: Type.String(), repo: Type.Optional(Type.String()), events: Type.Array(OsvEventSchema) })),
  ),
  versions: Type.Optional(Type.Array(Type.String())),
});

export const AdvisorySchema = Type.Object({
  id: Type.String(),
  aliases: Type.Array(Type.String()),
  summary: Nullable(Type.String()),
  modified: Nullable(Type.String()),
  withdrawn: Nullable(Type.String()),
  tlp: TlpSchema,
  source: Type.String(),
  sourceRef: Nullable(Type.String()),
  /** Increases by one with every change of content, TLP or withdrawal. */
  revision: Type.Integer(),
  affected: Type.Array(OsvAffectedSchema),
  createdAt: InstantSchema,
  updatedAt: InstantSchema,
});

export const AdvisoryBody = Type.Object(
  {
    record: Type.Object({}, { additionalProperties: true, description: 'an OSV 1.x record' }),
    tlp: TlpSchema,
    source: Type.Optional(Type.String({ minLength: 1, maxLength: 100, default: 'api' })),
    sourceRef: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const AdvisoryImportBody = Type.Object(
  {
    records: Type.Array(
      Type.Object(
        {
          record: Type.Object({}, { additionalProperties: true, description: 'an OSV 1.x record' }),
          sourceRef: Type.Optional(Type.String({ maxLength: 500, description: 'where it came from (a file name)' })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
    tlp: TlpSchema,
    source: Type.Optional(Type.String({ minLength: 1, maxLength: 100, default: 'api' })),
  },
  { additionalProperties: false },
);

export const AdvisoryImportSchema = Type.Object({
  counts: Type.Object({ created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(), stale: Type.Integer() }),
  work: QueuedWorkSchema,
});

export const UpsertResultSchema = Type.Object({
  advisory: AdvisorySchema,
  outcome: StringEnum(['created', 'updated', 'unchanged', 'stale'] as const),
});

/** An asset of the operator's and the components of it an advisory matches. */
export const AssetMatchesSchema = Type.Object({
  assetId: Type.String(),
  name: Type.String(),
  sector: Nullable(SectorSchema),
  criticality: CriticalitySchema,
  internetFacing: Type.Boolean(),
  matches: Type.Array(MatchSchema),
});

export const OperatorExposureSchema = Type.Object({
  orgId: Type.String(),
  totals: Type.Object({ advisories: Type.Integer(), assets: Type.Integer(), affected: Type.Integer(), unknown: Type.Integer() }),
  items: Type.Array(Type.Object({ advisory: AdvisorySchema, assets: Type.Array(AssetMatchesSchema) })),
  nextCursor: Nullable(Type.String()),
});

export const AffectedOperatorsSchema = Type.Object({
  advisoryIds: Type.Array(Type.String()),
  items: Type.Array(Type.Object({ orgId: Type.String(), assets: Type.Array(AssetMatchesSchema) })),
  nextCursor: Nullable(Type.String()),
});

export const AdvisoryExposureSchema = Type.Object({
  advisoryIds: Type.Array(Type.String()),
  known: Type.Boolean({ description: 'false: the inventory knows no such advisory, so exposure is unknown' }),
  operators: Type.Integer(),
  assets: Type.Integer(),
  sectors: Type.Array(Type.Object({ sector: SectorSchema, operators: Type.Integer(), assets: Type.Integer() })),
  criticality: Type.Object(Object.fromEntries(ASSET_CRITICALITIES.map((c) => [c, Type.Integer()])) as Record<AssetCriticality, TInteger>),
  internetFacingAssets: Type.Integer(),
  undecidedAssets: Type.Integer(),
  exposedAssets: Type.Array(
    Type.Object({
      operatorId: Type.String(),
      assetId: Type.String(),
      sector: Nullable(SectorSchema),
      criticality: CriticalitySchema,
      internetFacing: Type.Boolean(),
    }),
  ),
});
