import type { ModuleWiring } from '../../platform/module-wiring.js';
import { registerScoringCommands, scoringConsumers, scoringJobs, scoringMigrations, scoringRoutes, scoringSchedules } from './index.js';
import { scoringModule } from './module.js';

/** How the composition root wires scoring (src/platform/module-wiring.ts). */
export const scoringWiring: ModuleWiring = {
  module: scoringModule,
  migrations: scoringMigrations,
  routes: scoringRoutes,
  commands: registerScoringCommands,
  consumers: scoringConsumers,
  jobs: scoringJobs,
  schedules: scoringSchedules,
};
