/**
 * Audit: the append-only, hash-chained log of every mutation (DESIGN §5) and its verifier.
 * Modules record through the {@link AuditWriter} in their context ({@link createAuditWriter}); they never
 * import this module.
 */
import type { ModuleMigrations } from '../../platform/db/index.js';
import { init } from './migrations/0001-init.js';
import { checkpoints } from './migrations/0002-checkpoints.js';

export { GENESIS_HASH, hashAuditEvent, type AuditEvent, type ChainBreak } from './domain/chain.js';
export { createAuditWriter, listAuditEvents, verifyAuditChain, type AuditQuery, type VerifyOptions, type VerifyResult } from './service.js';
export { auditRoutes } from './routes.js';
export type { AuditRecord } from './presenters.js';
export { AUDIT_CHECKPOINT_JOB, auditJobs, auditSchedules } from './jobs.js';
export { latestCheckpoint, signCheckpoint } from './checkpoints.js';
export { CHECKPOINT_FORMAT, parseCheckpoint, type AuditCheckpoint } from './domain/checkpoint.js';
export { registerAuditCommands } from './commands.js';

export const auditMigrations: ModuleMigrations = { module: 'audit', migrations: [init, checkpoints] };
