import type { ModuleWiring } from '../../platform/module-wiring.js';
import { identityMigrations, identityRoutes, registerIdentityCommands } from './index.js';
import { identityModule } from './module.js';

/** How the composition root wires identity (src/platform/module-wiring.ts). */
export const identityWiring: ModuleWiring = {
  module: identityModule,
  migrations: identityMigrations,
  routes: identityRoutes,
  commands: registerIdentityCommands,
};
