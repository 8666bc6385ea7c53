import type { Command } from 'commander';
import type { Actor } from '../platform/actor.js';
import type { CommandDeps } from '../platform/cli/index.js';
import type { Config } from '../platform/config.js';
import type { ServiceContext } from '../platform/context.js';
import { platformMigrations, type ModuleMigrations } from '../platform/db/index.js';
import type { EventConsumer } from '../platform/events/index.js';
import type { HttpApp, RouteDeps } from '../platform/http/index.js';
import type { JobHandler, Schedule } from '../platform/jobs/index.js';
import type { BlobReferences, RetentionSource } from '../platform/retention.js';
import { VERSION } from './version.js';
import {
  advisoriesBlobReferences,
  advisoriesConsumers,
  advisoriesMigrations,
  advisoriesRoutes,
  providerSettings,
  registerAdvisoryCommands,
} from '../modules/advisories/index.js';
import { auditJobs, auditMigrations, auditRoutes, auditSchedules, registerAuditCommands } from '../modules/audit/index.js';
import {
  frontierBlobReferences,
  frontierJobs,
  frontierRetention,
  frontierMigrations,
  frontierRoutes,
  frontierSchedules,
  registerFrontierCommands,
} from '../modules/frontier/index.js';
import { casesConsumers, casesJobs, casesMigrations, casesRoutes, casesSchedules, registerCasesCommands } from '../modules/cases/index.js';
import {
  governanceJobs,
  governanceMigrations,
  governanceRoutes,
  governanceSchedules,
  registerGovernanceCommands,
  type RetentionRegistry,
} from '../modules/governance/index.js';
import { identityMigrations, identityRoutes, registerIdentityCommands } from '../modules/identity/index.js';
import {
  intakeBlobReferences,
  intakeConsumers,
  intakeJobs,
  intakeMigrations,
  intakeRetention,
  intakeRoutes,
  registerIntakeCommands,
} from '../modules/intake/index.js';
import {
  inventoryBlobReferences,
  inventoryConsumers,
  inventoryMigrations,
  inventoryRetention,
  inventoryRoutes,
  registerInventoryCommands,
} from '../modules/inventory/index.js';
import {
  notifyConsumers,
  notifyJobs,
  notifyMigrations,
  notifyRoutes,
  notifySchedules,
  registerNotifyCommands,
} from '../modules/notify/index.js';
import {
  registerScanCommands,
  scanningConsumers,
  scanningJobs,
  scanningMigrations,
  scanningRoutes,
  scanningSchedules,
} from '../modules/scanning/index.js';
import {
  registerScoringCommands,
  scoringConsumers,
  scoringJobs,
  scoringMigrations,
  scoringRoutes,
  scoringSchedules,
} from '../modules/scoring/index.js';
import {
  checkSubmissionQuota,
  registerValidationCommands,
  validationBlobReferences,
  validationConsumers,
  validationJobs,
  validationMigrations,
  validationRetention,
  validationRoutes,
} from '../modules/validation/index.js';

/** What background work is given: a context acting as anyone, usually the system. */
export interface BackgroundDeps {
  contextFor(actor: Actor): ServiceContext;
  readonly config: Config;
}

/** One domain module as the composition root wires it. */
export interface ModuleParts {
  readonly migrations: ModuleMigrations;
  readonly routes?: (app: HttpApp, deps: RouteDeps) => void;
  readonly commands?: (program: Command, deps: CommandDeps) => void;
  readonly consumers?: (deps: BackgroundDeps) => EventConsumer[];
  readonly jobs?: (deps: BackgroundDeps) => Record<string, JobHandler>;
  readonly schedules?: readonly Schedule[];
  /** Where the module's records refer to blobs: the sweeper never removes a blob one of them names. */
  readonly blobReferences?: BlobReferences;
  /** The records of governance's data classes the module stores: what the retention purge reads and deletes. */
  readonly retention?: RetentionSource;
}

