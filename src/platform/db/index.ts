export { postgresCapabilities, sqliteCapabilities, type DialectCapabilities } from './capabilities.js';
export {
  asDuplicateKeyError,
  asUnavailableError,
  isDatabaseUnavailable,
  openDatabase,
  pingDatabase,
  serializeOn,
  serializeOnInOrder,
  serializeOnMany,
  serializeOnStatement,
  tables,
  withTransaction,
  withSerializedTransaction,
  pgTimestampToIso,
  type AnyKysely,
  type Database,
  type Executor,
  type TransactionOptions,
} from './database.js';
export { inProcessTurn, type LockMode } from './in-process-turn.js';
export { beforeCommit } from './before-commit.js';
export { withBlockingDurability, withDeferredDurability } from './durability-scope.js';
export { describeUniqueKey, type UniqueViolation } from './unique-violation.js';
export { platformMigrations } from './platform-migrations.js';
export { chunks } from './chunks.js';
export { writeTogether, type WriteStatement } from './write-together.js';
export { bytesColumn, bytesParam, hexOf, oneOf, oneOfBytes, oneOfChunks } from './value-lists.js';
export { storedEnum, storedEnumOrNull } from './stored-enum.js';
export { chunkSizes, forgetColumnTypes, insertMany, insertManyStatements, type InsertManyOptions } from './insert-many.js';
export { analyzeStaleTables, keepAllStatisticsFresh, keepStatisticsFresh, type FreshStatisticsOptions } from './fresh-statistics.js';
export { reusableQuery } from './reusable-query.js';
export { pendingMigrations, runMigrations, type Migration, type ModuleMigrations } from './migrations.js';
export {
  decodeCursor,
  encodeCursor,
  paginate,
  pageOfList,
  pageSize,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type Page,
  type PageRequest,
} from './pagination.js';
export {
  changedFields,
  createPolicyTable,
  policyDocument,
  policySaveIssues,
  requireVersionInForce,
  saveNextPolicyVersion,
  versionedPolicyStore,
  type NextPolicyVersion,
  type PolicySave,
  type PolicySaveContext,
  type PolicyVersion,
  type PolicyVersionRow,
  type VersionedPolicyStore,
} from './versioned-policy.js';
