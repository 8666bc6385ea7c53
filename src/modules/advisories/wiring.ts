import type { ModuleWiring } from '../../platform/module-wiring.js';
import { VERSION } from '../../platform/version.js';
import {
  advisoriesBlobReferences,
  advisoriesConsumers,
  advisoriesMigrations,
  advisoriesRoutes,
  providerSettings,
  registerAdvisoryCommands,
} from './index.js';
import { advisoriesModule } from './module.js';

/** How the composition root wires advisories: the CSAF provider is described by the server's configuration. */
export const advisoriesWiring: ModuleWiring = {
  module: advisoriesModule,
  migrations: advisoriesMigrations,
  routes: (app, deps) => advisoriesRoutes(app, { ...deps, settings: providerSettings(deps.config, VERSION) }),
  commands: registerAdvisoryCommands,
  consumers: (deps) => advisoriesConsumers({ ...deps, settings: () => providerSettings(deps.config, VERSION) }),
  blobReferences: advisoriesBlobReferences,
  labelledSubjects: [{ subjectType: 'csaf_advisory', table: 'advisories_advisory' }],
};
