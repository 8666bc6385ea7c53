/**
 * Governance: what the clearinghouse keeps, for how long, and with whom it shares it (issue 18) — the
 * versioned retention table and the purge that enforces it (tombstones, audit, blobs), legal holds,
 * organisations' export and removal, entitlement-filtered sharing (STIX 2.1 with TLP 2.0, OSV, CSV, TAXII 2.1)
 * and the program's transparency metrics. See README.md.
 */
import type { ModuleMigrations } from '../../platform/db/index.js';
import { init } from './migrations/0001-init.js';
import { removalJobs } from './migrations/0002-removal-jobs.js';

export { ANCHOR_EVENTS, DATA_CLASSES, DATA_CLASS_KEYS, type AnchorEvent, type DataClass } from './domain/data-classes.js';
export { HOLD_SCOPES, type HoldScope } from './domain/legal-holds.js';
export { DEFAULT_RETENTION_TABLE, RETENTION_TABLE_SCHEMA, type RetentionRule, type RetentionTable } from './domain/retention-table.js';
export { getHold, listHolds, placeHold, releaseHold } from './service/holds.js';
export { retentionPlan } from './service/plan.js';
export { flushPendingBlobs, runOrgRemoval, runRetentionPurge } from './service/purge.js';
export type { RetentionRegistry } from './service/retention-registry.js';
export { governanceRoutes, type GovernanceRouteDeps } from './routes.js';
export { registerGovernanceCommands, type GovernanceCommandDeps } from './commands.js';
export { exportShared, EXPORT_FORMATS, EXPORT_FORMAT_KEYS, type ExportFile, type ExportFormat } from './service/exports.js';
export { exportOrgData } from './service/organisations.js';
export { getRemoval, ORG_REMOVAL_JOB, removalWorks, requestOrgRemoval, runQueuedRemoval } from './service/removals.js';
export { getRetentionTable, listRetentionTableVersions, updateRetentionTable } from './service/retention-policy.js';
export { transparencyCsv, transparencyReport } from './service/transparency.js';
export type {
  ClassPlan,
  Hold,
  OrgExport,
  PlannedRecord,
  PurgeResult,
  Removal,
  RemovalRequest,
  RemovalStatus,
  RetentionPlan,
  RetentionTableView,
  Tombstone,
  TransparencyReport,
} from './presenters.js';
export { governanceJobs, governanceSchedules, RETENTION_PURGE_JOB, type GovernanceBackgroundDeps } from './jobs.js';

export const governanceMigrations: ModuleMigrations = { module: 'governance', migrations: [init, removalJobs] };
