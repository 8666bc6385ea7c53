import { notifyTransparencyFacts } from './store/transparency.js';
import type { ModuleWiring } from '../../platform/module-wiring.js';
import { notifyConsumers, notifyJobs, notifyMigrations, notifyRoutes, notifySchedules, registerNotifyCommands } from './index.js';
import { notifyModule } from './module.js';

/** How the composition root wires notify: its links and webhook payloads name the server's public URL. */
export const notifyWiring: ModuleWiring = {
  module: notifyModule,
  migrations: notifyMigrations,
  routes: notifyRoutes,
  commands: registerNotifyCommands,
  consumers: (deps) => notifyConsumers({ ...deps, publicUrl: deps.config.publicUrl }),
  jobs: (deps) => notifyJobs({ ...deps, publicUrl: deps.config.publicUrl }, { holder: deps.holder }),
  schedules: notifySchedules,
  transparencyFacts: notifyTransparencyFacts,
};
