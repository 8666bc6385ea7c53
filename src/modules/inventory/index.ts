/**
 * Inventory: operators' SBOMs per asset, the advisories they are matched against, and the matches in both
 * directions (issue 6). Forward: an upload against every advisory. Reverse: a new or changed advisory against
 * every inventory, from the outbox. Exposure (who runs an affected version) is read from here by scoring
 * and notify, through {@link exposureForAdvisory} and the `inventory.exposure.changed` event.
 */
import type { ModuleMigrations } from '../../platform/db/index.js';
import { init } from './migrations/0001-init.js';

export * from './pure.js';
export { parsePurl, type PurlPackage, type PurlParseResult } from '../../platform/software/index.js';
export { versionOrderFor } from './domain/version-order-registry.js';
export type { VersionOrder } from './domain/version-order.js';
export { CYCLONEDX_VALIDATOR_BUILDS, validateCycloneDxJson } from './domain/cyclonedx-schema.js';
export type {
  Advisory,
  AdvisoryExposure,
  AdvisoryImport,
  AffectedOperators,
  Asset,
  AssetMatches,
  ComponentMatch,
  OperatorExposure,
  Sbom,
  SbomComponent,
  UploadResult,
  UpsertResult,
} from './presenters.js';
export { createAsset, getAsset, listAssets, updateAsset, type NewAssetInput } from './service/assets.js';
export {
  getSbom,
  listSbomComponents,
  listSbomMatches,
  listSboms,
  uploadSbom,
  type MatchSummary,
  type UploadSbomInput,
} from './service/sboms.js';
export {
  getAdvisory,
  listAdvisories,
  readableAdvisories,
  upsertAdvisories,
  upsertAdvisory,
  type AdvisoryInput,
  type AdvisorySource,
  type AdvisoryUpsert,
  type ReadableAdvisory,
  type UpsertOutcome,
} from './service/advisories.js';
export { rematchAdvisory, type ReverseMatchResult } from './service/reverse-match.js';
export { softwareRunByOperators, type SoftwareRun } from './service/software-footprint.js';
export {
  affectedOperators,
  affectedOperatorsAmong,
  exposureForAdvisory,
  exposureForOperator,
  type AffectedAmong,
  type ExposedAsset,
} from './service/exposure.js';
export { inventoryConsumers, type InventoryBackgroundDeps } from './consumers.js';
export { inventoryRoutes } from './routes/inventory-routes.js';
export { registerAllInventoryCommands as registerInventoryCommands } from './commands/register.js';

// What retention reads and deletes of this module's records (declared for governance's purge).
export { inventoryBlobReferences, inventoryRetention } from './store/retention.js';

export const inventoryMigrations: ModuleMigrations = { module: 'inventory', migrations: [init] };
