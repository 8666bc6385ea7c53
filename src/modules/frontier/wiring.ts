import { frontierTransparencyFacts } from './store/transparency.js';
import type { ModuleWiring } from '../../platform/module-wiring.js';
import {
  frontierBlobReferences,
  frontierJobs,
  frontierMigrations,
  frontierRetention,
  frontierRoutes,
  frontierSchedules,
  registerFrontierCommands,
} from './index.js';
import { frontierModule } from './module.js';

/** How the composition root wires frontier (src/platform/module-wiring.ts). */
export const frontierWiring: ModuleWiring = {
  module: frontierModule,
  migrations: frontierMigrations,
  routes: frontierRoutes,
  commands: registerFrontierCommands,
  jobs: frontierJobs,
  schedules: frontierSchedules,
  blobReferences: frontierBlobReferences,
  retention: frontierRetention,
  labelledSubjects: ['model', 'grant', 'evaluation', 'risk_finding', 'vulnerability', 'nomination'].map((subjectType) => ({
    subjectType,
    table: `frontier_${subjectType}`,
  })),
  transparencyFacts: frontierTransparencyFacts,
};
