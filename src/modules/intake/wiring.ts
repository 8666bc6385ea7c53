import type { ModuleWiring } from '../../platform/module-wiring.js';
import {
  clusterVisibleTo,
  intakeBlobReferences,
  intakeConsumers,
  intakeJobs,
  intakeMigrations,
  intakeRetention,
  intakeRoutes,
  registerDedupCommand,
  registerIntakeCommands,
  stopUploadThreads,
  INTAKE_VALIDATOR_BUILDS,
  SUBMISSION_GATES,
} from './index.js';
import { intakeModule } from './module.js';

/**
 * How the composition root wires intake (src/platform/module-wiring.ts). Submissions over the API first pass
 * the gates other modules contribute (a reporter's daily quota, from validation).
 */
export const intakeWiring: ModuleWiring = {
  module: intakeModule,
  migrations: intakeMigrations,
  routes: (app, deps, wired) => {
    const gates = wired.contributions(SUBMISSION_GATES);
    intakeRoutes(app, { ...deps, beforeSubmit: async (ctx) => void (await Promise.all(gates.map((gate) => gate(ctx)))) });
  },
  commands: (program, deps) => {
    registerIntakeCommands(program, deps);
    registerDedupCommand(program, deps);
  },
  jobs: intakeJobs,
  consumers: intakeConsumers,
  blobReferences: intakeBlobReferences,
  retention: intakeRetention,
  prebuiltValidators: INTAKE_VALIDATOR_BUILDS,
  stop: stopUploadThreads,
  labelledSubjects: [
    { subjectType: 'submission', table: 'intake_submission' },
    { subjectType: 'finding', table: 'intake_finding' },
    // A cluster has no label of its own: it is seen through its reports.
    { subjectType: 'cluster', visibleTo: clusterVisibleTo },
  ],
};
