import { contribute, type ModuleWiring } from '../../platform/module-wiring.js';
import { CLUSTER_PRIORITY } from '../validation/pure.js';
import {
  getDecision,
  registerScoringCommands,
  scoringConsumers,
  scoringJobs,
  scoringMigrations,
  scoringRoutes,
  scoringSchedules,
  type Decision,
} from './index.js';
import { scoringModule } from './module.js';

/** How the composition root wires scoring: `cluster show` (validation's) prints the cluster's priority through it. */
export const scoringWiring: ModuleWiring = {
  module: scoringModule,
  migrations: scoringMigrations,
  routes: scoringRoutes,
  commands: registerScoringCommands,
  consumers: scoringConsumers,
  jobs: scoringJobs,
  schedules: scoringSchedules,
  contributes: [
    contribute(CLUSTER_PRIORITY, {
      local: getDecision,
      remote: (api, clusterId) => api.get<Decision>(`/api/v1/scoring/decisions/${encodeURIComponent(clusterId)}`),
    }),
  ],
};
