import type { ModuleWiring, Wired } from '../../platform/module-wiring.js';
import {
  governanceJobs,
  governanceMigrations,
  governanceRoutes,
  governanceSchedules,
  registerGovernanceCommands,
  type RetentionRegistry,
} from './index.js';
import { governanceModule } from './module.js';

/** What retention reads: every module's data-class records, and every module's blob references. */
export const retentionRegistryOf = (wired: Wired) => (): RetentionRegistry => ({
  sources: wired.retentionSources,
  blobReferences: wired.blobReferences,
});

/** How the composition root wires governance: it reads every module's records through their retention sources. */
export const governanceWiring: ModuleWiring = {
  module: governanceModule,
  migrations: governanceMigrations,
  routes: (app, deps, wired) =>
    governanceRoutes(app, { ...deps, retentionRegistry: retentionRegistryOf(wired), transparencyFacts: () => wired.transparencyFacts }),
  commands: (program, deps, wired) =>
    registerGovernanceCommands(program, {
      ...deps,
      retentionRegistry: retentionRegistryOf(wired),
      transparencyFacts: () => wired.transparencyFacts,
    }),
  jobs: (deps, wired) => governanceJobs({ ...deps, retentionRegistry: retentionRegistryOf(wired) }),
  schedules: governanceSchedules,
};
