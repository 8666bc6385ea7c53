/**
 * Inventory's light entry point: its vocabulary, loading no database, no HTTP and no other module's
 * routes, so that another module's domain code may use it.
 */
export { ASSET_CRITICALITIES, type AssetCriticality, type ExposedAsset } from './domain/asset.js';
export {
  ADVISORY_CHANGED,
  EXPOSURE_CHANGED,
  SBOM_UPLOADED,
  type AdvisoryChangedPayload,
  type ExposureChangedPayload,
  type SbomUploadedPayload,
} from './events.js';
