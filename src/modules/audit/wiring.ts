import type { ModuleWiring } from '../../platform/module-wiring.js';
import { auditJobs, auditMigrations, auditRoutes, auditSchedules, registerAuditCommands } from './index.js';
import { auditModule } from './module.js';

/** How the composition root wires audit: it reads every module's labelled subjects (src/platform/module-wiring.ts). */
export const auditWiring: ModuleWiring = {
  module: auditModule,
  migrations: auditMigrations,
  routes: (app, deps, wired) => auditRoutes(app, { ...deps, labelledSubjects: wired.labelledSubjects }),
  commands: registerAuditCommands,
  jobs: (deps) => auditJobs({ ...deps, keyFile: deps.config.auditKeyFile }),
  schedules: auditSchedules,
};
