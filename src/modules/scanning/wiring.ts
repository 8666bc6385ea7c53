import { scanningTransparencyFacts } from './store/transparency.js';
import type { ModuleWiring } from '../../platform/module-wiring.js';
import { registerScanCommands, scanningConsumers, scanningJobs, scanningMigrations, scanningRoutes, scanningSchedules } from './index.js';
import { scanningModule } from './module.js';

/** How the composition root wires scanning (src/platform/module-wiring.ts). */
export const scanningWiring: ModuleWiring = {
  module: scanningModule,
  migrations: scanningMigrations,
  routes: scanningRoutes,
  commands: registerScanCommands,
  consumers: scanningConsumers,
  jobs: scanningJobs,
  schedules: scanningSchedules,
  labelledSubjects: [{ subjectType: 'campaign', table: 'scanning_campaign' }],
  transparencyFacts: scanningTransparencyFacts,
};
