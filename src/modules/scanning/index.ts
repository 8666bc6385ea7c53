/**
 * Scanning: who scans what, when and how (issue 17). Campaigns with scopes, windows and intensity,
 * deconflicted against each other on registration and on demand; leases that give one party a target for
 * a technique at a time, decided by the database; operators' scan policies (consent, standing consents,
 * blackout windows in the asset's zone, never-actively-scan) that refuse violating campaigns and stop
 * running ones; coverage (what each campaign found) and the gaps nobody scanned.
 */
import type { ModuleMigrations } from '../../platform/db/index.js';
import { init } from './migrations/0001-init.js';

export { TECHNIQUES, type Technique } from './domain/techniques.js';
export { CAMPAIGN_STATES, type CampaignState } from './domain/campaign.js';
export type {
  BlackoutAdded,
  Campaign,
  ConflictView,
  Lease,
  LeaseHolder,
  LeaseOnTarget,
  ScanAsset,
  ScanOnTarget,
  StopRequest,
  TargetCoverage,
  TargetStatus,
} from './presenters.js';
export {
  campaignConflicts,
  getCampaign,
  listCampaigns,
  registerCampaign,
  type CampaignQuery,
  type RegisteredCampaign,
  type ViolationView,
} from './service/campaigns.js';
export type { CampaignInput } from './service/campaign-input.js';
export { advanceCampaigns, requestStop, stopCampaign } from './service/campaign-lifecycle.js';
export {
  addBlackout,
  addConsent,
  declareAsset,
  getAsset,
  listAssets,
  removeBlackout,
  removeConsent,
  updateAsset,
  type AssetInput,
  type BlackoutInput,
  type ConsentInput,
} from './service/assets.js';
export { claimLease, releaseLease, renewLease, type LeaseClaim } from './service/leases.js';
export { targetCoverage, targetStatus } from './service/status.js';
export { linkSubmissionFindings, scanGaps, type CoverageGap, type GapsQuery } from './service/coverage.js';
export * from './events.js';
export { seedScanningDemo, type ScanningDemo, type ScanningDemoCast } from './service/demo.js';
export { scanningRoutes } from './routes.js';
export { registerScanCommands } from './commands/scan-commands.js';
export { CAMPAIGN_ADVANCE_JOB, scanningConsumers, scanningJobs, scanningSchedules, type ScanningBackgroundDeps } from './background.js';

export const scanningMigrations: ModuleMigrations = { module: 'scanning', migrations: [init] };
