import type { ModuleWiring } from '../../platform/module-wiring.js';
import {
  CYCLONEDX_VALIDATOR_BUILDS,
  inventoryBlobReferences,
  inventoryConsumers,
  inventoryMigrations,
  inventoryRetention,
  inventoryRoutes,
  registerInventoryCommands,
} from './index.js';
import { inventoryModule } from './module.js';

/** How the composition root wires inventory (src/platform/module-wiring.ts). */
export const inventoryWiring: ModuleWiring = {
  module: inventoryModule,
  migrations: inventoryMigrations,
  routes: inventoryRoutes,
  commands: registerInventoryCommands,
  consumers: inventoryConsumers,
  blobReferences: inventoryBlobReferences,
  retention: inventoryRetention,
  prebuiltValidators: CYCLONEDX_VALIDATOR_BUILDS,
  labelledSubjects: [{ subjectType: 'advisory', table: 'inventory_advisory' }],
};
