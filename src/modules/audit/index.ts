/**
 * Audit: the append-only, hash-chained log of every mutation (DESIGN §5) and its verifier.
 * Modules record through the {@link AuditWriter} in their context ({@link createAuditWriter}); they never
 * import this module.
 */
import type { ModuleMigrations } from '../../platform/db/index.js';
import { init } from './migrations/0001-init.js';

export { GENESIS_HASH, hashAuditEvent, type AuditEvent, type ChainBreak } from './domain/chain.js';
export { createAuditWriter, listAuditEvents, verifyAuditChain, type AuditQuery, type AuditRecord, type VerifyResult } from './service.js';
export { auditRoutes } from './routes.js';
export { registerAuditCommands } from './commands.js';

export const auditMigrations: ModuleMigrations = { module: 'audit', migrations: [init] };
