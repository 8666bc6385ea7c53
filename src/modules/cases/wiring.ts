import { casesRetention } from './store/retention.js';
import { casesTransparencyFacts } from './store/transparency.js';
import type { ModuleWiring } from '../../platform/module-wiring.js';
import { casesConsumers, casesJobs, casesMigrations, casesRoutes, casesSchedules, registerCasesCommands } from './index.js';
import { casesModule } from './module.js';

/** How the composition root wires cases (src/platform/module-wiring.ts). */
export const casesWiring: ModuleWiring = {
  module: casesModule,
  migrations: casesMigrations,
  routes: casesRoutes,
  commands: registerCasesCommands,
  consumers: casesConsumers,
  jobs: casesJobs,
  schedules: casesSchedules,
  retention: casesRetention,
  transparencyFacts: casesTransparencyFacts,
};