/** Every module, in dependency order: a module's tables exist before those that refer to them. */
export const MODULES: readonly ModuleParts[] = [
  { migrations: identityMigrations, routes: identityRoutes, commands: registerIdentityCommands },
  {
    migrations: auditMigrations,
    routes: auditRoutes,
    commands: registerAuditCommands,
    jobs: (deps) => auditJobs({ ...deps, keyFile: deps.config.auditKeyFile }),
    schedules: auditSchedules,
  },
  {
    migrations: scoringMigrations,
    routes: scoringRoutes,
    commands: registerScoringCommands,
    consumers: scoringConsumers,
    jobs: scoringJobs,
    schedules: scoringSchedules,
  },
  // Intake refuses API submissions beyond a reporter's daily quota, which the validation module decides.
  {
    migrations: intakeMigrations,
    routes: (app, deps) => intakeRoutes(app, { ...deps, beforeSubmit: checkSubmissionQuota }),
    commands: registerIntakeCommands,
    jobs: intakeJobs,
    consumers: intakeConsumers,
    blobReferences: intakeBlobReferences,
    retention: intakeRetention,
  },
  {
    migrations: validationMigrations,
    routes: validationRoutes,
    commands: registerValidationCommands,
    consumers: validationConsumers,
    jobs: validationJobs,
    blobReferences: validationBlobReferences,
    retention: validationRetention,
  },
  {
    migrations: inventoryMigrations,
    routes: inventoryRoutes,
    commands: registerInventoryCommands,
    consumers: inventoryConsumers,
    blobReferences: inventoryBlobReferences,
    retention: inventoryRetention,
  },
  {
    migrations: frontierMigrations,
    routes: frontierRoutes,
    commands: registerFrontierCommands,
    jobs: frontierJobs,
    schedules: frontierSchedules,
    blobReferences: frontierBlobReferences,
    retention: frontierRetention,
  },
  {
    migrations: notifyMigrations,
    routes: notifyRoutes,
    commands: registerNotifyCommands,
    consumers: (deps) => notifyConsumers({ ...deps, publicUrl: deps.config.publicUrl }),
    jobs: (deps) => notifyJobs({ ...deps, publicUrl: deps.config.publicUrl }),
    schedules: notifySchedules,
  },
  {
    migrations: scanningMigrations,
    routes: scanningRoutes,
    commands: registerScanCommands,
    consumers: scanningConsumers,
    jobs: scanningJobs,
    schedules: scanningSchedules,
  },
  {
    migrations: casesMigrations,
    routes: casesRoutes,
    commands: registerCasesCommands,
    consumers: casesConsumers,
    jobs: casesJobs,
    schedules: casesSchedules,
  },
  {
    migrations: advisoriesMigrations,
    routes: (app, deps) => advisoriesRoutes(app, { ...deps, settings: providerSettings(deps.config, VERSION) }),
    commands: registerAdvisoryCommands,
    consumers: (deps) => advisoriesConsumers({ ...deps, settings: () => providerSettings(deps.config, VERSION) }),
    blobReferences: advisoriesBlobReferences,
  },
  // Last: governance reads every other module's records through their retention sources.
  {
    migrations: governanceMigrations,
    routes: (app, deps) => governanceRoutes(app, { ...deps, retentionRegistry }),
    commands: (program, deps) => registerGovernanceCommands(program, { ...deps, retentionRegistry }),
    jobs: (deps) => governanceJobs({ ...deps, retentionRegistry }),
    schedules: governanceSchedules,
  },
];

export const allMigrations: readonly ModuleMigrations[] = [platformMigrations, ...MODULES.map((m) => m.migrations)];

export function registerAllRoutes(app: HttpApp, deps: RouteDeps): void {
  for (const module of MODULES) module.routes?.(app, deps);
}

export function registerAllCommands(program: Command, deps: CommandDeps): void {
  for (const module of MODULES) module.commands?.(program, deps);
}

export function allConsumers(deps: BackgroundDeps): EventConsumer[] {
  return MODULES.flatMap((m) => m.consumers?.(deps) ?? []);
}

export function allJobHandlers(deps: BackgroundDeps): Record<string, JobHandler> {
  return Object.assign({}, ...MODULES.map((m) => m.jobs?.(deps) ?? {})) as Record<string, JobHandler>;
}

export const allSchedules: readonly Schedule[] = MODULES.flatMap((m) => m.schedules ?? []);

/** Every module's references to blobs: a blob none of them names is unreferenced. */
export const allBlobReferences: readonly BlobReferences[] = MODULES.flatMap((m) =>
  m.blobReferences === undefined ? [] : [m.blobReferences],
);

/** What retention reads: every module's data-class records, and every module's blob references. */
export function retentionRegistry(): RetentionRegistry {
  return { sources: MODULES.flatMap((m) => (m.retention === undefined ? [] : [m.retention])), blobReferences: allBlobReferences };
}
